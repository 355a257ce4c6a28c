"""Demo content: registers for past sessions, training records, a councillors' cohort, a partner token.

Runs after the bookings demo. Idempotent, and does nothing that depends on other demo content being
there: without past bookings it records no registers; the groups, courses, cohort and token are its own.
Every person here is an invented adult; pupils are only counted.
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from campaigns.bookings.places import take_places
from campaigns.bookings.services import insert_with_reference, mark_invitation_booked
from campaigns.models import (
    Attendance,
    Booking,
    BookingKind,
    BookingStatus,
    Campaign,
    CampaignStatus,
    Cohort,
    CohortMember,
    Invitation,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    PartnerToken,
    TrainingCourse,
    TrainingRecord,
)
from campaigns.partner_api import services as partner_tokens
from campaigns.register import services as attendance_service
from campaigns.roles import ensure_roles
from campaigns.training import services as training
from cms.errors import ServiceError
from events.models import EventIndexPage, EventKind, EventPage, Session, SessionStatus, Venue
from resources.taxonomy import Audience, Sector

COUNCILLORS = 49
TRAINED_COUNCILLORS = 31  # of whom a few are expiring or expired
DEMO_PARTNER = "Demo partner: safeguarding partnership analysts"


def seed(out):
    _groups()
    drivers, councillors = _courses()
    _last_years_roadshow(out)
    _past_driver_training(out)
    recorded = _registers()
    _councillor_cohort(councillors)
    _driver_cohort(drivers)
    _partner_token(out)
    out.write(f"Attendance demo: {recorded} register lines recorded.")


def _groups():
    ensure_roles()


def _courses():
    drivers, _ = TrainingCourse.objects.get_or_create(
        slug="cse-awareness-licensed-drivers",
        defaults={
            "name": "CSE awareness for taxi and private-hire drivers",
            "sector": Sector.TAXI_PRIVATE_HIRE,
            "renewal_months": 36,
        },
    )
    councillors, _ = TrainingCourse.objects.get_or_create(
        slug="cse-awareness-elected-members",
        defaults={
            "name": "Safeguarding and CSE awareness for elected members",
            "sector": Sector.ELECTED_MEMBERS,
            "renewal_months": 24,
        },
    )
    training_events = EventPage.objects.filter(kind=EventKind.PROFESSIONAL_TRAINING)
    if not drivers.events.exists():
        drivers.events.add(*training_events)
    return drivers, councillors


LAST_YEAR_SLUG = "walk-online-last-year"
SERIES = "walk-online"


def _last_years_roadshow(out):
    """Last year's Walk Online, so reach has a year to compare with: only when schools and a "What's on"
    page exist, and only once. Its sessions are in the past and its bookings are waiting for a register."""
    today = timezone.localdate()
    index = EventIndexPage.objects.first()
    schools = list(
        Organisation.objects.filter(
            kind=OrganisationKind.SCHOOL,
            status=OrganisationStatus.OPEN,
            statutory_low_age__lte=9,
            statutory_high_age__gte=10,
        ).order_by("pk")[:24]
    )
    if index is None or not schools:
        return
    # Past campaigns in the series (the campaigns demo's, or our own) get bookings unless they have some.
    campaigns = list(
        Campaign.objects.filter(series=SERIES, starts_on__lte=today - datetime.timedelta(days=60)).order_by(
            "starts_on"
        )
    )
    if not campaigns:
        start = today.replace(year=today.year - 1, month=1, day=10)
        campaigns = [
            Campaign.objects.create(
                name=f"Walk Online {start.year}",
                slug=LAST_YEAR_SLUG,
                code=f"WO{start.year % 100}L",
                series=SERIES,
                description="Last year's Year 5 roadshow on staying safe online and offline.",
                audience=Audience.AGES_8_10,
                year_groups=["Y5"],
                target_reach=600,
                local_authorities=sorted({s.local_authority for s in schools if s.local_authority}),
                starts_on=start,
                ends_on=start + datetime.timedelta(days=90),
                status=CampaignStatus.CLOSED,
            )
        ]
    for number, campaign in enumerate(campaigns):
        if campaign.bookings.exists():
            continue  # it has its bookings (from the bookings demo, or an earlier run)
        # Each year reaches a few more schools, so year on year shows a trend.
        _past_roadshow(out, index, campaign, schools[: 12 + 6 * number], today)


def _past_roadshow(out, index, campaign, schools, today):
    """Book last year's sessions for a past campaign: its own past sessions when the events demo made them,
    otherwise a past roadshow event of four sessions made here. The booking services refuse past sessions,
    so these take their places with the same capacity statement and are written as they would have been."""
    sessions = list(
        campaign.sessions()
        .filter(starts_at__lt=timezone.now(), status=SessionStatus.SCHEDULED)
        .order_by("starts_at")
    ) or _past_roadshow_sessions(index, campaign, today)
    invited = {
        invitation.organisation_id: invitation
        for invitation in Invitation.objects.filter(campaign=campaign, organisation__in=schools)
    }
    for n, school in enumerate(schools):
        session = sessions[n % len(sessions)]
        pupils = 20 + (n * 7) % 15
        try:
            with transaction.atomic():
                take_places(session.pk, pupils + 2)
                booking = Booking(
                    session=session,
                    campaign=campaign,
                    kind=BookingKind.ORGANISATION,
                    organisation=school,
                    invitation=invited.get(school.pk),
                    year_group="Y5",
                    pupils=pupils,
                    staff=2,
                    places=pupils + 2,
                    booker_name="Year 5 teacher",
                    booker_email=f"year5.{school.pk}@school.example.org",
                    safeguarding_confirmed=True,
                    photo_consent_confirmed=True,
                )
                insert_with_reference(booking, campaign)
                if booking.invitation is not None:
                    mark_invitation_booked(booking.invitation)
        except ServiceError:
            continue
    out.write(
        f"Attendance demo: past roadshow sessions for {campaign.name} with {len(schools)} school bookings."
    )


def _past_roadshow_sessions(index, campaign, today):
    start = min(campaign.starts_on + datetime.timedelta(days=30), today - datetime.timedelta(days=40))
    event = index.add_child(
        instance=EventPage(
            title=f"{campaign.name} roadshow",
            slug=f"{campaign.slug}-roadshow-{campaign.pk}",
            kind=EventKind.PUPIL_ROADSHOW,
            audience=Audience.AGES_8_10,
            live=False,
        )
    )
    campaign.events.add(event)
    venue = Venue.objects.order_by("pk").first() or Venue.objects.create(
        name="Civic Hall", address="1 Civic Square", postcode="RM17 6SL"
    )
    sessions = []
    for n in range(4):
        starts = timezone.make_aware(
            datetime.datetime.combine(start + datetime.timedelta(days=7 * n), datetime.time(9, 30))
        )
        sessions.append(
            Session.objects.create(
                event=event,
                venue=venue,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=3),
                capacity=240,
            )
        )
    return sessions


TAXI_EVENT_SLUG = "taxi-and-private-hire-cse-training"
JOINT_TRAINING_CODE = "PT27"
DEMO_DRIVER = {
    "booker_name": "Priya Example",
    "booker_email": "priya.example@drivers.example.org",
    "licence_number": "PH-DEMO-2001",
    "booker_organisation_name": "Thurrock private hire licence",
}
# The rest of that session's room: invented licensed drivers (adults, named as training registers name
# them), so its evaluation has enough answers to be shown (five or more) and its register looks real.
DEMO_CLASSMATES = [
    ("Marek Example", "Thurrock private hire licence"),
    ("Aisha Example", "Thurrock hackney carriage licence"),
    ("Tom Example", "Thurrock private hire licence"),
    ("Grace Example", "Essex private hire licence"),
    ("Imran Example", "Thurrock hackney carriage licence"),
    ("Sofia Example", "Essex private hire licence"),
    ("Owen Example", "Thurrock private hire licence"),
    ("Nadia Example", "Thurrock private hire licence"),
    ("Callum Example", "Essex hackney carriage licence"),
]


def demo_classmate(index):
    name, licence = DEMO_CLASSMATES[index]
    first = name.split()[0].lower()
    return {
        "booker_name": name,
        "booker_email": f"{first}.example@drivers.example.org",
        "licence_number": f"PH-DEMO-{2002 + index}",
        "booker_organisation_name": licence,
    }


def _past_driver_training(out):
    """A taxi-driver training session three weeks ago, with ten invented drivers booked and ticked as
    attended on the register, each given a certificate, so the whole journey can be followed: the first
    driver's certificate link printed here, the verification page it points to, and the licence check in
    the admin. Ten in the room means the session's evaluation has enough answers to show."""
    event = EventPage.objects.filter(slug=TAXI_EVENT_SLUG).first()
    if event is None:
        return
    booking = Booking.objects.filter(
        session__event=event, booker_email=DEMO_DRIVER["booker_email"], kind=BookingKind.INDIVIDUAL
    ).first()
    if booking is None:
        joint = Campaign.objects.filter(code=JOINT_TRAINING_CODE).first()
        if joint is not None and not Campaign.objects.filter(events=event).exists():
            # The partnership's joint training campaign runs it, so its dashboard shows the session.
            joint.events.add(event)
        booking = _book_past_driver_session(event)
        if booking is None:
            return
    for index in range(len(DEMO_CLASSMATES)):
        _book_classmate(booking, demo_classmate(index))
    for line in Booking.objects.filter(
        session=booking.session, kind=BookingKind.INDIVIDUAL, attendance__isnull=True
    ).order_by("pk"):
        try:
            attendance_service.tick_named_attendee(line, attended=True)
        except ServiceError:
            continue
    record = TrainingRecord.objects.filter(licence_number=DEMO_DRIVER["licence_number"]).first()
    if record is not None:
        out.write(
            f"Taxi-driver certificate ({record.name}, licence {record.licence_number}): "
            f"{training.certificate_url(record)}\n"
            f"  checked by its code at {training.verification_url(record)}"
        )


def _book_classmate(first, fields):
    """Book one more invented driver on the demo driver's past session (once)."""
    if Booking.objects.filter(session=first.session, booker_email=fields["booker_email"]).exists():
        return
    with transaction.atomic():
        try:
            take_places(first.session_id, 1)
        except ServiceError:
            return
        booking = Booking(
            session=first.session,
            campaign=first.campaign,
            kind=BookingKind.INDIVIDUAL,
            status=BookingStatus.CONFIRMED,
            adults=1,
            places=1,
            **fields,
        )
        insert_with_reference(booking, first.campaign)


def _book_past_driver_session(event):
    upcoming = Session.objects.filter(event=event).order_by("starts_at").first()
    venue = upcoming.venue if upcoming is not None else Venue.objects.order_by("pk").first()
    if venue is None:
        return None
    day = timezone.localdate() - datetime.timedelta(days=21)
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    campaign = Campaign.objects.filter(events=event).order_by("-starts_on").first()
    with transaction.atomic():
        session = Session.objects.create(
            event=event,
            venue=venue,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=3),
            capacity=max(upcoming.capacity if upcoming is not None else 20, 1 + len(DEMO_CLASSMATES)),
        )
        take_places(session.pk, 1)
        booking = Booking(
            session=session,
            campaign=campaign,
            kind=BookingKind.INDIVIDUAL,
            status=BookingStatus.CONFIRMED,
            adults=1,
            places=1,
            **DEMO_DRIVER,
        )
        return insert_with_reference(booking, campaign)


def _registers():
    """Record attendance for past sessions' bookings: most as booked, a few fewer, some no-shows, some walk-ins."""
    now = timezone.now()
    past = Session.objects.filter(starts_at__lt=now, status=SessionStatus.SCHEDULED).select_related("event")
    bookings = (
        Booking.objects.filter(session__in=past, status=BookingStatus.CONFIRMED, attendance__isnull=True)
        .select_related("session", "session__event", "campaign", "organisation")
        .order_by("pk")
    )
    recorded = 0
    for booking in bookings:
        try:
            if booking.kind == BookingKind.INDIVIDUAL and booking.session.event.specific.attendees_named:
                attendance_service.tick_named_attendee(booking, attended=booking.pk % 6 != 0)
            elif booking.pk % 9 == 0:
                attendance_service.record_attendance(
                    booking, no_show=True, notes="Did not arrive; school phoned."
                )
            else:
                attendance_service.record_attendance(
                    booking,
                    pupils=max(booking.pupils - booking.pk % 3, 0),
                    staff=booking.staff,
                    adults=booking.adults + booking.guests,
                    notes="Two pupils off sick." if booking.pk % 3 == 2 else "",
                )
            recorded += 1
        except ServiceError:
            continue
    for index, session in enumerate(past.filter(event__kind=EventKind.PUPIL_ROADSHOW).order_by("pk")):
        if index % 3:
            continue
        if Attendance.objects.filter(session=session, booking__isnull=True).exists():
            continue
        try:
            attendance_service.record_walk_in(
                session,
                year_group="Y5",
                pupils=12,
                staff=1,
                notes="Walk-in: a class from a school that had not booked.",
            )
            recorded += 1
        except ServiceError:
            continue
    return recorded


def _councillor_cohort(course):
    cohort, _ = Cohort.objects.get_or_create(
        name="Elected members (49 councillors)",
        defaults={
            "sector": Sector.ELECTED_MEMBERS,
            "course": course,
            "description": "Every councillor must hold current training.",
        },
    )
    today = timezone.localdate()
    for n in range(1, COUNCILLORS + 1):
        letter = chr(ord("A") + (n - 1) % 26)
        email = f"councillor{n:02d}@council.example.gov.uk"
        CohortMember.objects.get_or_create(
            cohort=cohort,
            email=email,
            defaults={"name": f"Councillor {letter}. Example {n}", "sector": Sector.ELECTED_MEMBERS},
        )
        if n > TRAINED_COUNCILLORS or TrainingRecord.objects.filter(email=email, course=course).exists():
            continue
        # Most trained recently; a handful trained long enough ago to be expiring or expired.
        days_ago = 800 if n % 10 == 0 else (700 if n % 10 == 5 else 30 + n * 7)
        completed = today - datetime.timedelta(days=days_ago)
        TrainingRecord.objects.create(
            course=course,
            name=f"Councillor {letter}. Example {n}",
            email=email,
            organisation_name="Borough council",
            sector=Sector.ELECTED_MEMBERS,
            completed_on=completed,
            valid_until=training.valid_until(course, completed),
            verification_code=training.new_verification_code(),
        )


def _driver_cohort(course):
    cohort, _ = Cohort.objects.get_or_create(
        name="Licensed taxi and private-hire drivers",
        defaults={
            "sector": Sector.TAXI_PRIVATE_HIRE,
            "course": course,
            "description": "Licence holders must train every three years.",
        },
    )
    records = TrainingRecord.objects.filter(course=course).filter(~Q(licence_number=""))
    for record in records[:40]:
        CohortMember.objects.get_or_create(
            cohort=cohort,
            licence_number=record.licence_number,
            defaults={"name": record.name, "email": record.email, "sector": Sector.TAXI_PRIVATE_HIRE},
        )
    for n in range(1, 11):
        CohortMember.objects.get_or_create(
            cohort=cohort,
            licence_number=f"PHD-DEMO-{n:03d}",
            defaults={"name": f"Driver {chr(64 + n)}. Example", "sector": Sector.TAXI_PRIVATE_HIRE},
        )


def _partner_token(out):
    if PartnerToken.objects.filter(name=DEMO_PARTNER).exists():
        return
    _, raw = partner_tokens.issue_token(DEMO_PARTNER)
    out.write(
        f"Partner API token for '{DEMO_PARTNER}' (shown once, keep it): {raw}\n"
        f"  try: curl -H 'Authorization: Bearer {raw}' http://127.0.0.1:8000/api/v1/reach"
    )
