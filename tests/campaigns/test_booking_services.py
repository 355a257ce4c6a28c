"""Booking services: places are taken, changed, moved and released exactly, and bad requests change nothing."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from campaigns.bookings import places as booking_places
from campaigns.bookings import services as bookings
from campaigns.models import Booking, BookingStatus, InvitationState, OutboundMessage
from cms.errors import ServiceError
from events.models import EventKind, Session, SessionStatus
from tests.campaigns.factories_bookings import (
    another_session,
    booker,
    campaign_with_session,
    individual_session,
    invitation_for,
    school_booking,
)
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def places_taken(session):
    session.refresh_from_db()
    return session.places_taken


def test_booking_takes_places_and_gets_a_reference_with_the_campaign_code():
    campaign, session = campaign_with_session(code="WO27")
    booking = bookings.book_places(**school_booking(session, campaign, pupils=60, staff=4))
    assert booking.places == 64
    assert places_taken(session) == 64
    assert booking.reference.startswith("WO27-") and len(booking.reference) == 9
    assert booking.status == BookingStatus.CONFIRMED


def test_confirmation_email_is_queued_with_a_calendar_request_and_the_manage_link():
    campaign, session = campaign_with_session()
    booking = bookings.book_places(**school_booking(session, campaign))
    message = OutboundMessage.objects.get(template="booking_confirmed")
    assert message.to_email == booking.booker_email
    assert message.calendar_method == "REQUEST"
    assert booking.manage_token in message.context["manage_url"]
    assert message.context["reference"] == booking.reference


def test_booking_more_places_than_are_left_says_how_many_are_left_and_saves_nothing():
    campaign, session = campaign_with_session(capacity=40)
    bookings.book_places(**school_booking(session, campaign, pupils=28, staff=2))
    with pytest.raises(booking_places.NotEnoughPlaces) as raised:
        bookings.book_places(**school_booking(session, campaign, pupils=12, staff=1))
    assert raised.value.places_left == 10
    assert "only 10 places" in raised.value.message
    assert places_taken(session) == 30
    assert Booking.objects.count() == 1
    assert OutboundMessage.objects.filter(template="booking_confirmed").count() == 1


def test_a_full_session_says_it_is_full():
    campaign, session = campaign_with_session(capacity=10)
    bookings.book_places(**school_booking(session, campaign, pupils=8, staff=2))
    with pytest.raises(booking_places.NotEnoughPlaces, match="full"):
        bookings.book_places(**school_booking(session, campaign, pupils=1, staff=0))


def test_a_session_read_as_full_is_refused_before_anything_is_written():
    campaign, session = campaign_with_session(capacity=10)
    bookings.book_places(**school_booking(session, campaign, pupils=8, staff=2))
    fresh = Session.objects.select_related("event", "venue").get(pk=session.pk)
    messages_before = OutboundMessage.objects.count()
    with pytest.raises(booking_places.NotEnoughPlaces, match="full"):
        bookings.book_places(**school_booking(fresh, campaign, pupils=1, staff=0))
    assert Booking.objects.count() == 1
    assert OutboundMessage.objects.count() == messages_before
    assert places_taken(session) == 10


def test_a_repeated_submission_after_the_session_filled_still_shows_the_booking():
    campaign, session = campaign_with_session(capacity=32)
    school = OrganisationFactory()
    first = bookings.book_places(
        **school_booking(session, campaign, organisation=school, submission_key="f" * 43)
    )
    fresh = Session.objects.select_related("event", "venue").get(pk=session.pk)
    again = bookings.book_places(
        **school_booking(fresh, campaign, organisation=school, submission_key="f" * 43)
    )
    assert again.pk == first.pk and again.already_made
    assert places_taken(session) == 32


@pytest.mark.parametrize(
    ("pupils", "staff", "message"),
    [
        (0, 0, "at least one place"),
        (-5, 2, "cannot be negative"),
        (10**9, 2, "more than one booking can hold"),
        ("30", 2, "whole number"),
        (95, 0, "holds 90 people"),
    ],
)
def test_bad_numbers_are_refused_and_change_nothing(pupils, staff, message):
    campaign, session = campaign_with_session()
    with pytest.raises(ServiceError, match=message):
        bookings.book_places(**school_booking(session, campaign, pupils=pupils, staff=staff))
    assert places_taken(session) == 0
    assert not Booking.objects.exists()


def test_a_year_group_the_campaign_does_not_cover_is_refused():
    campaign, session = campaign_with_session(year_groups=["Y5"])
    with pytest.raises(ServiceError, match="Year 5"):
        bookings.book_places(**school_booking(session, campaign, year_group="Y9"))
    assert places_taken(session) == 0


@pytest.mark.parametrize("problem", ["cancelled", "past", "closed", "after_cutoff", "not_open_yet"])
def test_sessions_that_cannot_be_booked_are_refused(problem):
    campaign, session = campaign_with_session(booking_cutoff_days=2)
    now = timezone.now()
    if problem == "cancelled":
        session.status = SessionStatus.CANCELLED
    elif problem == "past":
        session.starts_at = now - datetime.timedelta(days=1)
        session.ends_at = now - datetime.timedelta(hours=20)
    elif problem == "closed":
        session.booking_closes_at = now - datetime.timedelta(hours=1)
    elif problem == "after_cutoff":
        session.starts_at = now + datetime.timedelta(days=1)
        session.ends_at = session.starts_at + datetime.timedelta(hours=2)
    else:
        session.booking_opens_at = now + datetime.timedelta(days=1)
    session.save()
    with pytest.raises(ServiceError):
        bookings.book_places(**school_booking(session, campaign))
    assert places_taken(session) == 0


def test_one_confirmed_booking_per_organisation_per_session_but_two_sessions_are_fine():
    campaign, session = campaign_with_session()
    school = OrganisationFactory()
    first = bookings.book_places(**school_booking(session, campaign, organisation=school))
    with pytest.raises(ServiceError, match="already has a booking") as refused:
        bookings.book_places(**school_booking(session, campaign, organisation=school, booker_email="x@y.org"))
    # The refusal names no reference or link: the first booking's link is emailed again to its booker.
    assert first.reference not in refused.value.message
    again = OutboundMessage.objects.get(template="booking_link_again")
    assert again.to_email == first.booker_email and first.manage_token in again.context["manage_url"]
    second_session = another_session(campaign)
    bookings.book_places(**school_booking(second_session, campaign, organisation=school))
    assert places_taken(session) == 32
    assert places_taken(second_session) == 32


def test_a_repeated_submission_returns_the_first_booking_and_takes_no_more_places():
    campaign, session = campaign_with_session()
    school = OrganisationFactory()
    first = bookings.book_places(
        **school_booking(session, campaign, organisation=school, submission_key="k" * 43)
    )
    again = bookings.book_places(
        **school_booking(session, campaign, organisation=school, submission_key="k" * 43)
    )
    assert again.pk == first.pk and again.already_made
    assert places_taken(session) == 32
    # One confirmation: the repeat's email was queued in the attempt that rolled back.
    assert OutboundMessage.objects.filter(template="booking_confirmed", related_id=first.pk).count() == 1


def test_booking_through_an_invitation_marks_it_booked_even_after_it_was_declined():
    campaign, session = campaign_with_session()
    invitation = invitation_for(campaign, state=InvitationState.DECLINED, declined_at=timezone.now())
    bookings.book_places(
        session=session, invitation=invitation, year_group="Y5", pupils=25, staff=2, **booker()
    )
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.BOOKED
    assert invitation.booked_at is not None


def test_every_booking_change_is_in_the_audit_log_with_who_made_it(admin_user):
    campaign, session = campaign_with_session()
    booking = bookings.book_places(**school_booking(session, campaign))
    bookings.change_booking(booking, pupils=20)
    bookings.cancel_booking(booking, user=admin_user)
    entries = list(ModelLogEntry.objects.filter(object_id=str(booking.pk)).order_by("timestamp", "pk"))
    assert [entry.action for entry in entries] == [
        "campaigns.booking.created",
        "campaigns.booking.changed",
        "campaigns.booking.cancelled",
    ]
    assert entries[0].data["by"] == "booker via link"
    assert entries[2].user == admin_user


def test_changing_numbers_takes_or_gives_back_only_the_difference():
    campaign, session = campaign_with_session(capacity=90)
    booking = bookings.book_places(**school_booking(session, campaign, pupils=60, staff=4))
    bookings.change_booking(booking, pupils=58)
    assert places_taken(session) == 62
    bookings.change_booking(booking, pupils=80, staff=6)
    assert places_taken(session) == 86
    bookings.book_places(**school_booking(session, campaign, pupils=3, staff=0))
    with pytest.raises(booking_places.NotEnoughPlaces, match="only 1 place is left"):
        bookings.change_booking(booking, pupils=83)
    booking.refresh_from_db()
    assert (booking.pupils, booking.places) == (80, 86)
    assert places_taken(session) == 89
    assert OutboundMessage.objects.filter(template="booking_changed", calendar_method="REQUEST").count() == 2


def test_moving_a_booking_frees_the_old_session_and_takes_the_new_one_with_calendar_updates():
    campaign, session = campaign_with_session()
    other = another_session(campaign, capacity=40)
    booking = bookings.book_places(**school_booking(session, campaign, pupils=30, staff=2))
    bookings.change_booking(booking, session=other)
    assert places_taken(session) == 0
    assert places_taken(other) == 32
    booking.refresh_from_db()
    assert booking.session == other
    methods = set(
        OutboundMessage.objects.filter(related_id=booking.pk).values_list("template", "calendar_method")
    )
    assert ("booking_moved_from", "CANCEL") in methods
    assert ("booking_changed", "REQUEST") in methods


def test_moving_to_a_session_without_room_changes_nothing():
    campaign, session = campaign_with_session()
    other = another_session(campaign, capacity=40)
    bookings.book_places(**school_booking(other, campaign, pupils=18, staff=2))
    booking = bookings.book_places(**school_booking(session, campaign, pupils=30, staff=2))
    with pytest.raises(booking_places.NotEnoughPlaces, match="only 20 places"):
        bookings.change_booking(booking, session=other)
    assert places_taken(session) == 32 and places_taken(other) == 20
    booking.refresh_from_db()
    assert booking.session == session


def test_cancelling_gives_the_places_back_and_sends_a_calendar_cancel():
    campaign, session = campaign_with_session()
    booking = bookings.book_places(**school_booking(session, campaign))
    bookings.cancel_booking(booking)
    assert places_taken(session) == 0
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert OutboundMessage.objects.get(template="booking_cancelled").calendar_method == "CANCEL"
    with pytest.raises(ServiceError, match="already cancelled"):
        bookings.cancel_booking(booking)
    assert places_taken(session) == 0


def test_after_the_cutoff_the_booker_is_told_whom_to_contact_but_staff_can_still_change_it(admin_user):
    campaign, session = campaign_with_session(
        booking_cutoff_days=2, contact_email="roadshow@council.example.gov.uk", contact_phone="01375 111111"
    )
    booking = bookings.book_places(**school_booking(session, campaign))
    later = session.starts_at - datetime.timedelta(days=1)
    with pytest.raises(ServiceError, match="roadshow@council.example.gov.uk"):
        bookings.cancel_booking(booking, now=later)
    with pytest.raises(ServiceError, match="01375 111111"):
        bookings.change_booking(booking, pupils=10, now=later)
    assert places_taken(session) == 32
    bookings.change_booking(booking, pupils=10, user=admin_user, now=later)
    assert places_taken(session) == 12


def test_an_individual_books_themselves_and_guests_up_to_the_event_limit():
    session = individual_session(max_guests=2)
    booking = bookings.book_places(session=session, guests=2, **booker(booker_name="Alex Parent"))
    assert booking.places == 3 and booking.reference.startswith("ST-")
    with pytest.raises(ServiceError, match="at most 2 guests"):
        bookings.book_places(session=session, guests=3, **booker(booker_email="other@example.org"))
    assert places_taken(session) == 3


def test_professional_training_needs_an_organisation_or_licence_number():
    session = individual_session(kind=EventKind.PROFESSIONAL_TRAINING, max_guests=0)
    with pytest.raises(ServiceError, match="licence number"):
        bookings.book_places(session=session, **booker(booker_name="Pat Driver"))
    booking = bookings.book_places(
        session=session, licence_number="PH-12345", **booker(booker_name="Pat Driver")
    )
    assert booking.licence_number == "PH-12345" and booking.places == 1


def test_organisations_cannot_book_sessions_for_individuals():
    session = individual_session()
    with pytest.raises(ServiceError, match="individuals"):
        bookings.book_places(session=session, organisation=OrganisationFactory(), pupils=5, **booker())


def test_the_check_constraint_backs_up_the_conditional_update():
    campaign, session = campaign_with_session(capacity=10)
    with pytest.raises(booking_places.NotEnoughPlaces):
        booking_places.take_places(session.pk, 11)
    booking_places.take_places(session.pk, 10)
    assert places_taken(session) == 10
    booking_places.release_places(session.pk, 4)
    assert places_taken(session) == 6
