"""Demo content: bookings made through the booking services, a full session with a waiting list and an open
offer, individual bookings for parents and professionals, and the reminders due before next week's sessions.
(Last year's bookings, for the registers, are the attendance demo's.)

Safe to run again: every step first looks for what it would make, and nothing staff made or changed is
altered. Skips quietly what is not there.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from campaigns.bookings import reminders, waiting_list
from campaigns.bookings import services as bookings
from campaigns.bookings.reminders import reminder_offsets
from campaigns.models import Booking, BookingKind, Campaign, Invitation, OrganisationKind, WaitingListEntry
from cms.errors import ServiceError
from events.models import BookingMode, EventKind, Session, SessionStatus

SCHOOL_NUMBERS = [(58, 4), (30, 2), (27, 3), (62, 5), (29, 2), (31, 3), (45, 4), (24, 2)]
PARENTS = [("Jordan Ellis", 1), ("Priya Shah", 0), ("Tom Brennan", 2), ("Amara Okafor", 1)]
PROFESSIONALS = [
    ("Dave Mills", "", "Thurrock private hire licence PH-20417"),
    ("Sue Patel", "Thurrock Council Housing", ""),
    ("Mark Green", "", "Southend hackney carriage licence HC-3391"),
    ("Lena Novak", "Essex Foster Care Network", ""),
]


def seed(out):
    started = timezone.now()
    walk_online = Campaign.objects.filter(code="WO27").first()
    if walk_online is None:
        out.write("  bookings: no Walk Online 2027 campaign, skipped")
        return
    made = school_bookings(walk_online)
    waiting = full_session_with_waiting_list(walk_online)
    individuals = individual_bookings("PS27", PARENTS, parents=True) + individual_bookings(
        "PT27", PROFESSIONALS
    )
    bookings_made_weeks_before(since=started)
    queued = reminders.send_due_reminders()
    out.write(
        f"  bookings: {made} school, {individuals} individual; {waiting} on a waiting list; "
        f"{queued} reminders queued"
    )


def upcoming(campaign, roadshow_only=False):
    return [
        session
        for session in bookings_sessions(campaign)
        if session.is_open_for_booking()
        and (not roadshow_only or session.event.kind == EventKind.PUPIL_ROADSHOW)
    ]


def bookings_sessions(campaign):
    return list(
        campaign.sessions()
        .filter(status=SessionStatus.SCHEDULED)
        .select_related("event", "venue")
        .order_by("starts_at", "pk")  # sessions often share a start time: "the first" must mean one of them
    )


def invitations(campaign):
    return list(
        Invitation.objects.filter(campaign=campaign).select_related("organisation", "contact").order_by("pk")
    )


def _details(invitation, pupils, staff):
    contact = invitation.contact
    # Schools give the year group; faith and community groups give the children's ages.
    if invitation.organisation.kind == OrganisationKind.SCHOOL:
        group = {"year_group": "Y5", "booker_role": "Year 5 teacher"}
    else:
        group = {"age_from": 9, "age_to": 10, "booker_role": "Group leader"}
    return {
        **group,
        "pupils": pupils,
        "staff": staff,
        "booker_name": contact.name if contact and contact.name else "Year 5 teacher",
        "booker_email": contact.email
        if contact
        else f"office{invitation.organisation_id}@school.example.org",
        "safeguarding_confirmed": True,
        "photo_consent_confirmed": True,
    }


def school_bookings(campaign):
    """Spread the first invited schools over the upcoming sessions, leaving the first session for the full one."""
    sessions = upcoming(campaign, roadshow_only=True)[1:]
    made = 0
    if not sessions:
        return made
    for index, (invitation, (pupils, staff)) in enumerate(
        zip(invitations(campaign)[4:], SCHOOL_NUMBERS, strict=False)
    ):
        session = sessions[index % len(sessions)]
        if Booking.objects.filter(organisation=invitation.organisation, session=session).exists():
            continue
        try:
            bookings.book_places(
                session=session, invitation=invitation, **_details(invitation, pupils, staff)
            )
            made += 1
        except ServiceError:
            continue
    return made


def full_session_with_waiting_list(campaign):
    """Fill the first session, put two schools on its waiting list, then free places so one has an open offer."""
    sessions = upcoming(campaign, roadshow_only=True)
    if not sessions or WaitingListEntry.objects.filter(session=sessions[0]).exists():
        return WaitingListEntry.objects.filter(session__in=sessions[:1]).count()
    session = sessions[0]
    schools = invitations(campaign)[:4]
    if len(schools) < 4:
        return 0
    with transaction.atomic():
        first, second, third, fourth = schools
        try:
            bookings.book_places(
                session=session, invitation=first, **_details(first, session.capacity - 16, 4)
            )
            leaving = bookings.book_places(session=session, invitation=second, **_details(second, 10, 2))
        except ServiceError:
            return 0
        waiting_list.join_waiting_list(session=session, invitation=third, **_details(third, 56, 4))
        waiting_list.join_waiting_list(session=session, invitation=fourth, **_details(fourth, 9, 1))
        # A school drops out: its 12 places are held for the first entry that fits (the second, 10 places).
        bookings.cancel_booking(leaving, reason="Demo: school trip clash")
    return 2


def individual_bookings(code, people, parents=False):
    campaign = Campaign.objects.filter(code=code).first()
    sessions = upcoming(campaign) if campaign is not None else []
    if not sessions:
        # The campaign may not list its events: book the parent or professional sessions directly.
        kind = EventKind.PARENT_SESSION if parents else EventKind.PROFESSIONAL_TRAINING
        sessions = [
            session
            for session in Session.objects.filter(
                event__kind=kind, event__booking_mode=BookingMode.INDIVIDUAL
            )
            .select_related("event", "venue")
            .order_by("starts_at")
            if session.is_open_for_booking()
        ]
        campaign = None
    made = 0
    for index, person in enumerate(people):
        if not sessions:
            break
        session = sessions[index % len(sessions)]
        name = person[0]
        email = name.lower().replace(" ", ".") + "@example.org"
        if Booking.objects.filter(booker_email=email, kind=BookingKind.INDIVIDUAL).exists():
            continue  # booked by an earlier run, whichever sessions are open now
        extra = (
            {"guests": min(person[1], session.event.max_guests_per_booking)}
            if parents
            else {"booker_organisation_name": person[1], "licence_number": person[2]}
        )
        try:
            bookings.book_places(
                session=session, campaign=campaign, booker_name=name, booker_email=email, **extra
            )
            made += 1
        except ServiceError:
            continue
    return made


def bookings_made_weeks_before(*, since, weeks=3):
    """The demo makes every booking today; a real programme's bookings for next week's sessions were made
    weeks ago. Date back those this run made (made `since` it started; staff's own bookings keep their
    dates), so the reminders before a session are due as they would be."""
    now = timezone.now()
    soon = Booking.objects.confirmed().filter(
        session__starts_at__gt=now,
        session__starts_at__lte=now + timedelta(days=max(reminder_offsets())),
        created_at__gte=since,
    )
    for booking in soon.select_related("session"):
        made = booking.session.starts_at - timedelta(weeks=weeks)
        Booking.objects.filter(pk=booking.pk).update(created_at=made)
