"""The waiting list: freed places are held for the next in line, accepted, declined or passed on when they expire."""

import datetime

import pytest
from django.utils import timezone

from campaigns.bookings import places as booking_places
from campaigns.bookings import reconciliation, waiting_list
from campaigns.bookings import services as bookings
from campaigns.models import Booking, OutboundMessage, WaitingListEntry, WaitingListStatus
from cms.errors import ServiceError
from tests.campaigns.factories_bookings import booker, campaign_with_session, school_booking
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def details(pupils, staff=0, email="wait@school.example.org"):
    return {"year_group": "Y5", "pupils": pupils, "staff": staff, **booker(booker_email=email)}


def full_session():
    campaign, session = campaign_with_session(capacity=60)
    first = bookings.book_places(**school_booking(session, campaign, pupils=40, staff=2))
    second = bookings.book_places(**school_booking(session, campaign, pupils=16, staff=2))
    return campaign, session, first, second


def join(session, campaign, places, email):
    return waiting_list.join_waiting_list(
        session=session, campaign=campaign, organisation=OrganisationFactory(), **details(places, email=email)
    )


def taken(session):
    session.refresh_from_db()
    return session.places_taken


def test_freed_places_are_held_for_the_next_entries_that_fit_in_order():
    campaign, session, first, second = full_session()
    big = join(session, campaign, 50, "big@example.org")
    small = join(session, campaign, 20, "small@example.org")
    later = join(session, campaign, 15, "later@example.org")
    bookings.cancel_booking(second)  # 18 places free: only "later" does not fit
    for entry in (big, small, later):
        entry.refresh_from_db()
    assert big.status == small.status == WaitingListStatus.WAITING
    assert later.status == WaitingListStatus.OFFERED
    assert taken(session) == 42 + 15
    offer = OutboundMessage.objects.get(template="waiting_offer")
    assert offer.to_email == "later@example.org" and later.token in offer.context["waiting_url"]
    assert later.offer_expires_at - later.offered_at == datetime.timedelta(hours=48)
    # A held offer counts as taken: nobody else can book those places, and nothing drifts.
    with pytest.raises(booking_places.NotEnoughPlaces, match="only 3 places"):
        bookings.book_places(**school_booking(session, campaign, pupils=4, staff=0))
    assert not reconciliation.sessions_with_drift().exists()


def test_accepting_an_offer_turns_the_held_places_into_a_booking_without_taking_them_again():
    campaign, session, first, second = full_session()
    entry = join(session, campaign, 15, "later@example.org")
    bookings.cancel_booking(second)
    entry.refresh_from_db()
    booking = waiting_list.accept_offer(entry)
    entry.refresh_from_db()
    assert entry.status == WaitingListStatus.ACCEPTED and entry.booking == booking
    assert booking.places == 15 and taken(session) == 57
    assert OutboundMessage.objects.filter(template="booking_confirmed", to_email="later@example.org").exists()
    with pytest.raises(ServiceError, match="already accepted"):
        waiting_list.accept_offer(entry)
    assert taken(session) == 57
    assert not reconciliation.sessions_with_drift().exists()


def test_an_expired_offer_releases_its_places_and_passes_them_on():
    campaign, session, first, second = full_session()
    one = join(session, campaign, 15, "one@example.org")
    two = join(session, campaign, 15, "two@example.org")
    bookings.cancel_booking(second)
    one.refresh_from_db()
    assert one.status == WaitingListStatus.OFFERED
    later = timezone.now() + datetime.timedelta(hours=49)
    assert waiting_list.expire_offers(now=later) == 1
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.status == WaitingListStatus.EXPIRED and two.status == WaitingListStatus.OFFERED
    assert taken(session) == 57
    with pytest.raises(ServiceError, match="expired"):
        waiting_list.accept_offer(one)
    assert waiting_list.expire_offers(now=later) == 0  # running again changes nothing
    assert OutboundMessage.objects.filter(template="waiting_expired").count() == 1


def test_accepting_after_the_deadline_but_before_the_job_ran_is_refused_and_passed_on():
    campaign, session, first, second = full_session()
    one = join(session, campaign, 15, "one@example.org")
    two = join(session, campaign, 15, "two@example.org")
    bookings.cancel_booking(second)
    one.refresh_from_db()
    with pytest.raises(ServiceError, match="expired"):
        waiting_list.accept_offer(one, now=timezone.now() + datetime.timedelta(hours=49))
    two.refresh_from_db()
    assert two.status == WaitingListStatus.OFFERED and taken(session) == 57


def test_declining_an_offer_passes_the_places_on_and_leaving_just_leaves():
    campaign, session, first, second = full_session()
    one = join(session, campaign, 15, "one@example.org")
    two = join(session, campaign, 15, "two@example.org")
    three = join(session, campaign, 10, "three@example.org")
    waiting_list.leave_waiting_list(three)
    bookings.cancel_booking(second)
    one.refresh_from_db()
    waiting_list.leave_waiting_list(one)
    one.refresh_from_db()
    two.refresh_from_db()
    three.refresh_from_db()
    assert one.status == three.status == WaitingListStatus.LEFT
    assert two.status == WaitingListStatus.OFFERED
    assert taken(session) == 57


def test_reducing_a_booking_offers_the_freed_places():
    campaign, session, first, second = full_session()
    entry = join(session, campaign, 10, "one@example.org")
    bookings.change_booking(first, pupils=30)
    entry.refresh_from_db()
    assert entry.status == WaitingListStatus.OFFERED and taken(session) == 60


def test_a_raised_capacity_is_offered_by_the_periodic_job():
    campaign, session, first, second = full_session()
    entry = join(session, campaign, 10, "one@example.org")
    type(session).objects.filter(pk=session.pk).update(capacity=75)
    assert waiting_list.offer_places_everywhere() == 1
    entry.refresh_from_db()
    assert entry.status == WaitingListStatus.OFFERED


def test_joining_twice_keeps_one_entry_and_staff_can_reorder(admin_user):
    campaign, session, first, second = full_session()
    school = OrganisationFactory()
    a = waiting_list.join_waiting_list(session=session, campaign=campaign, organisation=school, **details(20))
    with pytest.raises(ServiceError, match="already on the waiting list"):
        waiting_list.join_waiting_list(
            session=session, campaign=campaign, organisation=school, **details(20, email="x@example.org")
        )
    assert WaitingListEntry.objects.filter(organisation=school).count() == 1
    # The entry's link goes again to the address it was joined with, not to whoever asked.
    again = OutboundMessage.objects.get(template="waiting_link_again")
    assert again.to_email == "wait@school.example.org" and a.token in again.context["waiting_url"]
    b = join(session, campaign, 5, "b@example.org")
    waiting_list.move_entry(b, up=True, user=admin_user)
    a.refresh_from_db()
    b.refresh_from_db()
    assert b.position < a.position
    assert not Booking.objects.filter(session=session, organisation=school).exists()
