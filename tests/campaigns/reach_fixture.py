"""A small data set whose reach figures are worked out by hand (see the docstring of `build`)."""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from campaigns.models import BookingStatus, OrganisationKind, OrganisationStatus
from campaigns.register import services as attendance_service
from tests.campaigns.factories_reach import ReachBookingFactory as BookingFactory
from tests.campaigns.factories_reach import past
from tests.factories import (
    CampaignFactory,
    EventPageFactory,
    InvitationFactory,
    OrganisationFactory,
    SessionFactory,
)


def build():
    """Walk Online 2027 in Thurrock for Year 5, and Walk Online 2026 before it.

    Organisations: A-D are open Thurrock primaries (eligible); E is a Thurrock secondary (11-16), F a
    closed primary, G an Essex primary, H a Thurrock church: none of those is eligible.

    2027: invited A-E; A, B, C opened. Confirmed bookings: A (30 pupils, 2 staff) and B (25, 2) at the
    first session, C (20, 1) at the second; D booked 10 and cancelled. Register: A came with 28 + 2,
    B did not come, C came with 20 + 1 and 1 adult; D walked in at the second session with 15 + 1.
    2026: A came with 40 pupils.

    Hand-computed for 2027: eligible 4, invited 5, opened 3, booked 3, attended 3 (A, C, D), coverage
    3 of 4 = 75%; pupils booked 75, attended 63 (84% of booked, 31.5% of the 200 target); staff
    attended 4, adults 1; one walk-in, one no-show. Never reached in the series: B. Never reached
    ever: B. Year on year: 2026 40 pupils from 1 school, 2027 63 from 3.
    """
    today = timezone.localdate()
    school = {"kind": OrganisationKind.SCHOOL, "local_authority": "Thurrock", "district": "Grays"}
    a = OrganisationFactory(name="A Primary", ward="Grays Riverside", **school)
    b = OrganisationFactory(name="B Primary", ward="Grays Riverside", **school)
    c = OrganisationFactory(name="C Primary", ward="Stifford Clays", **school)
    d = OrganisationFactory(name="D Primary", ward="Stifford Clays", **school)
    e = OrganisationFactory(name="E Academy", statutory_low_age=11, statutory_high_age=16, **school)
    OrganisationFactory(name="F Primary", status=OrganisationStatus.CLOSED, **school)
    g = OrganisationFactory(name="G Primary", local_authority="Essex", district="Basildon")
    OrganisationFactory(name="H Church", kind=OrganisationKind.FAITH, urn=None, local_authority="Thurrock")

    wo26 = CampaignFactory(
        name="Walk Online 2026",
        code="WO26",
        starts_on=today - datetime.timedelta(days=400),
        ends_on=today - datetime.timedelta(days=300),
        target_reach=150,
    )
    wo27 = CampaignFactory(
        name="Walk Online 2027",
        code="WO27",
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=60),
        target_reach=200,
    )
    old_event = EventPageFactory()
    wo26.events.add(old_event)
    old_session = SessionFactory(event=old_event, starts_at=past(380))
    event = EventPageFactory()
    wo27.events.add(event)
    s1 = SessionFactory(event=event, starts_at=past(10))
    s2 = SessionFactory(event=event, starts_at=past(3))

    for org in (a, b, c, d, e):
        InvitationFactory(
            campaign=wo27,
            organisation=org,
            opened_at=timezone.now() if org in (a, b, c) else None,
        )
    old = BookingFactory(session=old_session, campaign=wo26, organisation=a, pupils=40, staff=2)
    book_a = BookingFactory(session=s1, campaign=wo27, organisation=a, pupils=30, staff=2)
    book_b = BookingFactory(session=s1, campaign=wo27, organisation=b, pupils=25, staff=2)
    book_c = BookingFactory(session=s2, campaign=wo27, organisation=c, pupils=20, staff=1)
    BookingFactory(
        session=s2, campaign=wo27, organisation=d, pupils=10, staff=1, status=BookingStatus.CANCELLED
    )

    attendance_service.record_attendance(old, pupils=40, staff=2)
    attendance_service.record_attendance(book_a, pupils=28, staff=2)
    attendance_service.record_attendance(book_b, no_show=True)
    attendance_service.record_attendance(book_c, pupils=20, staff=1, adults=1)
    attendance_service.record_walk_in(s2, organisation=d, year_group="Y5", pupils=15, staff=1)
    return SimpleNamespace(**locals())
