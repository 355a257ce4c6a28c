"""Site-wide public routes owned by the cms app: search, in every language (cms/urls.py)."""

from django.urls import path

from cms import views

app_name = "cms"

urlpatterns = [
    path("search/", views.search, name="search"),
]
