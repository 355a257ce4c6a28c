"""Public routes of the campaigns app: booking links, managing bookings, unsubscribing."""

from django.urls import path

from campaigns import views, views_booking, views_reach

app_name = "campaigns"

urlpatterns = [
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    # Invitations
    path("invitation/<str:token>/decline/", views.invitation_decline, name="invitation_decline"),
    path("certificates/verify/", views_reach.verify_certificate, name="verify_certificate"),
    path("certificates/<str:token>/", views_reach.certificate, name="certificate"),
]

# Bookings: booking a session, the confirmation, the private manage link and the waiting list.
urlpatterns += [
    path("sessions/<int:session_pk>/book/", views_booking.book_session, name="book_session"),
    path(
        "invitation/<str:token>/sessions/<int:session_pk>/book/",
        views_booking.invitation_book,
        name="invitation_book",
    ),
    path("bookings/<str:token>/", views_booking.manage_booking, name="manage_booking"),
    path("bookings/<str:token>/confirmed/", views_booking.booking_confirmed, name="booking_confirmed"),
    path("bookings/<str:token>/cancel/", views_booking.cancel_booking, name="cancel_booking"),
    path("waiting/<str:token>/", views_booking.waiting_entry, name="waiting_entry"),
]
