"""Public routes of the campaigns side: invitations, booking and managing bookings, the waiting list,
certificates and unsubscribing. The views live with their concept."""

from django.urls import path

from campaigns.bookings import views as bookings_views
from campaigns.evaluation import views as evaluation_views
from campaigns.invitations import views as invitations_views
from campaigns.mail import views as mail_views
from campaigns.training import views as training_views

app_name = "campaigns"

urlpatterns = [
    # Invitations
    path("invitation/<str:token>/", invitations_views.invitation, name="invitation"),
    path("invitation/<str:token>/decline/", invitations_views.invitation_decline, name="invitation_decline"),
    # Unsubscribing from campaign emails
    path("unsubscribe/<str:token>/", mail_views.unsubscribe, name="unsubscribe"),
    # Certificates
    path("certificates/verify/", training_views.verify_certificate, name="verify_certificate"),
    path("certificates/<str:token>/", training_views.certificate, name="certificate"),
    # Bookings: booking a session, the confirmation, the private manage link and the waiting list
    path("sessions/<int:session_pk>/book/", bookings_views.book_session, name="book_session"),
    path(
        "invitation/<str:token>/sessions/<int:session_pk>/book/",
        bookings_views.invitation_book,
        name="invitation_book",
    ),
    path("bookings/<str:token>/", bookings_views.manage_booking, name="manage_booking"),
    path("bookings/<str:token>/confirmed/", bookings_views.booking_confirmed, name="booking_confirmed"),
    path("bookings/<str:token>/cancel/", bookings_views.cancel_booking, name="cancel_booking"),
    path("bookings/confirm/<str:token>/", bookings_views.confirm_booking, name="confirm_booking"),
    path("waiting/<str:token>/", bookings_views.waiting_entry, name="waiting_entry"),
    # Evaluations: the anonymous quiz and evaluation, and a school's report
    path("quiz/", evaluation_views.quiz, name="quiz"),
    path("quiz/thanks/", evaluation_views.quiz_thanks, name="quiz_thanks"),
    path("quiz/report/<str:token>/", evaluation_views.school_report, name="quiz_school_report"),
    path("evaluation/<str:token>/", evaluation_views.trainee_evaluation, name="trainee_evaluation"),
]
