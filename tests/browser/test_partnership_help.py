"""A visitor on one council's event page sees that council's front door; elsewhere they are asked where
they live and find their council by postcode, with no script and no cookie."""

import pytest

from cms.models import Authority
from tests.factories import EventPageFactory, SessionFactory, event_index

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_councils_event_page_shows_its_front_door_and_the_help_page_finds_a_council(page):
    northshire = Authority.objects.create(
        name="Northshire Council",
        code="northshire",
        is_demo=True,
        postcode_districts=["RM17"],
        front_door_phone="0113 496 0000",
    )
    Authority.objects.create(
        name="Eastmouth Borough Council",
        code="eastmouth",
        is_demo=True,
        postcode_districts=["SS1"],
        front_door_phone="020 7946 0100",
    )
    event_index()
    event = EventPageFactory(title="Walk Online roadshow", slug="walk-online", authority=northshire)
    SessionFactory(event=event)

    page.goto(event.url)
    banner = page.locator(".help-banner")
    # Visible without opening anything: the council that runs the event, named, and its number.
    assert banner.get_by_role("link", name="0113 496 0000").is_visible()
    assert "Northshire Council children's services" in banner.inner_text()
    assert "020 7946 0100" not in page.content()

    page.goto("/help/")
    page.get_by_label("Your postcode").fill("ss1 2ab")
    page.get_by_role("button", name="Find my council").click()
    main = page.locator("main")
    assert "SS1 is in the area of Eastmouth Borough Council" in main.inner_text()
    assert page.url.endswith("/help/?postcode=ss1+2ab")
    assert not page.context.cookies()
