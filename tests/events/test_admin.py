"""Staff manage venues and sessions in the admin without ever putting bookings at risk."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry, Page

from events.models import Session, SessionStatus
from events.signals import session_changed
from tests.factories import BookingFactory, EventPageFactory, VenueFactory, event_index
from tests.factories import SessionFactory as BaseSessionFactory

from .helpers import take_places

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def SessionFactory(**kwargs):  # noqa: N802 - stands in for the factory
    """Sessions on whole minutes, as the admin's date-time inputs give them."""
    starts_at = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=14)
    kwargs.setdefault("starts_at", starts_at)
    kwargs.setdefault("ends_at", kwargs["starts_at"] + datetime.timedelta(hours=3))
    return BaseSessionFactory(**kwargs)


FMT = "%Y-%m-%d %H:%M"


def form_data(session, **overrides):
    data = {
        "event": session.event.pk,
        "starts_at": timezone.localtime(session.starts_at).strftime(FMT),
        "ends_at": timezone.localtime(session.ends_at).strftime(FMT),
        "venue": session.venue.pk,
        "capacity": session.capacity,
        "booking_opens_at": "",
        "booking_closes_at": "",
        "status": session.status,
    }
    data.update(overrides)
    return data


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def received():
    calls = []

    def receiver(sender, session, changed_fields, cancelled, **kwargs):
        calls.append((session.pk, changed_fields, cancelled))

    session_changed.connect(receiver, dispatch_uid="admin-test-receiver")
    yield calls
    session_changed.disconnect(dispatch_uid="admin-test-receiver")


# Venues -------------------------------------------------------------------------------------------


def test_venues_are_listed_searched_and_exported(admin_client):
    VenueFactory(name="Thames Reach Conference Centre", postcode="RM17 6EX")
    VenueFactory(name="Stanford Community Hall", postcode="SS17 0EH")
    response = admin_client.get(reverse("venues:index"), {"q": "stanford"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Stanford Community Hall" in html
    assert "Thames Reach" not in html

    export = admin_client.get(reverse("venues:index"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0][:3] == ["Name", "Address", "Postcode"]
    assert {row[0] for row in rows[1:]} == {"Thames Reach Conference Centre", "Stanford Community Hall"}


def test_a_venue_can_be_added(admin_client):
    response = admin_client.post(
        reverse("venues:add"),
        {
            "name": "Grays Library",
            "address": "Orsett Road\nGrays",
            "postcode": "RM17 5DX",
            "capacity_guidance": "45",
            "accessibility_notes": "Level access.",
            "directions": "Town centre.",
        },
    )
    assert response.status_code == 302
    assert VenueFactory._meta.model.objects.filter(name="Grays Library").exists()


# Sessions -----------------------------------------------------------------------------------------


def test_each_session_in_the_list_opens_its_edit_screen(admin_client):
    session = SessionFactory()
    page = admin_client.get(reverse("events_sessions:index")).content.decode()
    assert f'href="{reverse("events_sessions:edit", args=[session.pk])}"' in page


def test_session_list_filters_by_event_and_exports(admin_client):
    event = EventPageFactory(title="Walk Online roadshow")
    SessionFactory(event=event, capacity=160)
    SessionFactory(event=EventPageFactory(title="Parents evening"))
    response = admin_client.get(reverse("events_sessions:index"), {"event": event.pk})
    assert response.status_code == 200
    assert [s.event.title for s in response.context["object_list"]] == ["Walk Online roadshow"]

    export = admin_client.get(reverse("events_sessions:index"), {"export": "csv", "event": event.pk})
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert len(rows) == 1
    assert rows[0]["Event"] == "Walk Online roadshow"
    assert rows[0]["Capacity"] == "160"
    assert rows[0]["Places left"] == "160"


def test_places_taken_is_never_a_form_field(admin_client):
    session = SessionFactory()
    response = admin_client.get(reverse("events_sessions:edit", args=[session.pk]))
    assert response.status_code == 200
    assert "places_taken" not in response.context["form"].fields
    assert 'name="places_taken"' not in response.content.decode()


def test_staff_add_a_session_next_to_its_event(admin_client, admin_user):
    event = EventPageFactory()
    venue = VenueFactory()
    response = admin_client.get(reverse("events_sessions:add"), {"event": event.pk})
    assert response.context["form"].initial["event"] == str(event.pk)
    template = BaseSessionFactory.build(event=event, venue=venue, capacity=45)
    response = admin_client.post(reverse("events_sessions:add"), form_data(template))
    assert response.status_code == 302
    session = Session.objects.get(event=event)
    assert session.capacity == 45
    assert session.places_taken == 0
    assert ModelLogEntry.objects.filter(action="events.session.created", user=admin_user).exists()


def test_the_event_editor_shows_its_sessions_with_links(admin_client):
    session = SessionFactory(venue__name="Stanford Community Hall")
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[session.event.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Stanford Community Hall" in html
    assert reverse("events_sessions:edit", args=[session.pk]) in html
    assert reverse("events_sessions:add") + f"?event={session.event.pk}" in html


def test_capacity_below_places_taken_is_refused_with_a_reason(admin_client):
    session = take_places(SessionFactory(capacity=90), 60)
    response = admin_client.post(
        reverse("events_sessions:edit", args=[session.pk]), form_data(session, capacity=50)
    )
    assert response.status_code == 200
    assert "cannot go below the 60 places already booked" in response.content.decode()
    session.refresh_from_db()
    assert (session.capacity, session.places_taken) == (90, 60)


def test_moving_a_session_in_the_admin_tells_everyone_booked(admin_client, admin_user, received):
    session = take_places(SessionFactory(), 20)
    later = session.starts_at + datetime.timedelta(days=2)
    response = admin_client.post(
        reverse("events_sessions:edit", args=[session.pk]),
        form_data(
            session,
            starts_at=timezone.localtime(later).strftime(FMT),
            ends_at=timezone.localtime(later + datetime.timedelta(hours=3)).strftime(FMT),
        ),
        follow=True,
    )
    assert response.status_code == 200
    assert any("updated calendar entry" in m for m in messages_of(response))
    session.refresh_from_db()
    assert session.sequence == 1
    assert session.places_taken == 20
    assert received == [(session.pk, ["starts_at", "ends_at"], False)]
    assert ModelLogEntry.objects.filter(action="events.session.changed", user=admin_user).exists()


def test_cancelling_in_the_admin_sends_a_cancellation(admin_client, received):
    session = SessionFactory()
    admin_client.post(
        reverse("events_sessions:edit", args=[session.pk]),
        form_data(session, status=SessionStatus.CANCELLED),
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert session.sequence == 1
    assert received == [(session.pk, ["status"], True)]


def test_raising_capacity_does_not_touch_calendars(admin_client, received):
    session = SessionFactory(capacity=90)
    admin_client.post(reverse("events_sessions:edit", args=[session.pk]), form_data(session, capacity=120))
    session.refresh_from_db()
    assert (session.capacity, session.sequence) == (120, 0)
    assert received == []


def test_a_session_that_ends_before_it_starts_is_refused(admin_client):
    session = SessionFactory()
    response = admin_client.post(
        reverse("events_sessions:edit", args=[session.pk]),
        form_data(session, ends_at=timezone.localtime(session.starts_at).strftime(FMT)),
    )
    assert response.status_code == 200
    assert "must end after it starts" in response.content.decode()


def test_a_session_with_bookings_cannot_be_deleted(admin_client):
    session = SessionFactory()
    BookingFactory(session=session, adults=0, guests=0)
    url = reverse("events_sessions:delete", args=[session.pk])
    for response in (admin_client.get(url, follow=True), admin_client.post(url, follow=True)):
        assert response.status_code == 200
        assert any("has bookings, so it cannot be deleted" in m for m in messages_of(response))
    assert Session.objects.filter(pk=session.pk).exists()


def test_a_session_without_bookings_can_be_deleted(admin_client, admin_user):
    session = SessionFactory()
    response = admin_client.post(reverse("events_sessions:delete", args=[session.pk]))
    assert response.status_code == 302
    assert not Session.objects.filter(pk=session.pk).exists()
    assert ModelLogEntry.objects.filter(action="events.session.deleted", user=admin_user).exists()


def test_an_event_page_whose_sessions_have_bookings_cannot_be_deleted(admin_client):
    session = SessionFactory()
    BookingFactory(session=session, adults=0, guests=0)
    url = reverse("wagtailadmin_pages:delete", args=[session.event.pk])
    response = admin_client.post(url, follow=True)
    assert response.status_code == 200
    assert any(
        "cannot be deleted because some of its sessions have bookings" in m for m in messages_of(response)
    )
    assert Page.objects.filter(pk=session.event.pk).exists()
    assert Session.objects.filter(pk=session.pk).exists()


def test_the_whats_on_page_cannot_be_deleted_while_its_events_have_bookings(admin_client):
    session = SessionFactory()
    BookingFactory(session=session, adults=0, guests=0)
    index = event_index()
    response = admin_client.post(reverse("wagtailadmin_pages:delete", args=[index.pk]), follow=True)
    assert any("have bookings" in m for m in messages_of(response))
    assert Page.objects.filter(pk=index.pk).exists()


def test_bulk_deleting_an_event_with_bookings_is_refused(admin_client):
    session = SessionFactory()
    BookingFactory(session=session, adults=0, guests=0)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"]) + f"?id={session.event.pk}"
    response = admin_client.post(url, follow=True)
    assert response.status_code == 200
    assert Page.objects.filter(pk=session.event.pk).exists()
    assert any("have bookings" in m for m in messages_of(response))


def test_an_event_page_without_bookings_can_be_deleted(admin_client):
    session = SessionFactory()
    event_pk = session.event.pk
    response = admin_client.post(reverse("wagtailadmin_pages:delete", args=[event_pk]))
    assert response.status_code == 302
    assert not Page.objects.filter(pk=event_pk).exists()
    assert not Session.objects.filter(pk=session.pk).exists()


def test_repeating_sessions_are_created_in_one_step(admin_client):
    event = EventPageFactory()
    venue = VenueFactory()
    year = timezone.localdate().year + 1
    url = reverse("events_sessions:recurring")
    assert admin_client.get(url, {"event": event.pk}).status_code == 200
    response = admin_client.post(
        url,
        {
            "event": event.pk,
            "venue": venue.pk,
            "capacity": 40,
            "frequency": "quarterly",
            "weekday": 1,
            "week_of_month": 1,
            "first_date": f"{year}-01-01",
            "last_date": f"{year}-12-31",
            "start_time": "18:30",
            "end_time": "20:00",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert any("4 sessions created" in m for m in messages_of(response))
    sessions = list(event.sessions.order_by("starts_at"))
    assert [timezone.localtime(s.starts_at).strftime("%m-%d %H:%M") for s in sessions] == [
        timezone.localtime(s.starts_at).strftime("%m-%d") + " 18:30" for s in sessions
    ]
    assert [timezone.localtime(s.starts_at).month for s in sessions] == [1, 4, 7, 10]
    assert all(timezone.localtime(s.starts_at).weekday() == 1 for s in sessions)
    assert all(timezone.localtime(s.starts_at).day <= 7 for s in sessions)


def test_repeating_sessions_form_explains_bad_input(admin_client):
    event = EventPageFactory()
    response = admin_client.post(
        reverse("events_sessions:recurring"),
        {
            "event": event.pk,
            "venue": VenueFactory().pk,
            "capacity": 40,
            "frequency": "quarterly",
            "weekday": 1,
            "week_of_month": 1,
            "first_date": "2027-01-06",
            "last_date": "2027-03-31",
            "start_time": "18:30",
            "end_time": "20:00",
        },
    )
    assert response.status_code == 200
    assert "no dates" in response.content.decode()
    assert not event.sessions.exists()


def test_session_screens_need_permission(client, django_user_model):
    user = django_user_model.objects.create_user(username="editor", password="x")
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    session = SessionFactory()
    for url in (
        reverse("events_sessions:index"),
        reverse("events_sessions:edit", args=[session.pk]),
        reverse("events_sessions:recurring"),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403)


def test_a_venue_with_sessions_cannot_be_deleted(admin_client):
    session = SessionFactory()
    response = admin_client.post(reverse("venues:delete", args=[session.venue.pk]), follow=True)
    assert response.status_code == 200
    assert any("has sessions, so it cannot be deleted" in m for m in messages_of(response))
    assert Session.objects.filter(pk=session.pk, venue=session.venue).exists()
    empty = VenueFactory()
    assert admin_client.post(reverse("venues:delete", args=[empty.pk])).status_code == 302
    assert not type(empty).objects.filter(pk=empty.pk).exists()


def test_a_refusal_from_the_service_is_shown_on_the_form(admin_client, monkeypatch):
    # E.g. bookings taken between loading the form and saving it: the service has the last word.
    from cms.errors import ServiceError
    from events import services

    def refuse(*args, **kwargs):
        raise ServiceError("The capacity cannot go below the 75 places already booked.")

    monkeypatch.setattr(services, "update_session", refuse)
    session = SessionFactory(capacity=90)
    response = admin_client.post(
        reverse("events_sessions:edit", args=[session.pk]), form_data(session, capacity=70)
    )
    assert response.status_code == 200
    assert "The capacity cannot go below the 75 places already booked." in response.content.decode()
    session.refresh_from_db()
    assert session.capacity == 90


def test_the_session_screen_shows_its_bookings_button_once_however_often_it_is_opened(admin_client):
    session = SessionFactory()
    url = reverse("events_sessions:edit", args=[session.pk])
    for _ in range(3):
        page = admin_client.get(url).content.decode()
    assert page.count("Bookings, register and cancelling") == 1
