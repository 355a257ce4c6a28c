"""Organisations and contacts: who can be written to, who was reached, and which schools fit a campaign.

"Reached" has one meaning everywhere, `Attendance.objects.reached()`: the register shows someone from the
organisation at a session. Reach figures, the Organisations filter and the API all use it.
"""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from campaigns.models import (
    Attendance,
    Contact,
    ContactRole,
    Invitation,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    SuppressedAddress,
)
from resources.taxonomy import YEAR_GROUP_START_AGE, YearGroup

# Whom to write to first when an organisation has several contacts.
CONTACT_PREFERENCE = [
    ContactRole.YEAR_5_LEAD,
    ContactRole.DSL,
    ContactRole.HEAD_TEACHER,
    ContactRole.YOUTH_CHAMPION,
    ContactRole.FAITH_LEADER,
    ContactRole.GROUP_LEADER,
    ContactRole.TEACHER,
    ContactRole.OFFICE,
    ContactRole.OTHER,
]


def academic_year_start(today=None):
    """1 September of the current school year."""
    today = today or timezone.localdate()
    year = today.year if today.month >= 9 else today.year - 1
    return datetime.date(year, 9, 1)


def campaign_email_contacts():
    """Contacts who agreed to campaign emails, did not opt out, and whose address is not suppressed."""
    suppressed = SuppressedAddress.objects.filter(email__iexact=OuterRef("email"))
    return Contact.objects.filter(agreed_to_emails=True, opted_out=False).exclude(Exists(suppressed))


def reached_between(start, end):
    """A subquery for Exists(): the organisation was reached at a session held between two moments."""
    return Attendance.objects.reached().filter(
        organisation=OuterRef("pk"), session__starts_at__gte=start, session__starts_at__lt=end
    )


def reached_this_year(now=None):
    """A subquery for Exists(): reached since 1 September, up to now."""
    now = now or timezone.now()
    start = datetime.datetime.combine(academic_year_start(timezone.localdate(now)), datetime.time.min)
    return reached_between(timezone.make_aware(start), now)


def with_flags(queryset):
    """Annotate `has_contact` and `reached_this_year` (one query, whatever the page size)."""
    return queryset.annotate(
        has_contact=Exists(Contact.objects.filter(organisation=OuterRef("pk"))),
        reached_this_year=Exists(reached_this_year()),
    )


def covers_year_groups_q(year_groups):
    """Schools whose statutory age range takes in pupils of any of these year groups.

    Year N pupils are YEAR_GROUP_START_AGE on 1 September and a year older by the summer, so the
    range must reach from that age to the next.
    """
    condition = Q()
    for value in year_groups or []:
        try:
            start_age = YEAR_GROUP_START_AGE[YearGroup(value)]
        except ValueError:
            continue
        condition |= Q(statutory_low_age__lte=start_age, statutory_high_age__gte=start_age + 1)
    return condition


def recipients_for(
    campaign,
    *,
    kinds=(OrganisationKind.SCHOOL,),
    local_authorities=None,
    wards=None,
    phases=None,
    covers_year_groups=True,
    only_open=True,
    not_invited=True,
    with_contact=True,
    include_closed=False,
):
    """Organisations a campaign's invitation may go to, filtered as staff chose.

    `only_open` keeps open schools and groups (and those proposed to close); without it, those proposed to
    open are included too. Organisations marked closed are never invited: `include_closed` is only for
    records of the past (the demo's last year).
    """
    queryset = Organisation.objects.filter(confirmed=True)
    if kinds:
        queryset = queryset.filter(kind__in=kinds)
    if local_authorities is None:
        local_authorities = campaign.local_authorities
    if local_authorities:
        area = Q(local_authority__in=local_authorities) | Q(local_authority_code__in=local_authorities)
        queryset = queryset.filter(area)
    if wards:
        queryset = queryset.filter(ward__in=wards)
    if phases:
        queryset = queryset.filter(phase__in=phases)
    if only_open:
        queryset = queryset.filter(status__in=[OrganisationStatus.OPEN, OrganisationStatus.PROPOSED_TO_CLOSE])
    elif not include_closed:
        queryset = queryset.exclude(status=OrganisationStatus.CLOSED)
    if covers_year_groups and campaign.year_groups:
        # Only schools have an age range; other kinds are not narrowed by it.
        queryset = queryset.filter(
            ~Q(kind=OrganisationKind.SCHOOL) | covers_year_groups_q(campaign.year_groups)
        )
    if not_invited:
        queryset = queryset.exclude(
            Exists(Invitation.objects.filter(campaign=campaign, organisation=OuterRef("pk")))
        )
    if with_contact:
        queryset = queryset.filter(Exists(campaign_email_contacts().filter(organisation=OuterRef("pk"))))
    return queryset.order_by("name", "pk")


def best_contacts(organisation_ids):
    """{organisation id: the contact to write to}, in one query."""
    ranked = {role: rank for rank, role in enumerate(CONTACT_PREFERENCE)}
    chosen = {}
    for contact in campaign_email_contacts().filter(organisation_id__in=organisation_ids).order_by("pk"):
        current = chosen.get(contact.organisation_id)
        if current is None or ranked.get(contact.role, 99) < ranked.get(current.role, 99):
            chosen[contact.organisation_id] = contact
    return chosen


def distinct_values(field, organisations=None, **filters):
    """The values of one column among `organisations` (default: all of them), as choices."""
    values = (
        (Organisation.objects.all() if organisations is None else organisations)
        .filter(**filters)
        .exclude(**{field: ""})
        .order_by(field)
        .values_list(field, flat=True)
        .distinct()
    )
    return [(value, value) for value in values]
