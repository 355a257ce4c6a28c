"""Site-wide public routes owned by the cms app (search, help, health check)."""

from django.urls import path

from cms import views

app_name = "cms"

urlpatterns = [
    path("healthz", views.health, name="health"),
    path("healthz/background", views.background_health, name="background_health"),
    path("search/", views.search, name="search"),
    path("help/", views.help_page, name="help"),
]
