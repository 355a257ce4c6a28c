"""Demo content for the events app: venues, the What's-on page, and a year of sessions.

Dates are relative to today so the demo stays fresh. Safe to run again: anything that exists is left
alone, however staff have changed it (an event that already has sessions gets no new ones, a renamed venue
is not made again). `places_taken` is never set here: the
booking side's demo fills sessions through its own services.
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from cms.models import Authority
from events import services
from events.models import BookingMode, EventIndexPage, EventKind, EventPage, Venue
from resources.taxonomy import Audience

HELP = (
    "<p>If you are worried about a child, you do not have to be certain to ask for advice. If a child is "
    "in immediate danger call 999. The NSPCC Helpline (0808 800 5000) gives adults free, confidential "
    "advice, and children and young people can talk to Childline on 0800 1111 at any time. Concerns "
    "about online sexual abuse can be reported to CEOP.</p>"
)

VENUES = [
    {
        "name": "Thames Reach Conference Centre",
        "address": "Dock Road\nGrays\nEssex",
        "postcode": "RM17 6EX",
        "capacity_guidance": 160,
        "accessibility_notes": "Step-free entrance from the car park. Lift to the first-floor hall. "
        "Accessible toilets on both floors. Hearing loop in the main hall. A quiet room is available for "
        "pupils who need a break.",
        "directions": "Ten minutes' walk from Grays station: leave by the south exit, turn left along the "
        "river path and follow the signs to the conference centre. Coaches drop off in the bus bay on Dock "
        "Road; there is no coach parking on site.",
    },
    {
        "name": "Stanford Community Hall",
        "address": "Church Hill\nStanford-le-Hope\nEssex",
        "postcode": "SS17 0EH",
        "capacity_guidance": 150,
        "accessibility_notes": "Ground-floor hall with level access and wide doors. Accessible toilet "
        "next to the hall. Blue-badge parking bays at the front. Seating can be arranged for wheelchair "
        "users at the front of the hall.",
        "directions": "Five minutes' walk from Stanford-le-Hope station: turn right out of the station, "
        "then first left up Church Hill. The hall is opposite the church. Coaches can stop in the lay-by "
        "outside.",
    },
    {
        "name": "Civic Offices Training Suite",
        "address": "New Road\nGrays\nEssex",
        "postcode": "RM17 6SL",
        "capacity_guidance": 40,
        "accessibility_notes": "Step-free access through the main reception. Lift to the second floor. "
        "Hearing loop available on request.",
        "directions": "Opposite Grays station. Report to main reception, who will sign you in and show you "
        "to the training suite on the second floor. Pay-and-display parking in the multi-storey on "
        "Crown Road.",
    },
    {
        "name": "Grays Library Meeting Room",
        "address": "Orsett Road\nGrays\nEssex",
        "postcode": "RM17 5DX",
        "capacity_guidance": 45,
        "accessibility_notes": "Level access from Orsett Road. Accessible toilet on the ground floor. "
        "Children's corner nearby if you need to bring a little one.",
        "directions": "On Orsett Road in the town centre, a short walk from the station and the bus "
        "stops on Clarence Road.",
    },
]


def seed(out):
    venues = {data["name"]: _venue(data) for data in VENUES}
    index = _event_index()
    today = timezone.localdate()
    roadshow_venues = [venues["Thames Reach Conference Centre"], venues["Stanford Community Hall"]]

    # Walk Online roadshow: Monday–Friday, mornings and afternoons, at two venues, about six weeks
    # ahead: 20 half-day sessions of 160 places, room for about 3,000 Year 5 pupils and their staff.
    walk_online = _event(index, **WALK_ONLINE)
    roadshow_monday = _monday_on_or_after(today + datetime.timedelta(weeks=6))
    _half_day_week(walk_online, roadshow_monday, roadshow_venues, capacity=160, out=out)

    # Last year's roadshow: a past week, for the register and attendance demo.
    past = _event(index, **WALK_ONLINE_PAST)
    past_monday = _monday_on_or_after(today - datetime.timedelta(weeks=10))
    _half_day_week(past, past_monday, roadshow_venues, capacity=160, out=out)

    # Parents and carers: the first Tuesday of each quarter for the coming year, 6:30pm to 8pm.
    parents = _event(index, **PARENT_SESSIONS)
    if not parents.sessions.exists():
        rule = services.repeating_rule(
            frequency="quarterly",
            weekday=1,
            week_of_month=1,
            first_date=today + datetime.timedelta(days=1),
            until=today + datetime.timedelta(days=365),
        )
        created = services.create_recurring_sessions(
            parents,
            rule,
            start_time=datetime.time(18, 30),
            end_time=datetime.time(20, 0),
            venue=venues["Grays Library Meeting Room"],
            capacity=40,
        )
        out.write(f"Created {len(created)} parent and carer sessions.")

    # Training and briefings in the Civic Offices: the first taxi-driver course is next week, so its bookers
    # get their reminders in the demo.
    training_room = venues["Civic Offices Training Suite"]
    for spec, days, start, end, capacity in (
        (TAXI_TRAINING, (4, 12, 40, 75), datetime.time(9, 30), datetime.time(12, 30), 30),
        (FOSTER_TRAINING, (19, 61), datetime.time(10, 0), datetime.time(15, 0), 24),
        (DSL_BRIEFING, (21, 23), datetime.time(15, 45), datetime.time(17, 15), 35),
    ):
        _sessions_on(
            _event(index, **spec),
            [today + datetime.timedelta(days=d) for d in days],
            training_room,
            start=start,
            end=end,
            capacity=capacity,
            out=out,
        )


# Content ----------------------------------------------------------------------------------------

WALK_ONLINE = {
    "slug": "walk-online",
    "title": "Walk Online roadshow",
    "kind": EventKind.PUPIL_ROADSHOW,
    "audience": Audience.AGES_8_10,
    "booking_mode": BookingMode.ORGANISATION,
    "search_description": "A half-day roadshow for Year 5 pupils about staying safe and kind online.",
    "description": "<p>Walk Online is a lively half-day show for Year 5 classes. Through short plays, "
    "quizzes and conversation, pupils practise what to do when something online worries them: how to "
    "spot people who are not who they say they are, why secrets that feel uncomfortable should be shared, "
    "and which trusted adults they can tell.</p>"
    "<p>Schools book places for a whole year group with their staff. Teachers receive materials to use "
    "in class before and after the visit, and a short guide to share with parents.</p>" + HELP,
    "what_to_bring": "Your booking reference, enough staff for your usual trip ratios, and any "
    "medication pupils may need. Packed lunches are not needed for half-day sessions.",
}

WALK_ONLINE_PAST = {
    **WALK_ONLINE,
    "slug": "walk-online-2026",
    "title": "Walk Online 2026",
    "search_description": "Last year's Walk Online roadshow for Year 5 pupils.",
}

PARENT_SESSIONS = {
    "slug": "parents-and-carers",
    "title": "Keeping children safe online: an evening for parents and carers",
    "kind": EventKind.PARENT_SESSION,
    "audience": Audience.PARENTS_CARERS,
    "booking_mode": BookingMode.INDIVIDUAL,
    "max_guests_per_booking": 2,
    "search_description": "A relaxed evening for parents and carers on apps, gaming and grooming.",
    "description": "<p>An informal evening session, run every quarter, for anyone caring for a child. We "
    "look at the apps and games children use, the warning signs that someone may be trying to groom or "
    "exploit a child, and how to keep talking with your child so they come to you when something goes "
    "wrong. There is time for questions, and you can speak to the team privately afterwards.</p>"
    "<p>You are welcome to bring a partner, friend or relative.</p>" + HELP,
    "what_to_bring": "Nothing but your questions. Tea and coffee are provided.",
}

TAXI_TRAINING = {
    "slug": "taxi-and-private-hire-cse-training",
    "title": "CSE awareness training for taxi and private-hire drivers",
    "kind": EventKind.PROFESSIONAL_TRAINING,
    "audience": Audience.PROFESSIONALS,
    "booking_mode": BookingMode.INDIVIDUAL,
    "attendees_named": True,
    "search_description": "Mandatory safeguarding training for licensed drivers, with a certificate.",
    "description": "<p>Drivers often see more than anyone else: who travels where, at what time, and with "
    "whom. This three-hour session, required for a hackney carriage or private-hire licence, explains how "
    "child sexual exploitation works, the signs a passenger may be at risk, and exactly how to report a "
    "concern. Each driver is named on the register and receives a certificate that the licensing team "
    "can check.</p>" + HELP,
    "what_to_bring": "Your driver's licence number and photo identification.",
}

FOSTER_TRAINING = {
    "slug": "foster-carer-cse-training",
    "title": "Child exploitation training for foster carers",
    "kind": EventKind.PROFESSIONAL_TRAINING,
    "audience": Audience.PROFESSIONALS,
    "booking_mode": BookingMode.INDIVIDUAL,
    "attendees_named": True,
    "search_description": "A day's training for foster carers on exploitation, online risks and reporting.",
    "description": "<p>A one-day course for approved foster carers and supported lodgings hosts. We cover "
    "how exploitation happens, why children in care can be targeted, going-missing procedures, online "
    "risks, and how to work with your supervising social worker and the police when you are worried. "
    "Attendance counts towards your annual training record.</p>" + HELP,
    "what_to_bring": "A packed lunch if you have dietary needs; a light lunch is provided.",
}

DSL_BRIEFING = {
    "slug": "head-teacher-and-dsl-briefing",
    "title": "Walk Online briefing for head teachers and safeguarding leads",
    "kind": EventKind.DSL_BRIEFING,
    "audience": Audience.PROFESSIONALS,
    "booking_mode": BookingMode.INDIVIDUAL,
    "attendees_named": True,
    "search_description": "What the roadshow covers and how to support pupils before and after it.",
    "description": "<p>A short after-school briefing for head teachers and designated safeguarding leads "
    "before this year's Walk Online roadshow. We walk through the content pupils will see, how to prepare "
    "them, how to handle a disclosure on the day or afterwards, and the follow-up pack your school will "
    "receive.</p>" + HELP,
    "what_to_bring": "Nothing needed.",
}


# Helpers ----------------------------------------------------------------------------------------


def _venue(data):
    """A demo venue made before, found by its name or, once staff have renamed it, its postcode."""
    venue = Venue.objects.filter(Q(name=data["name"]) | Q(postcode=data["postcode"])).order_by("pk").first()
    return venue or Venue.objects.create(**data)


def _event_index():
    from cms.models import HomePage

    index = EventIndexPage.objects.first()
    if index:
        return index
    home = HomePage.objects.first()
    index = EventIndexPage(
        title="What's on",
        slug="events",
        intro="<p>Sessions for pupils, parents and carers, community groups and professionals. Pick a "
        "session to see the venue, directions and accessibility information.</p>",
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


# Which demo council runs each event (cms.demo); the training for professionals is the partnership's, joint.
RUN_BY = {
    "walk-online": "northshire",
    "walk-online-2026": "northshire",
    "parents-and-carers": "eastmouth",
    "head-teacher-and-dsl-briefing": "westvale",
}


def _event(index, **fields):
    event = EventPage.objects.filter(slug=fields["slug"]).first()
    if event:
        return event
    code = RUN_BY.get(fields["slug"])
    fields["authority"] = Authority.objects.filter(code=code, is_demo=True).first() if code else None
    event = EventPage(**fields)
    index.add_child(instance=event)
    event.save_revision().publish()
    return event


def _monday_on_or_after(day):
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def _aware(day, time):
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _half_day_week(event, monday, venues, *, capacity, out):
    if event.sessions.exists():
        return
    halves = [(datetime.time(9, 30), datetime.time(12, 0)), (datetime.time(13, 0), datetime.time(15, 0))]
    count = 0
    for offset in range(5):
        day = monday + datetime.timedelta(days=offset)
        for start, end in halves:
            for venue in venues:
                starts_at = _aware(day, start)
                services.create_session(
                    event=event,
                    starts_at=starts_at,
                    ends_at=_aware(day, end),
                    venue=venue,
                    capacity=capacity,
                    booking_closes_at=starts_at - datetime.timedelta(days=7),
                )
                count += 1
    out.write(f"Created {count} sessions for {event.title} (week of {monday:%d %B %Y}).")


def _weekday_on_or_after(day):
    """Training and briefings run on working days: move a weekend date to the Monday."""
    return day + datetime.timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)


def _sessions_on(event, days, venue, *, start, end, capacity, out):
    if event.sessions.exists():
        return
    days = [_weekday_on_or_after(day) for day in days]
    for day in days:
        services.create_session(
            event=event,
            starts_at=_aware(day, start),
            ends_at=_aware(day, end),
            venue=venue,
            capacity=capacity,
        )
    out.write(f"Created {len(days)} sessions for {event.title}.")
