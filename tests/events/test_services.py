"""Session use cases: changes reach people, capacity is kept, repeating sessions follow their rule."""

import datetime

import pytest
from wagtail.models import ModelLogEntry, PageLogEntry

from cms.errors import ServiceError
from events import services
from events.models import Session, SessionStatus
from events.signals import session_changed
from tests.factories import EventPageFactory, SessionFactory, VenueFactory

from .helpers import LONDON, take_places

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


@pytest.fixture
def received():
    calls = []

    def receiver(sender, session, changed_fields, cancelled, **kwargs):
        calls.append({"session": session, "changed_fields": changed_fields, "cancelled": cancelled})

    session_changed.connect(receiver, dispatch_uid="test-receiver")
    yield calls
    session_changed.disconnect(dispatch_uid="test-receiver")


def test_moving_a_session_raises_its_sequence_and_tells_the_booking_side(received, admin_user):
    session = SessionFactory()
    later = session.starts_at + datetime.timedelta(days=1)
    updated = services.update_session(
        session, user=admin_user, starts_at=later, ends_at=later + datetime.timedelta(hours=3)
    )
    assert updated.sequence == 1
    assert updated.starts_at == later
    assert received == [{"session": updated, "changed_fields": ["starts_at", "ends_at"], "cancelled": False}]
    assert received[0]["session"].sequence == 1
    entry = ModelLogEntry.objects.get(action="events.session.changed")
    assert entry.user == admin_user
    assert entry.data["changed"] == ["starts_at", "ends_at"]


def test_changing_venue_or_status_raises_the_sequence(received):
    session = SessionFactory()
    session = services.update_session(session, venue=VenueFactory())
    assert session.sequence == 1
    session = services.cancel_session(session)
    assert session.sequence == 2
    assert session.status == SessionStatus.CANCELLED
    assert received[-1]["cancelled"] is True
    assert received[-1]["changed_fields"] == ["status"]
    assert ModelLogEntry.objects.filter(action="events.session.cancelled").count() == 1


def test_unrelated_edits_do_not_raise_the_sequence_or_notify(received):
    session = SessionFactory(capacity=90)
    session = services.update_session(session, capacity=120, booking_closes_at=session.starts_at)
    assert session.sequence == 0
    assert session.capacity == 120
    assert received == []
    # Saving the same values is not a change at all.
    session = services.update_session(session, starts_at=session.starts_at, venue=session.venue)
    assert session.sequence == 0
    assert received == []


def test_an_update_never_writes_back_a_stale_places_taken():
    session = SessionFactory(capacity=90)
    stale = Session.objects.get(pk=session.pk)
    take_places(session, 40)  # the booking side books 40 meanwhile
    services.update_session(stale, capacity=100, venue=VenueFactory())
    session.refresh_from_db()
    assert session.places_taken == 40
    assert session.capacity == 100


def test_capacity_cannot_go_below_the_places_taken():
    session = take_places(SessionFactory(capacity=90), 60)
    with pytest.raises(ServiceError, match="cannot go below the 60 places already booked"):
        services.update_session(session, capacity=59)
    session.refresh_from_db()
    assert session.capacity == 90
    assert services.update_session(session, capacity=60).capacity == 60


def test_cancelling_twice_is_refused():
    session = services.cancel_session(SessionFactory())
    with pytest.raises(ServiceError, match="already cancelled"):
        services.cancel_session(session)


def test_a_session_must_end_after_it_starts():
    session = SessionFactory()
    with pytest.raises(ServiceError, match="end after it starts"):
        services.update_session(session, ends_at=session.starts_at)
    with pytest.raises(ServiceError, match="end after it starts"):
        services.create_session(
            event=session.event,
            venue=session.venue,
            starts_at=session.starts_at,
            ends_at=session.starts_at - datetime.timedelta(minutes=1),
            capacity=10,
        )


def test_places_taken_cannot_be_changed_through_the_service():
    session = SessionFactory()
    with pytest.raises(ServiceError, match="places_taken"):
        services.update_session(session, places_taken=5)


def test_create_session_is_logged(admin_user):
    session = SessionFactory.build()
    created = services.create_session(
        event=EventPageFactory(),
        venue=VenueFactory(),
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        capacity=30,
        user=admin_user,
    )
    entry = ModelLogEntry.objects.get(action="events.session.created")
    assert entry.object_id == str(created.pk)
    assert entry.user == admin_user


def test_first_tuesday_of_each_quarter_makes_one_session_per_quarter_at_the_same_local_time():
    event = EventPageFactory()
    venue = VenueFactory()
    rule = services.repeating_rule(
        frequency="quarterly",
        weekday=1,
        week_of_month=1,
        first_date=datetime.date(2027, 1, 1),
        until=datetime.date(2027, 12, 31),
    )
    created = services.create_recurring_sessions(
        event, rule, start_time=datetime.time(18, 30), end_time=datetime.time(20), venue=venue, capacity=40
    )
    local = [s.starts_at.astimezone(LONDON) for s in created]
    assert [d.date() for d in local] == [
        datetime.date(2027, 1, 5),
        datetime.date(2027, 4, 6),
        datetime.date(2027, 7, 6),
        datetime.date(2027, 10, 5),
    ]
    # 18:30 wall-clock time in winter (GMT) and in summer (BST).
    assert {(d.hour, d.minute) for d in local} == {(18, 30)}
    assert [d.utcoffset().total_seconds() / 3600 for d in local] == [0, 1, 1, 1]
    assert all(s.capacity == 40 and s.venue == venue and s.event == event for s in created)
    assert PageLogEntry.objects.filter(action="events.sessions.repeating_created", page=event).exists()

    # Running the same rule again creates nothing new.
    again = services.create_recurring_sessions(
        event, rule, start_time=datetime.time(18, 30), end_time=datetime.time(20), venue=venue, capacity=40
    )
    assert again == []
    assert event.sessions.count() == 4


def test_last_friday_of_each_month_and_weekly_rules():
    monthly = services.repeating_rule(
        frequency="monthly",
        weekday=4,
        week_of_month=-1,
        first_date=datetime.date(2027, 1, 1),
        until=datetime.date(2027, 3, 31),
    )
    assert [d.date() for d in monthly] == [
        datetime.date(2027, 1, 29),
        datetime.date(2027, 2, 26),
        datetime.date(2027, 3, 26),
    ]
    weekly = services.repeating_rule(
        frequency="weekly", weekday=0, first_date=datetime.date(2027, 3, 1), until=datetime.date(2027, 3, 15)
    )
    assert [d.date() for d in weekly] == [
        datetime.date(2027, 3, 1),
        datetime.date(2027, 3, 8),
        datetime.date(2027, 3, 15),
    ]


def test_a_rule_with_no_dates_or_too_many_is_refused():
    event, venue = EventPageFactory(), VenueFactory()
    empty = services.repeating_rule(
        frequency="quarterly",
        weekday=1,
        week_of_month=1,
        first_date=datetime.date(2027, 1, 6),
        until=datetime.date(2027, 3, 31),
    )
    with pytest.raises(ServiceError, match="no dates"):
        services.create_recurring_sessions(
            event, empty, start_time=datetime.time(9), end_time=datetime.time(10), venue=venue, capacity=5
        )
    huge = services.repeating_rule(
        frequency="weekly", weekday=0, first_date=datetime.date(2027, 1, 1), until=datetime.date(2035, 1, 1)
    )
    with pytest.raises(ServiceError, match="more than"):
        services.create_recurring_sessions(
            event, huge, start_time=datetime.time(9), end_time=datetime.time(10), venue=venue, capacity=5
        )
    assert not event.sessions.exists()


def test_deleting_a_session_without_bookings_is_logged(admin_user):
    session = SessionFactory()
    pk = session.pk
    services.delete_session(session, user=admin_user)
    assert not Session.objects.filter(pk=pk).exists()
    assert ModelLogEntry.objects.filter(action="events.session.deleted", object_id=str(pk)).exists()
