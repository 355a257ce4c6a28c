"""Site-wide public routes owned by the cms app: search and the help page, in every language (cms/urls.py)."""

from django.urls import path

from cms import views

app_name = "cms"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("help/", views.help_page, name="help"),
]
