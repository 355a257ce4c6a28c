"""Public routes of the events app: calendar feeds and downloads (pages are served by Wagtail)."""

from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("events/calendar.ics", views.programme_feed, name="calendar_feed"),
    path("events/sessions/<int:pk>.ics", views.session_download, name="session_ics"),
    path("events/<slug:slug>/calendar.ics", views.event_feed, name="event_calendar"),
]
