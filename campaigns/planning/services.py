"""Writing campaigns: copying a campaign to next year, with its events and sessions moved on.

A recurring campaign (the same roadshow every school year) is planned from last year's: the copy keeps the
audience, area, statements, materials and contact, moves its dates on a year, and gives it its own copies of
last year's events (as drafts: a page for children still goes live only through safeguarding review) with
each scheduled session moved on 52 weeks, so it falls on the same weekday at the same local time. Bookings,
invitations, registers and the waiting list stay with last year's campaign.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from campaigns.log_actions import log_change
from campaigns.models import Campaign, CampaignStatus
from cms.errors import ServiceError
from events import services as event_services
from events.models import EventPage, SessionStatus

SESSIONS_MOVE_ON = datetime.timedelta(weeks=52)
YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
SHORT_YEAR = re.compile(r"(\d\d)$")


@dataclass
class CopyPlan:
    """What copying a campaign to next year will create, shown to staff before they confirm."""

    name: str
    code: str
    starts_on: datetime.date
    ends_on: datetime.date
    events: list = field(default_factory=list)  # (event, new title, [(session, new start)])

    @property
    def session_count(self):
        return sum(len(sessions) for _, _, sessions in self.events)


def _next_year_text(text, year):
    """'Walk Online 2027' -> 'Walk Online 2028'; text without a year gets the new year added."""
    if YEAR.search(text):
        return YEAR.sub(lambda match: str(int(match.group(1)) + 1), text)
    return f"{text} {year}"


def _next_code(code):
    match = SHORT_YEAR.search(code)
    stem, number = (code[: match.start()], (int(match.group(1)) + 1) % 100) if match else (code[:6], 1)
    candidate = f"{stem}{number:02d}"[:8]
    suffix = 0
    while Campaign.objects.filter(code=candidate).exists():
        suffix += 1
        candidate = f"{stem[: 8 - len(str(suffix)) - 2]}{number:02d}{suffix}"[:8]
    return candidate


def _unique_slug(model_queryset, base):
    slug, n = base, 1
    while model_queryset.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _a_year_on(day):
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _moved_on(moment):
    """The same local wall-clock time 52 weeks later (so a 09:30 session stays 09:30 across clock changes)."""
    if moment is None:
        return None
    local = timezone.localtime(moment).replace(tzinfo=None)
    return timezone.make_aware(local + SESSIONS_MOVE_ON)


def plan_copy(campaign):
    new_year = _a_year_on(campaign.starts_on).year
    plan = CopyPlan(
        name=_next_year_text(campaign.name, new_year),
        code=_next_code(campaign.code),
        starts_on=_a_year_on(campaign.starts_on),
        ends_on=_a_year_on(campaign.ends_on),
    )
    for event in campaign.events.order_by("title"):
        sessions = (
            event.sessions.exclude(status=SessionStatus.CANCELLED)
            .select_related("venue")
            .order_by("starts_at")
        )
        plan.events.append(
            (event, _next_year_text(event.title, new_year), [(s, _moved_on(s.starts_at)) for s in sessions])
        )
    return plan


@transaction.atomic
def copy_to_next_year(campaign, *, user):
    """Create next year's campaign from `campaign`. Returns the new campaign (a draft)."""
    plan = plan_copy(campaign)
    for event, _, _ in plan.events:
        if not event.get_parent().permissions_for_user(user).can_add_subpage():
            raise ServiceError(
                f"You may not add events where “{event.title}” is, so the campaign was not copied."
            )
    copy = Campaign.objects.get(pk=campaign.pk)
    copy.pk = None
    copy.name, copy.code = plan.name, plan.code
    copy.slug = _unique_slug(Campaign.objects, slugify(plan.name)[:50] or "campaign")
    copy.starts_on, copy.ends_on = plan.starts_on, plan.ends_on
    copy.status = CampaignStatus.DRAFT
    copy.save()
    copy.pre_session_materials.set(campaign.pre_session_materials.all())
    copy.post_session_materials.set(campaign.post_session_materials.all())

    for event, title, sessions in plan.events:
        new_event = event.copy(
            to=event.get_parent(),
            update_attrs={
                "title": title,
                "slug": _unique_slug(EventPage.objects, slugify(title)[:50] or "event"),
            },
            keep_live=False,
            copy_revisions=False,
            user=user,
        )
        copy.events.add(new_event)
        for session, starts_at in sessions:
            event_services.create_session(
                event=new_event,
                starts_at=starts_at,
                ends_at=_moved_on(session.ends_at),
                venue=session.venue,
                capacity=session.capacity,
                booking_opens_at=_moved_on(session.booking_opens_at),
                booking_closes_at=_moved_on(session.booking_closes_at),
                user=user,
            )
    log_change(
        copy,
        "campaigns.campaign.copied",
        user,
        copied_from=campaign.name,
        events=len(plan.events),
        sessions=plan.session_count,
    )
    return copy
