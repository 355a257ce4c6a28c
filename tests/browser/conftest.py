"""Browser journeys share the session's Chromium from tests/conftest.py; helpers live in tests/support/browser.py."""

from tests.support.browser import ARTIFACTS, CHROMIUM_ARGS, login, save_screenshot

__all__ = ["ARTIFACTS", "CHROMIUM_ARGS", "login", "save_screenshot"]
