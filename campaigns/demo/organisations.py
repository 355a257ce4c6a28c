"""Demo content for the campaigns app: schools from the register sample, faith and community groups,
their contacts, four campaigns, and invitations in every state with their emails.

Safe to run again: it creates what is missing and never changes what exists, so what staff have changed
(a school renamed, a campaign's target) stays as they left it."""

import datetime
from pathlib import Path

from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils import timezone

from campaigns.invitations import services as invitations
from campaigns.mail import sending, webhooks
from campaigns.models import (
    Campaign,
    CampaignStatus,
    Contact,
    ContactRole,
    Invitation,
    InvitationState,
    MessageState,
    Organisation,
    OrganisationKind,
    OutboundMessage,
)
from campaigns.organisations import services as schools_import
from campaigns.organisations.selectors import recipients_for
from campaigns.roles import CAMPAIGN_STAFF
from cms.models import Authority
from events.models import EventPage
from resources.demo import ensure_user
from resources.taxonomy import Audience

SAMPLE = Path(__file__).resolve().parent / "fixtures" / "gias-sample.csv"
AREAS = ["Thurrock", "Southend-on-Sea"]

FAITH_GROUPS = [
    (
        "St Clement's Parish Church",
        "Church of England",
        "Grays",
        "RM17 6AA",
        "Thurrock",
        "Grays Riverside",
        True,
    ),
    (
        "Stanford Methodist Church",
        "Methodist",
        "Stanford-le-Hope",
        "SS17 0AA",
        "Thurrock",
        "Stanford East",
        False,
    ),
    ("Thurrock Central Mosque", "Muslim", "Tilbury", "RM18 7AA", "Thurrock", "Tilbury Riverside", True),
    ("Westcliff Gurdwara", "Sikh", "Westcliff-on-Sea", "SS0 7AA", "Southend-on-Sea", "Milton", False),
    (
        "Our Lady of Lourdes Church",
        "Roman Catholic",
        "Leigh-on-Sea",
        "SS9 1AA",
        "Southend-on-Sea",
        "Leigh",
        True,
    ),
]
COMMUNITY_GROUPS = [
    ("Chadwell Youth Club", "Chadwell St Mary", "RM16 4AA", "Thurrock", "Chadwell St Mary"),
    ("Grays Scouts and Guides", "Grays", "RM17 5AB", "Thurrock", "Grays Thurrock"),
    ("Southend Seafront Boxing Club", "Southend-on-Sea", "SS1 2AA", "Southend-on-Sea", "Kursaal"),
    ("Shoebury Young Carers Group", "Shoeburyness", "SS3 9AA", "Southend-on-Sea", "Shoeburyness"),
]

WALK_ONLINE = (
    "Walk Online is a morning roadshow for Year 5 pupils about staying safe online: who to trust, what to "
    "keep private, how to spot when someone is trying to trick or pressure you, and where to get help. "
    "Pupils take part in short scenes and activities with their teachers; no pupil is asked to share "
    "anything personal. Each school gets a follow-up pack for the classroom and a guide for parents."
)
PARENT_SESSIONS = (
    "Evening sessions for parents and carers on how children can be groomed and exploited, the signs to "
    "look out for, and how to talk with your child about their life online. Free, friendly, and with time "
    "for questions. If you are worried about a child, call 999 in an emergency or the NSPCC Helpline on "
    "0808 800 5000."
)
PROFESSIONALS = (
    "Child sexual exploitation awareness training for people whose work brings them into contact with "
    "children and young people: taxi and private-hire drivers, foster carers, housing and health staff, "
    "and councillors. Attendance is recorded and a certificate can be checked by licensing teams."
)
SAFEGUARDING = (
    "Our staff are DBS checked and follow the council's safeguarding procedures. If a pupil tells us "
    "something worrying, we pass it to the school's designated safeguarding lead the same day."
)
WESTVALE_BRIEFINGS = (
    "After-school briefings for head teachers and designated safeguarding leads in Westvale before the Walk "
    "Online roadshow comes to their schools: what pupils will see, how to prepare them, and what to do if a "
    "child tells you something worrying. Children's services, the NSPCC Helpline (0808 800 5000) and "
    "Childline (0800 1111) are there to help; in an emergency call 999."
)
PHOTOS = "We do not take photographs of pupils. Please do not photograph other schools' pupils."


def slug(text):
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-").replace("--", "-")


def seed(out):
    # Only schools not yet in the register: re-applying the sample would put its names back.
    result = schools_import.import_schools(SAMPLE, only_new=True)
    out.write(f"Schools register sample: {result.created} created, {result.unchanged} unchanged.")
    contacts_for_schools()
    groups()
    partnership_staff(out)
    campaigns = make_campaigns()
    invite_with_every_state(campaigns["WO27"])
    last_year(campaigns["WO26"])


def add_contact(organisation, email, role, name="", **extra):
    Contact.objects.get_or_create(
        organisation=organisation, email=email, defaults={"role": role, "name": name, **extra}
    )


def contacts_for_schools():
    """Contacts for the sample's schools that have none yet (a school's contacts, once made, are staff's)."""
    schools = list(
        Organisation.objects.filter(
            kind=OrganisationKind.SCHOOL, local_authority__in=AREAS, contacts__isnull=True
        )
    )
    for school in schools:
        domain = f"{slug(school.name)}-{school.urn}.school.example.org"
        add_contact(school, f"office@{domain}", ContactRole.OFFICE, "School office")
        if school.phase in ("Primary", "Middle deemed primary", "All-through"):
            add_contact(school, f"safeguarding@{domain}", ContactRole.DSL, "Designated safeguarding lead")
    # Shaw Primary also has a Year 5 team address: invitations go to it first.
    shaw = next((school for school in schools if school.name == "Shaw Primary School"), None)
    if shaw:
        add_contact(
            shaw, f"year5@{slug(shaw.name)}.school.example.org", ContactRole.YEAR_5_LEAD, "Year 5 team"
        )


# The demo partnership's council for each area the demo groups are in (cms.demo).
COUNCIL_OF_AREA = {"Thurrock": "northshire", "Southend-on-Sea": "eastmouth"}

# One campaign officer for each demo council, and a partnership coordinator who sees all three.
COUNCIL_OFFICERS = [
    ("northshire", "northshire-officer", "DEMO_NORTHSHIRE_OFFICER_PASSWORD", "Nadia", "North"),
    ("eastmouth", "eastmouth-officer", "DEMO_EASTMOUTH_OFFICER_PASSWORD", "Eamon", "East"),
    ("westvale", "westvale-officer", "DEMO_WESTVALE_OFFICER_PASSWORD", "Wren", "West"),
]
COORDINATOR_PERMISSIONS = ["coordinate_partnership", "add_authority", "change_authority", "view_authority"]


def _council_of(area):
    return Authority.objects.filter(code=COUNCIL_OF_AREA.get(area), is_demo=True).first()


def partnership_staff(out):
    """The demo councils' staff accounts (passwords printed once, or set by environment variables)."""
    councils = {council.code: council for council in Authority.objects.filter(is_demo=True)}
    if not councils:
        return
    for code, username, env_name, first_name, last_name in COUNCIL_OFFICERS:
        if code in councils:
            officer = ensure_user(out, username, CAMPAIGN_STAFF, env_name, first_name, last_name)
            councils[code].members.add(officer)
    coordinator = ensure_user(
        out, "coordinator", CAMPAIGN_STAFF, "DEMO_COORDINATOR_PASSWORD", "Cora", "Coordinator"
    )
    coordinator.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="cms", codename__in=COORDINATOR_PERMISSIONS)
    )


def _demo_group(kind, name, postcode):
    """A demo group made before, found by its name or, once staff have renamed it, by its postcode."""
    return Organisation.objects.filter(Q(name=name) | Q(postcode=postcode), kind=kind).order_by("pk").first()


def groups():
    for name, denomination, town, postcode, authority, ward, champion in FAITH_GROUPS:
        if _demo_group(OrganisationKind.FAITH, name, postcode):
            continue
        organisation = Organisation.objects.create(
            kind=OrganisationKind.FAITH,
            name=name,
            denomination=denomination,
            town=town,
            postcode=postcode,
            local_authority=authority,
            district=authority,
            authority=_council_of(authority),
            ward=ward,
            has_youth_champion=champion,
        )
        add_contact(
            organisation, f"office@{slug(name)}.faith.example.org", ContactRole.FAITH_LEADER, "Group office"
        )
        if champion:
            add_contact(
                organisation,
                f"youth@{slug(name)}.faith.example.org",
                ContactRole.YOUTH_CHAMPION,
                "Youth champion",
            )
    for name, town, postcode, authority, ward in COMMUNITY_GROUPS:
        if _demo_group(OrganisationKind.COMMUNITY, name, postcode):
            continue
        organisation = Organisation.objects.create(
            kind=OrganisationKind.COMMUNITY,
            name=name,
            town=town,
            postcode=postcode,
            local_authority=authority,
            district=authority,
            authority=_council_of(authority),
            ward=ward,
        )
        add_contact(
            organisation, f"leaders@{slug(name)}.group.example.org", ContactRole.GROUP_LEADER, "Leaders"
        )


def make_campaigns():
    specs = {
        "WO27": {
            "name": "Walk Online 2027",
            "slug": "walk-online-2027",
            "series": "walk-online",
            "description": WALK_ONLINE,
            "audience": Audience.AGES_8_10,
            "year_groups": ["Y5"],
            "target_reach": 3000,
            "local_authorities": AREAS,
            "starts_on": datetime.date(2026, 9, 1),
            "ends_on": datetime.date(2027, 7, 23),
            "status": CampaignStatus.OPEN,
            "safeguarding_statement": SAFEGUARDING,
            "photo_consent_statement": PHOTOS,
            "contact_email": "walkonline@safe-together.example",
            "contact_phone": "01375 000 000",
            "council": "northshire",
        },
        "WO26": {
            "name": "Walk Online 2026",
            "slug": "walk-online-2026",
            "series": "walk-online",
            "description": WALK_ONLINE,
            "audience": Audience.AGES_8_10,
            "year_groups": ["Y5"],
            "target_reach": 2500,
            "local_authorities": AREAS,
            "starts_on": datetime.date(2025, 9, 1),
            "ends_on": datetime.date(2026, 7, 22),
            "status": CampaignStatus.ARCHIVED,
            "safeguarding_statement": SAFEGUARDING,
            "photo_consent_statement": PHOTOS,
            "council": "northshire",
        },
        "PS27": {
            "name": "Keeping Children Safe: sessions for parents and carers 2026–27",
            "slug": "parent-sessions-2026-27",
            "series": "parent-sessions",
            "description": PARENT_SESSIONS,
            "audience": Audience.PARENTS_CARERS,
            "target_reach": 400,
            "local_authorities": AREAS,
            "starts_on": datetime.date(2026, 9, 1),
            "ends_on": datetime.date(2027, 8, 31),
            "status": CampaignStatus.OPEN,
            "open_booking": True,
            "council": "eastmouth",
        },
        "PT27": {
            "name": "CSE awareness training for professionals 2026–27",
            "slug": "professional-training-2026-27",
            "series": "professional-training",
            "description": PROFESSIONALS,
            "audience": Audience.PROFESSIONALS,
            "target_reach": 600,
            "local_authorities": AREAS,
            "starts_on": datetime.date(2026, 9, 1),
            "ends_on": datetime.date(2027, 8, 31),
            "status": CampaignStatus.OPEN,
            "open_booking": True,
            "booking_cutoff_days": 1,
            # The partnership's joint training: run by no one council.
            "council": None,
        },
        "WV27": {
            "name": "Walk Online briefings for Westvale schools 2026–27",
            "slug": "westvale-briefings-2026-27",
            "series": "westvale-briefings",
            "description": WESTVALE_BRIEFINGS,
            "audience": Audience.PROFESSIONALS,
            "target_reach": 60,
            "local_authorities": ["Kent"],
            "starts_on": datetime.date(2026, 9, 1),
            "ends_on": datetime.date(2027, 7, 23),
            "status": CampaignStatus.DRAFT,
            "contact_email": "campaigns@westvale.example.gov.uk",
            "council": "westvale",
            "event_slugs": ["head-teacher-and-dsl-briefing"],
        },
    }
    campaigns = {}
    councils = {council.code: council for council in Authority.objects.filter(is_demo=True)}
    for code, fields in specs.items():
        council = fields.pop("council")
        event_slugs = fields.pop("event_slugs", ())
        if council not in councils and code == "WV27":
            continue  # Westvale's own campaign only in the demo partnership
        fields["authority"] = councils.get(council)
        campaign, created = Campaign.objects.get_or_create(code=code, defaults=fields)
        campaigns[code] = campaign
        if created:
            out_events(campaign)
            campaign.events.add(*EventPage.objects.filter(slug__in=event_slugs))
    return campaigns


def out_events(campaign):
    """Link Walk Online campaigns to the events team's Walk Online events that have sessions to come."""
    if campaign.series != "walk-online" or campaign.status == CampaignStatus.ARCHIVED:
        return
    events = EventPage.objects.filter(
        Q(title__startswith="Walk Online"), sessions__starts_at__gt=timezone.now()
    ).distinct()
    campaign.events.add(*events)


# The state each demo invitation ends in, in order of the recipients' names.
STATES = [
    InvitationState.BOOKED,
    InvitationState.CLICKED,
    InvitationState.OPENED,
    InvitationState.DELIVERED,
    InvitationState.DECLINED,
    InvitationState.BOUNCED,
    InvitationState.FAILED,
    InvitationState.SENT,
    InvitationState.BOOKED,
    InvitationState.OPENED,
    InvitationState.DECLINED,
    InvitationState.DELIVERED,
]


_DELIVERED, _OPENED, _CLICKED = InvitationState.DELIVERED, InvitationState.OPENED, InvitationState.CLICKED
# What the email provider reported before each final state.
STEPS = {
    InvitationState.SENT: [],
    InvitationState.DELIVERED: [_DELIVERED],
    InvitationState.OPENED: [_DELIVERED, _OPENED],
    InvitationState.CLICKED: [_DELIVERED, _OPENED, _CLICKED],
    InvitationState.BOOKED: [_DELIVERED, _OPENED, _CLICKED],
    InvitationState.DECLINED: [_DELIVERED, _OPENED],
}


def invite_with_every_state(campaign):
    if campaign.invitations.exists():
        return
    kinds = [OrganisationKind.SCHOOL, OrganisationKind.FAITH, OrganisationKind.COMMUNITY]
    sent = invitations.send_invitations(campaign, recipients_for(campaign, kinds=kinds))
    sent.sort(key=lambda invitation: invitation.organisation.name)
    messages = {
        m.related_id: m
        for m in OutboundMessage.objects.filter(campaign=campaign, dedupe_key__startswith="invitation:")
    }
    now = timezone.now()
    for index, invitation in enumerate(sent):
        message = messages[invitation.pk]
        # The last invitation stays queued: the background worker sends it when it runs.
        if index == len(sent) - 1:
            continue
        state = STATES[index % len(STATES)]
        if state == InvitationState.FAILED:
            OutboundMessage.objects.filter(pk=message.pk).update(
                state=MessageState.FAILED, attempts=1, last_error="550 Mailbox unavailable (demo)"
            )
            invitations.advance(invitation.pk, InvitationState.FAILED)
            continue
        sending.deliver(message.pk)  # written to the outbox now, so the demo shows the emails
        when = now - datetime.timedelta(days=12 - index % 10)
        if state == InvitationState.BOUNCED:
            webhooks.suppress(message.to_email, "bounced")
            OutboundMessage.objects.filter(pk=message.pk).update(delivery="bounced")
            invitations.advance(invitation.pk, InvitationState.BOUNCED, when)
            continue
        for step in STEPS[state]:
            invitations.advance(invitation.pk, step, when)
            OutboundMessage.objects.filter(pk=message.pk).update(delivery=step)
        if state == InvitationState.DECLINED:
            invitations.decline(invitation)
        elif state == InvitationState.BOOKED:
            # The booking itself is made by the bookings demo; here the invitation records the answer.
            Invitation.objects.filter(pk=invitation.pk).update(state=InvitationState.BOOKED, booked_at=when)


def last_year(campaign):
    """Last year's Walk Online: invitations answered long ago, for year-on-year comparisons."""
    if campaign.invitations.exists():
        return
    schools = list(
        recipients_for(
            campaign, only_open=False, include_closed=True, not_invited=True, with_contact=False
        ).filter(kind=OrganisationKind.SCHOOL)
    )
    sent_at = timezone.make_aware(datetime.datetime(2025, 10, 6, 9, 0))
    rows = []
    for index, school in enumerate(schools):
        state = [InvitationState.BOOKED, InvitationState.DECLINED, InvitationState.OPENED][index % 3]
        rows.append(
            Invitation(
                campaign=campaign,
                organisation=school,
                contact=school.contacts.first(),
                state=state,
                sent_at=sent_at,
                delivered_at=sent_at,
                opened_at=sent_at + datetime.timedelta(days=1),
                booked_at=sent_at + datetime.timedelta(days=3) if state == InvitationState.BOOKED else None,
                declined_at=sent_at + datetime.timedelta(days=2)
                if state == InvitationState.DECLINED
                else None,
            )
        )
    Invitation.objects.bulk_create(rows)
