"""Wagtail's users app, with the staff accounts screen that also chooses each person's partner councils."""

from wagtail.users.apps import WagtailUsersAppConfig


class StaffUsersConfig(WagtailUsersAppConfig):
    user_viewset = "campaigns.accounts.admin.StaffUserViewSet"
