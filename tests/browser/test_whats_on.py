"""What's on in a real browser: no blocked scripts or styles, filters by plain links, calendar downloads,
and staff told why a session cannot shrink below its bookings."""

import datetime

import pytest
from django.utils import timezone

from events.models import EventKind
from resources.taxonomy import Audience
from tests.events.helpers import parse_both, take_places, vevents
from tests.factories import EventPageFactory, SessionFactory, VenueFactory, event_index
from tests.support.browser import login, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _programme():
    event_index()
    day = timezone.localdate() + datetime.timedelta(days=10)
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
    venue = VenueFactory(name="Thames Reach Conference Centre", accessibility_notes="Step-free entrance.")
    roadshow = EventPageFactory(title="Walk Online roadshow", slug="walk-online")
    parents = EventPageFactory(
        title="An evening for parents", kind=EventKind.PARENT_SESSION, audience=Audience.PARENTS_CARERS
    )
    full = SessionFactory(
        event=roadshow, venue=venue, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=2)
    )
    take_places(full, full.capacity)
    SessionFactory(event=parents, starts_at=starts_at + datetime.timedelta(days=1, hours=9))
    return roadshow, full


def test_whats_on_filters_and_downloads_a_calendar_entry(page):
    roadshow, full = _programme()
    problems = []
    # Blocked scripts or styles (CSP) show as console errors; failed requests are caught by status below
    # (the browser's own favicon request is not one of our pages' resources).
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on("response", lambda response: problems.append(response.url) if response.status >= 400 else None)
    page.goto("/events/")
    assert page.get_by_role("heading", name="Walk Online roadshow").is_visible()
    assert page.get_by_text("Full — join the waiting list").is_visible()

    page.get_by_role("link", name="Parents and carers").click()
    page.wait_for_url("**/events/?audience=parents-carers")
    assert page.get_by_role("heading", name="An evening for parents").is_visible()
    assert page.get_by_role("heading", name="Walk Online roadshow").count() == 0
    save_screenshot(page, "whats-on-filtered")

    page.goto(roadshow.url)
    assert page.get_by_text("Step-free entrance.").is_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar").first.click()
    download = download_info.value
    assert download.suggested_filename == f"session-{full.pk}.ics"
    with open(download.path(), "rb") as ics:
        calendar, _ = parse_both(ics.read())
    assert vevents(calendar)[0]["UID"] == f"session-{full.pk}@testserver"
    assert problems == []


def test_whats_on_reads_on_a_phone(phone_page):
    _programme()
    phone_page.goto("/events/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    save_screenshot(phone_page, "whats-on-phone")


def test_staff_are_told_why_capacity_cannot_go_below_bookings(page, django_user_model):
    django_user_model.objects.create_superuser(
        username="organiser", email="o@example.org", password="password"
    )
    _, full = _programme()
    login(page, "organiser")
    page.goto(f"/admin/events/sessions/edit/{full.pk}/")
    page.fill("input[name=capacity]", str(full.capacity - 10))
    page.get_by_role("button", name="Save").click()
    refusal = page.get_by_text(f"cannot go below the {full.capacity} places already booked").first
    refusal.wait_for(state="visible", timeout=15000)
    save_screenshot(page, "session-capacity-refused")
    full.refresh_from_db()
    assert full.places_taken == full.capacity
