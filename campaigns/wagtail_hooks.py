"""Wagtail admin hooks for the campaigns app."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from campaigns import admin_bookings

# --- bookings ---------------------------------------------------------------------------------------


@hooks.register("register_admin_viewset")
def register_bookings_viewsets():
    return admin_bookings.BookingsGroup()


@hooks.register("register_admin_urls")
def register_bookings_admin_urls():
    return admin_bookings.admin_urls()


@hooks.register("register_reports_menu_item")
def register_places_per_session_report():
    return MenuItem(
        "Places per session",
        reverse("campaigns_bookings_session_summary"),
        icon_name="table",
        order=300,
    )


@hooks.register("register_log_actions")
def register_booking_log_actions(actions):
    admin_bookings.register_log_actions(actions)
