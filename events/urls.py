"""Public routes of the events app."""

app_name = "events"

urlpatterns = []
