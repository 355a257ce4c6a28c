"""Wagtail admin hooks for campaigns."""

from campaigns import admin_reach  # noqa: F401  (attendance, training and reach admin)
