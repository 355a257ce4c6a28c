"""Public routes of the campaigns app: booking links, managing bookings, unsubscribing."""

from django.urls import path

from campaigns import views, views_reach

app_name = "campaigns"

urlpatterns = [
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    # Invitations
    path("invitation/<str:token>/decline/", views.invitation_decline, name="invitation_decline"),
    path("certificates/verify/", views_reach.verify_certificate, name="verify_certificate"),
    path("certificates/<str:token>/", views_reach.certificate, name="certificate"),
]
