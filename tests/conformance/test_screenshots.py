"""Pictures of the main public pages on a phone (390 px) and a laptop (1366 px), saved to test-artifacts/
for people to look at; on a phone each page's own heading starts on the first screen."""

import pytest

from tests.support.browser import save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_FOLD = 844
WIDTHS = [(390, PHONE_FOLD), (1366, 900)]


def test_main_pages_start_on_the_first_screen(browser, live_server, demo_site):
    pages = demo_site["pages"]
    shown = {
        "home": pages["home"],
        "library": pages["library"],
        "resource": pages["resource-walk-online-year-5"],
        "booking-form": pages["booking-form"],
    }
    below_the_fold = {}
    for width, height in WIDTHS:
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": height},
            is_mobile=width < 500,
            has_touch=width < 500,
            device_scale_factor=2 if width < 500 else 1,
        )
        tab = context.new_page()
        for name, url in shown.items():
            tab.goto(url)
            path = save_screenshot(tab, f"screen-{name}-{width}")
            assert path.stat().st_size > 0
            heading = tab.locator("main").locator("h1, h2").first.bounding_box()
            if heading["y"] >= height:
                below_the_fold[f"{name} @ {width}px"] = heading["y"]
            assert tab.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
        boxes = tab.locator("main input[type=checkbox]")
        assert boxes.count() >= 2  # the booking form, the last page shown, has its confirmations
        for index in range(boxes.count()):
            box = boxes.nth(index)
            label = tab.locator(f"label[for='{box.get_attribute('id')}']")
            tick, wording = box.bounding_box(), label.bounding_box()
            # Big enough to tap (WCAG 2.5.8), and every line of the wording beside the box, not under it.
            assert tick["width"] >= 24 and tick["height"] >= 24, (width, tick)
            assert wording["x"] >= tick["x"] + tick["width"], (width, tick, wording)
        context.close()
    assert below_the_fold == {}
