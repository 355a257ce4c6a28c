"""The reach summaries stay equal to a rebuild from raw rows, whatever route changes those rows."""

import datetime
import io
import random

import pytest
from django.core.management import call_command
from django.utils import timezone

from campaigns.bookings import services as bookings
from campaigns.bookings import session_changes, waiting_list
from campaigns.invitations import services as invitations
from campaigns.models import (
    Attendance,
    Booking,
    BookingStatus,
    Invitation,
    InvitationState,
    Organisation,
    OrganisationReach,
    WaitingListStatus,
)
from campaigns.privacy.services import erase_person
from campaigns.reach import summaries
from campaigns.reach.tasks import reconcile_summaries
from campaigns.register import services as register
from cms.errors import ServiceError
from events.models import Session, SessionStatus
from tests.campaigns.factories_bookings import another_session, booker, campaign_with_session, school_booking
from tests.campaigns.factories_reach import AttendanceFactory
from tests.factories import (
    BookingFactory,
    CampaignFactory,
    ContactFactory,
    InvitationFactory,
    OrganisationFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def assert_summaries_exact():
    stored = {
        (r["campaign_id"], r["organisation_id"]): {f: r[f] for f in OrganisationReach.FIGURES}
        for r in OrganisationReach.objects.values()
    }
    assert stored == summaries.expected_summaries()


def test_rows_follow_plain_changes():
    campaign = CampaignFactory()
    school = OrganisationFactory()
    invitation = InvitationFactory(campaign=campaign, organisation=school)
    assert_summaries_exact()
    booking = BookingFactory(campaign=campaign, organisation=school, pupils=20, staff=2)
    assert_summaries_exact()
    AttendanceFactory(
        booking=booking, session=booking.session, campaign=campaign, organisation=school, pupils=18
    )
    row = OrganisationReach.objects.get()
    assert (row.invited, row.bookings, row.booked_pupils, row.lines, row.came_pupils) == (1, 1, 20, 1, 18)
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)
    Attendance.objects.all().delete()
    Invitation.objects.filter(pk=invitation.pk).delete()
    assert not OrganisationReach.objects.exists()


# --- every route, at random --------------------------------------------------------------------------


def _routes(rng, world):
    """One random change through a real route. Refusals (ServiceError) are part of the walk."""
    campaign, sessions, schools = world["campaign"], world["sessions"], world["schools"]
    confirmed = list(Booking.objects.filter(status=BookingStatus.CONFIRMED).order_by("pk"))
    school = rng.choice(schools)
    session = rng.choice(sessions)
    route = rng.choice(
        [
            "book",
            "book",
            "cancel",
            "change",
            "waiting list",
            "register",
            "register",
            "correct register",
            "walk in",
            "remove walk in",
            "invite",
            "opened",
            "declined",
            "cancel session",
            "erase",
            "delete organisation",
        ]
    )
    if route == "book":
        invitation = Invitation.objects.filter(campaign=campaign, organisation=school).first()
        bookings.book_places(
            **school_booking(session, campaign, organisation=school, pupils=rng.randint(1, 30)),
            invitation=invitation,
        )
    elif route == "cancel" and confirmed:
        bookings.cancel_booking(rng.choice(confirmed))
    elif route == "change" and confirmed:
        booking = rng.choice(confirmed)
        bookings.change_booking(booking, pupils=rng.randint(1, 30), staff=booking.staff)
    elif route == "waiting list":
        full = world["full"]
        entry = waiting_list.join_waiting_list(
            session=full, campaign=campaign, organisation=school, year_group="Y5", pupils=5, **booker()
        )
        holder = Booking.objects.filter(session=full, status=BookingStatus.CONFIRMED).first()
        if holder:
            bookings.cancel_booking(holder)
        entry.refresh_from_db()
        if entry.status == WaitingListStatus.OFFERED:
            waiting_list.accept_offer(entry)
    elif route in ("register", "correct register") and confirmed:
        booking = rng.choice(confirmed)
        _held(booking.session)
        no_show = rng.random() < 0.2
        register.record_attendance(
            booking,
            pupils=0 if no_show else rng.randint(0, booking.pupils),
            staff=0 if no_show else booking.staff,
            no_show=no_show,
            confirmed=True,
        )
    elif route == "walk in":
        past = world["past"]
        register.record_walk_in(
            past, organisation=school, year_group="Y5", pupils=rng.randint(1, 9), confirmed=True
        )
    elif route == "remove walk in":
        line = Attendance.objects.filter(booking__isnull=True).first()
        if line:
            register.remove_walk_in(line)
    elif route == "invite":
        if not school.contacts.exists():
            ContactFactory(organisation=school, email=f"office{school.pk}@school.example.org")
        invitations.send_invitations(campaign, Organisation.objects.filter(pk=school.pk))
    elif route == "opened":
        invitation = Invitation.objects.filter(campaign=campaign).order_by("?").first()
        if invitation:
            invitations.advance(invitation.pk, InvitationState.OPENED)
    elif route == "declined":
        invitation = Invitation.objects.filter(campaign=campaign, booked_at__isnull=True).first()
        if invitation:
            invitations.decline(invitation)
    elif route == "cancel session":
        Session.objects.filter(pk=session.pk).update(status=SessionStatus.CANCELLED)
        session_changes.settle_cancelled_session(session)
        sessions.remove(session)
        if not sessions:
            sessions.append(another_session(campaign, capacity=200))
    elif route == "erase":
        erase_person(booker()["booker_email"])
    elif route == "delete organisation":
        doomed = Organisation.objects.filter(bookings__isnull=True, attendance__isnull=True).first()
        if doomed and doomed in schools and len(schools) > 2:
            schools.remove(doomed)
            doomed.delete()
    return route


def _held(session):
    """Move a session to this morning so its register can be taken."""
    if session.starts_at > timezone.now():
        start = timezone.now() - datetime.timedelta(hours=3)
        Session.objects.filter(pk=session.pk).update(
            starts_at=start, ends_at=start + datetime.timedelta(hours=2)
        )
        session.refresh_from_db()


@pytest.mark.parametrize("seed", range(4))
def test_random_changes_through_every_route_keep_the_summaries_exact(seed):
    rng = random.Random(seed)
    campaign, session = campaign_with_session(capacity=200)
    full = another_session(campaign, capacity=10)
    bookings.book_places(**school_booking(full, campaign, pupils=8, staff=2))
    past = another_session(campaign, capacity=200)
    _held(past)
    world = {
        "campaign": campaign,
        "sessions": [session, another_session(campaign, capacity=200)],
        "full": full,
        "past": past,
        "schools": [OrganisationFactory() for _ in range(5)],
    }
    routes = []
    for _ in range(40):
        try:
            routes.append(_routes(rng, world))
        except ServiceError:
            routes.append("refused")
        assert_summaries_exact(), routes
    assert OrganisationReach.objects.exists()
    assert summaries.reconcile() == []


def test_the_nightly_check_logs_and_corrects_drift(caplog):
    campaign = CampaignFactory()
    school = OrganisationFactory()
    BookingFactory(campaign=campaign, organisation=school, pupils=20, staff=2)
    OrganisationReach.objects.update(booked_pupils=99)
    stray = OrganisationFactory()
    OrganisationReach.objects.create(campaign=campaign, organisation=stray, lines=1)

    assert reconcile_summaries() == 2
    assert "Reach summary drift" in caplog.text
    assert_summaries_exact()
    assert reconcile_summaries() == 0
    call_command("rebuild_reach_summaries", stdout=io.StringIO())
