"""Public routes of the resources app."""

from django.urls import path

from resources import views

app_name = "resources"

urlpatterns = [
    path("downloads/<int:document_id>/<str:filename>", views.download, name="download"),
]
