"""The real-browser fixtures (a running app and a Chromium page), for every browser test in this folder."""

from tests.ui.test_browser import page, server  # noqa: F401 - fixtures are found by name
