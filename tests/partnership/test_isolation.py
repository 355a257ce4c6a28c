"""Staff of one partner council see and change only their council's work; coordinators see every council's.

Each council's work here carries a word of its own ("Alderbrook" for Thurrock, "Birchwood" for Southend) in
every name, so a screen that shows Thurrock's officer anything of Southend's is caught by looking for
"Birchwood" in the page, its CSV and its XLSX. The tables below list every staff screen of the campaigns and
events side; `test_every_admin_screen_is_in_a_table` fails when a new screen is added without a row here.
"""

import datetime
import io
import json
from dataclasses import dataclass

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from campaigns.evaluation import services as evaluation
from campaigns.models import (
    AdultComment,
    Asked,
    CapacityDrift,
    Cohort,
    EmailEvent,
    MessageState,
    OutboundMessage,
    PartnerToken,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    TrainingCourse,
    TrainingRecord,
    WaitingListEntry,
)
from campaigns.roles import CAMPAIGN_STAFF, REGISTER_TAKERS
from cms import partnership
from cms.models import Authority
from events.models import Session
from tests.factories import (
    BookingFactory,
    CampaignFactory,
    ContactFactory,
    EventPageFactory,
    InvitationFactory,
    OrganisationFactory,
    SessionFactory,
    event_index,
    member_of,
)

pytestmark = pytest.mark.django_db

OURS, THEIRS = "Alderbrook", "Birchwood"


@dataclass
class Work:
    council: Authority
    event: object
    session: object
    campaign: object
    organisation: object
    contact: object
    invitation: object
    booking: object
    waiting: object
    message: object
    record: object
    cohort: object
    drift: object
    token: object
    email_event: object
    questionnaire: object
    comment: object


def make_work(council, word, course):
    event = EventPageFactory(title=f"{word} roadshow", authority=council, parent=event_index())
    session = SessionFactory(
        event=event,
        venue__name=f"Community hall {council.code}",
        # Today whatever the hour, so it is on today's registers.
        starts_at=timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0),
        ends_at=timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0),
    )
    campaign = CampaignFactory(name=f"{word} Walk Online", series=f"{word.lower()}-walks", authority=council)
    campaign.events.add(event)
    organisation = OrganisationFactory(
        name=f"{word} Primary School",
        local_authority=f"{word} borough",
        ward=f"{word} ward",
        authority=council,
    )
    contact = ContactFactory(
        organisation=organisation, name=f"{word} office", email=f"office@{word}.example.org"
    )
    invitation = InvitationFactory(campaign=campaign, organisation=organisation, contact=contact)
    booking = BookingFactory(
        session=session, campaign=campaign, organisation=organisation, booker_name=f"{word} teacher"
    )
    waiting = WaitingListEntry.objects.create(
        session=session,
        campaign=campaign,
        organisation=organisation,
        places_wanted=10,
        booker_name=f"{word} waiting teacher",
        booker_email=f"waiting@{word}.example.org",
        position=1,
    )
    message = OutboundMessage.objects.create(
        to_email=f"office@{word}.example.org",
        subject=f"{word} invitation",
        template="invitation",
        campaign=campaign,
        state=MessageState.FAILED,
    )
    record = TrainingRecord.objects.create(
        course=course,
        session=session,
        name=f"{word} driver",
        licence_number=f"PH-{word}",
        completed_on=timezone.localdate(),
        valid_until=timezone.localdate() + datetime.timedelta(days=365),
        verification_code=f"{word[:4].upper()}1234",
    )
    cohort = Cohort.objects.create(name=f"{word} councillors", authority=council, course=course)
    drift = CapacityDrift.objects.create(session=session, places_taken=3, places_booked=2)
    token = PartnerToken.objects.create(
        name=f"{word} police", token_hash=word, prefix=word[:8], authority=council
    )
    email_event = EmailEvent.objects.create(
        event_id=f"evt-{word}",
        message=message,
        event_type="bounced",
        recipient=f"office@{word}.example.org",
        occurred_at=timezone.now(),
    )
    questionnaire, comment = make_evaluation(word, campaign, session)
    return Work(
        council, event, session, campaign, organisation, contact, invitation, booking, waiting, message,
        record, cohort, drift, token, email_event, questionnaire, comment,
    )  # fmt: skip


def make_evaluation(word, campaign=None, session=None, courses=()):
    """An adults' evaluation asked by `campaign` (and `courses`), with one adult's comment at `session`."""
    questionnaire = Questionnaire.objects.create(
        name=f"{word} evaluation", audience="adults", series=f"{word.lower()}-evaluation"
    )
    if campaign is not None:
        questionnaire.campaigns.add(campaign)
    questionnaire.courses.add(*courses)
    Question.objects.create(
        questionnaire=questionnaire,
        sort_order=1,
        text="How confident do you feel about spotting the signs?",
        kind=QuestionKind.SCALE,
        asked=Asked.BEFORE_AND_AFTER,
    )
    Question.objects.create(
        questionnaire=questionnaire, sort_order=2, text="Any comments?", kind=QuestionKind.FREE_TEXT
    )
    evaluation.sync_questionnaire(questionnaire)
    if session is None:
        return questionnaire, None
    response = Response.objects.create(
        questionnaire=questionnaire, session=session, nonce=f"nonce-{word}", submitted_at=timezone.now()
    )
    comment = AdultComment.objects.create(
        response=response,
        question_version=questionnaire.versions.get(kind=QuestionKind.FREE_TEXT),
        text=f"{word} comment: the session was clear and useful.",
    )
    return questionnaire, comment


@pytest.fixture
def world():
    thurrock = Authority.objects.create(name="Thurrock Council", code="thurrock")
    southend = Authority.objects.create(name="Southend Council", code="southend")
    course = TrainingCourse.objects.create(name="Taxi driver CSE awareness", slug="taxi")
    return {"ours": make_work(thurrock, OURS, course), "theirs": make_work(southend, THEIRS, course)}


def _everything(user):
    """Campaign staff with every permission a council's staff could hold (tokens and cohorts included)."""
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="campaigns",
            codename__in=[
                "add_partnertoken",
                "change_partnertoken",
                "view_partnertoken",
                "delete_partnertoken",
                "correct_closed_registers",
            ],
        )
    )
    return user


@pytest.fixture
def officer(client, world):
    user = _everything(member_of(CAMPAIGN_STAFF, "thurrock-officer"))
    world["ours"].council.members.add(user)
    client.force_login(user)
    return user


@pytest.fixture
def coordinator(client, world):
    user = _everything(member_of(CAMPAIGN_STAFF, "coordinator"))
    user.user_permissions.add(Permission.objects.get(codename="coordinate_partnership"))
    client.force_login(user)
    return user


# --- the tables ------------------------------------------------------------------------------------

# Listings (and reports): URL name, and whether it exports CSV/XLSX. Each shows our word, never theirs.
LISTINGS = [
    ("campaigns_campaign:index", True),
    ("campaigns_organisation:index", True),
    ("campaigns_contact:index", True),
    ("campaigns_invitation:index", True),
    ("campaigns_outboundmessage:index", False),
    ("campaigns_emailevent:index", False),
    ("campaigns_bookings:index", True),
    ("campaigns_waiting:index", False),
    ("campaigns_drift:index", False),
    ("campaigns_trainingrecord:index", True),
    ("campaigns_cohort:index", False),
    ("campaigns_partnertoken:index", False),
    ("events_sessions:index", True),
    ("events_pages:index", False),
    ("campaigns_register", False),
    ("campaigns_bookings_session_summary", True),
    ("campaigns_cohorts", False),
    ("campaigns_questionnaire:index", False),
    ("campaigns_adultcomment:index", False),
    ("campaigns_evaluation_report", True),
    ("wagtailadmin_home", False),
]
RESULTS_OF = {  # a listing's results-only URL shows the same rows
    "campaigns_campaign:index_results": "campaigns_campaign:index",
    "campaigns_organisation:index_results": "campaigns_organisation:index",
    "campaigns_contact:index_results": "campaigns_contact:index",
    "campaigns_invitation:index_results": "campaigns_invitation:index",
    "campaigns_outboundmessage:index_results": "campaigns_outboundmessage:index",
    "campaigns_emailevent:index_results": "campaigns_emailevent:index",
    "campaigns_bookings:index_results": "campaigns_bookings:index",
    "campaigns_waiting:index_results": "campaigns_waiting:index",
    "campaigns_drift:index_results": "campaigns_drift:index",
    "campaigns_trainingrecord:index_results": "campaigns_trainingrecord:index",
    "campaigns_cohort:index_results": "campaigns_cohort:index",
    "campaigns_partnertoken:index_results": "campaigns_partnertoken:index",
    "events_sessions:index_results": "events_sessions:index",
    "events_pages:index_results": "events_pages:index",
    "campaigns_bookings_session_summary_results": "campaigns_bookings_session_summary",
    "campaigns_questionnaire:index_results": "campaigns_questionnaire:index",
    "campaigns_adultcomment:index_results": "campaigns_adultcomment:index",
    "campaigns_evaluation_report_results": "campaigns_evaluation_report",
}

# Screens about one row: URL name and which of the council's rows it is about. Theirs: 404 (or 403).
OBJECT_SCREENS = [
    (name, part)
    for part, names in {
        "campaign": [
            "campaigns_campaign:inspect",
            "campaigns_campaign:edit",
            "campaigns_campaign:delete",
            "campaigns_campaign:copy",
            "campaigns_campaign:history",
            "campaigns_campaign:history_results",
            "campaigns_campaign:usage",
            "campaigns_campaign:copy_to_next_year",
            "campaigns_campaign:invite",
            "campaigns_campaign:remind",
            "campaigns_reach_campaign",
        ],
        "organisation": [
            "campaigns_organisation:inspect",
            "campaigns_organisation:edit",
            "campaigns_organisation:delete",
            "campaigns_organisation:copy",
            "campaigns_organisation:history",
            "campaigns_organisation:history_results",
            "campaigns_organisation:usage",
        ],
        "contact": [
            "campaigns_contact:edit",
            "campaigns_contact:delete",
            "campaigns_contact:copy",
            "campaigns_contact:history",
            "campaigns_contact:history_results",
            "campaigns_contact:usage",
        ],
        "invitation": [
            "campaigns_invitation:inspect",
            "campaigns_invitation:edit",
            "campaigns_invitation:history",
            "campaigns_invitation:history_results",
            "campaigns_invitation:usage",
        ],
        "message": [
            "campaigns_outboundmessage:inspect",
            "campaigns_outboundmessage:history",
            "campaigns_outboundmessage:history_results",
            "campaigns_outboundmessage:usage",
        ],
        "email_event": [
            "campaigns_emailevent:inspect",
            "campaigns_emailevent:history",
            "campaigns_emailevent:history_results",
            "campaigns_emailevent:usage",
        ],
        "booking": [
            "campaigns_bookings:inspect",
            "campaigns_bookings:edit",
            "campaigns_bookings:delete",
            "campaigns_bookings:history",
            "campaigns_bookings:history_results",
            "campaigns_bookings:usage",
        ],
        "waiting": [
            "campaigns_waiting:inspect",
            "campaigns_waiting:history",
            "campaigns_waiting:history_results",
            "campaigns_waiting:usage",
        ],
        "drift": [
            "campaigns_drift:history",
            "campaigns_drift:history_results",
            "campaigns_drift:usage",
        ],
        "record": [
            "campaigns_trainingrecord:inspect",
            "campaigns_trainingrecord:edit",
            "campaigns_trainingrecord:delete",
            "campaigns_trainingrecord:history",
            "campaigns_trainingrecord:history_results",
            "campaigns_trainingrecord:usage",
            "campaigns_trainingrecord_issue_certificate",
        ],
        "cohort": [
            "campaigns_cohort:edit",
            "campaigns_cohort:delete",
            "campaigns_cohort:history",
            "campaigns_cohort:history_results",
            "campaigns_cohort:usage",
            "campaigns_cohort",
            "campaigns_cohort_members",
            "campaigns_cohort_members_results",
        ],
        "token": [
            "campaigns_partnertoken:inspect",
            "campaigns_partnertoken:edit",
            "campaigns_partnertoken:delete",
            "campaigns_partnertoken:history",
            "campaigns_partnertoken:history_results",
            "campaigns_partnertoken:usage",
        ],
        "session": [
            "events_sessions:inspect",
            "events_sessions:edit",
            "events_sessions:delete",
            "events_sessions:history",
            "events_sessions:history_results",
            "events_sessions:usage",
            "campaigns_bookings_session",
            "campaigns_bookings_sign_in_sheet",
            "campaigns_bookings_message",
            "campaigns_bookings_cancel_session",
            "campaigns_register_session",
            "campaigns_session_quiz",
        ],
        "questionnaire": [
            "campaigns_questionnaire:edit",
            "campaigns_questionnaire:delete",
            "campaigns_questionnaire:history",
            "campaigns_questionnaire:history_results",
            "campaigns_questionnaire:usage",
        ],
        "comment": [
            "campaigns_adultcomment:inspect",
            "campaigns_adultcomment:edit",
            "campaigns_adultcomment:delete",
            "campaigns_adultcomment:history",
            "campaigns_adultcomment:history_results",
            "campaigns_adultcomment:usage",
        ],
        "event": [
            "wagtailadmin_pages:edit",
            "wagtailadmin_pages:delete",
            "wagtailadmin_pages:copy",
            "wagtailadmin_pages:move",
            "wagtailadmin_pages:unpublish",
            "resources_translation_review",  # any page: the review of a translation beside the English
        ],
    }.items()
    for name in names
]

# Screens that show no council's rows, with the reason; and those tested elsewhere in this file.
NOT_SCOPED = {
    "campaigns_campaign:add": "a form: its choices are tested below",
    "campaigns_organisation:add": "a form: its choices are tested below",
    "campaigns_contact:add": "a form: its choices are tested below",
    "campaigns_bookings:add": "a form: its choices are tested below",
    "campaigns_bookings:copy": "copies a booking the user sees (scoped like edit)",
    "campaigns_waiting:copy": "copies an entry the user sees (scoped like edit)",
    "campaigns_drift:add": "not made here (redirects to the list)",
    "campaigns_drift:edit": "not made here (redirects to the list)",
    "campaigns_drift:delete": "deleting a check: scoped like edit",
    "campaigns_drift:copy": "not made here",
    "campaigns_trainingrecord:add": "records are issued from registers, not added here",
    "campaigns_cohort:add": "a form: its choices are tested below",
    "campaigns_partnertoken:add": "a form: its choices are tested below",
    "events_sessions:add": "a form: its choices are tested below",
    "events_sessions:recurring": "a form: its choices are tested below",
    "events_pages:choose_parent": "the What's on pages, shared by the partnership",
    "campaigns_cohort_upload": "POST only: the cohort is chosen from the user's own (tested below)",
    "campaigns_bookings_move_waiting": "POST only: tested below",
    "campaigns_invitation:add": "invitations are sent from a campaign, never added here",
    "campaigns_invitation:delete": "invitations are records: nobody deletes them",
    "campaigns_outboundmessage:add": "emails are records: nobody adds them",
    "campaigns_outboundmessage:edit": "emails are records: nobody changes them",
    "campaigns_outboundmessage:delete": "emails are records: nobody deletes them",
    "campaigns_emailevent:add": "provider events are records: nobody adds them",
    "campaigns_emailevent:edit": "provider events are records: nobody changes them",
    "campaigns_emailevent:delete": "provider events are records: nobody deletes them",
    "campaigns_licence_check": "answers from every council's certificates, as the public check does",
    "campaigns_reach": "figures: tests/partnership/test_reach_by_council.py (choices tested below)",
    "campaigns_reach_by_area": "figures: tests/partnership/test_reach_by_council.py",
    "campaigns_reach_by_area_results": "figures: tests/partnership/test_reach_by_council.py",
    "campaigns_reach_never_reached": "tested below",
    "campaigns_reach_never_reached_results": "tested below",
    "campaigns_questionnaire:add": "a form: its choices are tested below",
    "campaigns_adultcomment:add": "comments are written by adults answering, never added here (tested below)",
}
SHARED_NAMESPACES = {  # the partnership's shared records: no council's work
    "campaigns_suppressedaddress": "addresses that bounced or unsubscribed: one list for every sender",
    "campaigns_schoolimport": "the national schools register import, run for the whole partnership",
    "campaigns_trainingcourse": "courses are shared by the partnership, like the library",
}


def _admin_url_names():
    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                yield from walk(pattern.url_patterns, inner or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    admin = next(p for p in get_resolver().url_patterns if str(p.pattern) == "admin/")
    return {
        name
        for name in walk(admin.url_patterns)
        if name.startswith(("campaigns_", "events_")) or name.split(":")[0] in ("campaigns", "events")
    }


def test_every_admin_screen_is_in_a_table():
    listed = (
        {name for name, _ in LISTINGS}
        | set(RESULTS_OF)
        | {name for name, _ in OBJECT_SCREENS}
        | set(NOT_SCOPED)
    )
    missing = sorted(
        name
        for name in _admin_url_names()
        if name not in listed and name.split(":")[0] not in SHARED_NAMESPACES
    )
    assert not missing, f"Add these screens to a table in {__name__}: {missing}"


def _text(response):
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        return " ".join(str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row)
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _absent(word, text, where):
    """Fails naming the place the word shows, with what is around it."""
    at = text.find(word)
    assert at < 0, f"{where}: …{text[max(at - 150, 0) : at + 60]}…"


def _url(name, work=None, part=None):
    if part is None:
        return reverse(name)
    obj = getattr(work, part)
    kwarg = {
        "campaigns_reach_campaign": "campaign_id",
        "campaigns_register_session": "session_id",
        "campaigns_session_quiz": "session_id",
    }
    if name.startswith(("campaigns_cohort", "campaigns_cohort_members")) and ":" not in name:
        return reverse(name, kwargs={"cohort_id": obj.pk})
    if name in kwarg:
        return reverse(name, kwargs={kwarg[name]: obj.pk})
    return reverse(name, args=[obj.pk])


@pytest.mark.parametrize(("name", "exports"), LISTINGS)
def test_a_listing_shows_only_our_councils_work(client, officer, name, exports):
    formats = ["", "csv", "xlsx"] if exports else [""]
    for fmt in formats:
        response = client.get(_url(name) + (f"?export={fmt}" if fmt else ""))
        assert response.status_code == 200, (name, fmt)
        text = _text(response)
        assert THEIRS not in text, (name, fmt)
        if name != "wagtailadmin_home":
            assert OURS in text, (name, fmt)


@pytest.mark.parametrize(("results", "listing"), sorted(RESULTS_OF.items()))
def test_a_listings_results_show_only_our_councils_work(client, officer, results, listing):
    response = client.get(reverse(results))
    assert response.status_code == 200
    assert THEIRS not in response.content.decode()


@pytest.mark.parametrize(("name", "exports"), LISTINGS)
def test_a_coordinator_sees_every_councils_work(client, coordinator, name, exports):
    text = _text(client.get(_url(name)))
    if name != "wagtailadmin_home":
        assert OURS in text and THEIRS in text, name


def _refused(response):
    """404 or 403; a page screen refuses as Wagtail does for any page permission: back to the dashboard."""
    return response.status_code in (403, 404) or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


@pytest.mark.parametrize(("name", "part"), OBJECT_SCREENS)
def test_another_councils_row_is_not_found(client, officer, world, name, part):
    response = client.get(_url(name, world["theirs"], part))
    assert _refused(response), (name, response.status_code)
    _absent(THEIRS, response.content.decode(), name)


@pytest.mark.parametrize(("name", "part"), OBJECT_SCREENS)
def test_our_councils_row_opens(client, officer, world, name, part):
    response = client.get(_url(name, world["ours"], part))
    assert response.status_code in (200, 302), name


@pytest.mark.parametrize(("name", "part"), OBJECT_SCREENS)
def test_a_coordinator_opens_every_councils_rows(client, coordinator, world, name, part):
    response = client.get(_url(name, world["theirs"], part))
    assert response.status_code in (200, 302), name


def test_search_finds_only_our_councils_rows(client, officer):
    for name, found in (
        ("campaigns_organisation:index", "Primary School"),
        ("campaigns_contact:index", "office"),
        ("campaigns_bookings:index", "teacher"),
        ("campaigns_campaign:index", "Walk Online"),
        ("events_sessions:index", "roadshow"),
    ):
        text = client.get(reverse(name), {"q": THEIRS}).content.decode()
        _absent(f"{THEIRS} {found}", text, name)
        assert f"{OURS} {found}" in client.get(reverse(name), {"q": OURS}).content.decode(), name


def test_filters_offer_only_our_councils_choices(client, officer):
    for name in (
        "campaigns_campaign:index",
        "campaigns_organisation:index",
        "campaigns_contact:index",
        "campaigns_invitation:index",
        "campaigns_outboundmessage:index",
        "campaigns_bookings:index",
        "campaigns_waiting:index",
        "events_sessions:index",
    ):
        _absent(THEIRS, client.get(reverse(name)).content.decode(), name)
    organisations = client.get(reverse("campaigns_organisation:index")).content.decode()
    assert f'value="{OURS} borough"' in organisations and f'value="{OURS} ward"' in organisations
    assert f'value="{OURS.lower()}-walks"' in client.get(reverse("campaigns_campaign:index")).content.decode()
    # The reach dashboard's campaign choices (its figures: tests/partnership/test_reach_by_council.py).
    text = client.get(reverse("campaigns_reach")).content.decode()
    assert f">{OURS} Walk Online</option>" in text
    _absent(f">{THEIRS} Walk Online</option>", text, "campaigns_reach")


def test_filtering_by_another_councils_row_shows_nothing_of_theirs(client, officer, world):
    theirs = world["theirs"]
    for name, param, value in (
        ("campaigns_invitation:index", "campaign", theirs.campaign.pk),
        ("campaigns_bookings:index", "session", theirs.session.pk),
        ("events_sessions:index", "event", theirs.event.pk),
    ):
        response = client.get(reverse(name), {param: value})
        assert response.status_code == 200 and THEIRS not in response.content.decode(), name


def test_forms_offer_only_our_councils_choices(client, officer, world):
    for name in (
        "campaigns_campaign:add",
        "campaigns_organisation:add",
        "campaigns_contact:add",
        "campaigns_bookings:add",
        "campaigns_cohort:add",
        "campaigns_partnertoken:add",
        "events_sessions:add",
        "events_sessions:recurring",
        "campaigns_questionnaire:add",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        text = response.content.decode()
        _absent(THEIRS, text, name)
        _absent("Southend", text, name)
    assert "Thurrock Council" in client.get(reverse("campaigns_campaign:add")).content.decode()


def test_a_campaign_is_created_for_our_council_only(client, officer, world):
    data = {
        "name": "Thurrock parents 2027",
        "code": "TP27",
        "slug": "thurrock-parents-2027",
        "status": "draft",
        "audience": "parents-carers",
        "target_reach": 100,
        "starts_on": "2027-01-01",
        "ends_on": "2027-03-01",
        "booking_cutoff_days": 3,
        "local_authorities": "[]",
        "districts": "[]",
        "year_groups": "[]",
    }
    refused = client.post(
        reverse("campaigns_campaign:add"), {**data, "authority": world["theirs"].council.pk}
    )
    assert refused.status_code == 200  # the form again, with the error
    refused_joint = client.post(reverse("campaigns_campaign:add"), {**data, "authority": ""})
    assert refused_joint.status_code == 200
    from campaigns.models import Campaign

    assert not Campaign.objects.filter(code="TP27").exists()


def test_posting_to_another_councils_rows_changes_nothing(client, officer, world):
    theirs = world["theirs"]
    booking = theirs.booking
    response = client.post(reverse("campaigns_bookings:delete", args=[booking.pk]))
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    response = client.post(reverse("campaigns_bookings_move_waiting", args=[theirs.waiting.pk, "up"]))
    assert response.status_code == 404
    response = client.post(reverse("campaigns_cohort_upload"), {"cohort": theirs.cohort.pk})
    assert response.status_code == 302 and not theirs.cohort.members.exists()
    response = client.post(
        reverse("campaigns_register_session", args=[theirs.session.pk]), {"action": "all-as-booked"}
    )
    assert response.status_code == 404
    assert not theirs.session.attendance.exists()


def test_bulk_actions_leave_another_councils_rows_alone(client, officer, world):
    ours, theirs = world["ours"], world["theirs"]
    # Sessions that are still to come, whatever the hour the test runs (a session that is over is not cancelled).
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    Session.objects.filter(pk__in=[ours.session.pk, theirs.session.pk]).update(
        starts_at=tomorrow, ends_at=tomorrow + datetime.timedelta(hours=2)
    )
    url = reverse("wagtail_bulk_action", args=["campaigns", "booking", "cancel"])
    ids = f"id={ours.booking.pk}&id={theirs.booking.pk}"
    page = client.get(f"{url}?{ids}&next=/admin/")
    assert THEIRS not in page.content.decode()
    client.post(f"{url}?{ids}&next=/admin/", {"reason": ""})
    ours.booking.refresh_from_db()
    theirs.booking.refresh_from_db()
    assert ours.booking.status == "cancelled"
    assert theirs.booking.status == "confirmed"


def test_the_invite_screen_sends_only_to_our_councils_organisations(client, officer, world):
    ours = world["ours"]
    OrganisationFactory(name=f"{THEIRS} Juniors", authority=world["theirs"].council)
    response = client.get(reverse("campaigns_campaign:invite", args=[ours.campaign.pk]), {"filter": "1"})
    assert response.status_code == 200
    _absent(f"{THEIRS} Juniors", response.content.decode(), "invite")
    _absent(f"{THEIRS} borough", response.content.decode(), "invite: the areas offered")


# --- joint work and organisations outside the partnership ---------------------------------------------


@pytest.fixture
def joint(world):
    event = EventPageFactory(title="Partnership conference", authority=None, parent=event_index())
    session = SessionFactory(event=event)
    campaign = CampaignFactory(name="Partnership Walk Online", authority=None)
    campaign.events.add(event)
    outside = OrganisationFactory(name="Faraway Academy", authority=None)
    return {"event": event, "session": session, "campaign": campaign, "outside": outside}


def test_joint_work_is_seen_by_every_council_and_changed_by_coordinators(client, officer, joint):
    assert "Partnership Walk Online" in client.get(reverse("campaigns_campaign:index")).content.decode()
    assert client.get(reverse("campaigns_campaign:inspect", args=[joint["campaign"].pk])).status_code == 200
    assert client.get(reverse("campaigns_campaign:edit", args=[joint["campaign"].pk])).status_code == 403
    assert client.get(reverse("events_sessions:inspect", args=[joint["session"].pk])).status_code == 200
    assert client.get(reverse("events_sessions:edit", args=[joint["session"].pk])).status_code == 403
    assert _refused(client.get(reverse("wagtailadmin_pages:edit", args=[joint["event"].pk])))
    # Its work is shared: the Invite screen opens for any partner.
    assert client.get(reverse("campaigns_campaign:invite", args=[joint["campaign"].pk])).status_code == 200


def test_a_coordinator_changes_joint_work(client, coordinator, joint):
    assert client.get(reverse("campaigns_campaign:edit", args=[joint["campaign"].pk])).status_code == 200
    assert client.get(reverse("events_sessions:edit", args=[joint["session"].pk])).status_code == 200


def test_organisations_outside_the_partnership_are_for_coordinators(client, officer, joint):
    assert "Faraway Academy" not in client.get(reverse("campaigns_organisation:index")).content.decode()
    response = client.get(reverse("campaigns_organisation:edit", args=[joint["outside"].pk]))
    assert response.status_code == 404


def test_the_explorer_hides_another_councils_events(client, officer, world):
    text = client.get(reverse("wagtailadmin_explore", args=[event_index().pk])).content.decode()
    assert f"{OURS} roadshow" in text and f"{THEIRS} roadshow" not in text


def test_staff_of_no_council_see_joint_work_only(client, world, joint):
    stranger = member_of(REGISTER_TAKERS, "stranger")
    client.force_login(stranger)
    text = client.get(reverse("campaigns_register")).content.decode()
    assert OURS not in text and THEIRS not in text


# --- the partner API ---------------------------------------------------------------------------------


def _token(council):
    from campaigns.partner_api import services

    _, raw = services.issue_token("Essex Police", authority=council)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_councils_token_reads_only_its_own_and_joint_campaigns_and_sessions(client, world, joint):
    auth = _token(world["ours"].council)
    names = {row["name"] for row in client.get("/api/v1/campaigns", **auth).json()}
    assert names == {f"{OURS} Walk Online", "Partnership Walk Online"}
    events = {row["event"] for row in client.get("/api/v1/sessions", **auth).json()}
    assert events == {f"{OURS} roadshow", "Partnership conference"}
    theirs = client.get("/api/v1/sessions", {"campaign": world["theirs"].campaign.pk}, **auth)
    assert theirs.status_code == 404
    assert client.get("/api/v1/reach", {"campaign": world["theirs"].campaign.pk}, **auth).status_code == 404


def test_a_partnership_token_reads_every_council(client, world):
    auth = _token(None)
    names = {row["name"] for row in client.get("/api/v1/campaigns", **auth).json()}
    assert {f"{OURS} Walk Online", f"{THEIRS} Walk Online"} <= names


# --- no councils at all: one council, no scoping --------------------------------------------------------


def test_without_councils_everyone_with_the_role_sees_everything(client):
    CampaignFactory(name="Our only campaign")
    OrganisationFactory(name="Our only school")
    user = member_of(CAMPAIGN_STAFF, "solo")
    client.force_login(user)
    assert "Our only campaign" in client.get(reverse("campaigns_campaign:index")).content.decode()
    assert "Our only school" in client.get(reverse("campaigns_organisation:index")).content.decode()
    assert partnership.council_ids(user) is None


def test_a_joint_campaigns_dashboard_shows_only_our_and_joint_events(client, officer, world, joint):
    joint["campaign"].events.add(world["ours"].event, world["theirs"].event)
    text = client.get(reverse("campaigns_campaign:inspect", args=[joint["campaign"].pk])).content.decode()
    assert f"{OURS} roadshow" in text and "Partnership conference" in text
    _absent(f"{THEIRS} roadshow", text, "joint campaign dashboard")


# --- evaluations: questionnaires serve campaigns; comments, the report and the API follow the campaigns ------


def _questionnaire_post(name, campaigns=(), courses=()):
    data = nested_form_data(
        {
            "name": name,
            "audience": "pupils",
            "series": "walk-online-quiz",
            "introduction": "",
            "questions": inline_formset(
                [
                    {
                        "text": "Who could you tell if something online worried you?",
                        "kind": "choice",
                        "asked": "after",
                        "options": "A parent or carer\nA teacher\nNobody",
                    }
                ]
            ),
        }
    )
    data["campaigns"] = [campaign.pk for campaign in campaigns]
    data["courses"] = [course.pk for course in courses]
    return data


def test_joint_and_shared_questionnaires_are_seen_by_partners_and_changed_by_coordinators(
    client, officer, world, joint
):
    ours, theirs = world["ours"], world["theirs"]
    unlinked, _ = make_evaluation("Partnership")
    for_joint, _ = make_evaluation("Joint", joint["campaign"])
    for_course, _ = make_evaluation("Drivers", courses=[TrainingCourse.objects.get()])
    shared, _ = make_evaluation("Shared", ours.campaign)
    shared.campaigns.add(theirs.campaign)
    listing = client.get(reverse("campaigns_questionnaire:index")).content.decode()
    for questionnaire in (unlinked, for_joint, for_course, shared, ours.questionnaire):
        assert questionnaire.name in listing
        edit = client.get(reverse("campaigns_questionnaire:edit", args=[questionnaire.pk]))
        assert edit.status_code == (200 if questionnaire == ours.questionnaire else 403), questionnaire.name
    _absent(theirs.questionnaire.name, listing, "questionnaires")
    response = client.post(reverse("campaigns_questionnaire:delete", args=[unlinked.pk]))
    assert response.status_code == 403 and Questionnaire.objects.filter(pk=unlinked.pk).exists()


def test_a_coordinator_changes_joint_questionnaires(client, coordinator, world, joint):
    for_joint, _ = make_evaluation("Joint", joint["campaign"])
    assert client.get(reverse("campaigns_questionnaire:edit", args=[for_joint.pk])).status_code == 200
    form = client.get(reverse("campaigns_questionnaire:add")).content.decode()
    assert "Partnership Walk Online" in form and f"{THEIRS} Walk Online" in form


def test_a_member_of_every_council_a_questionnaire_serves_may_change_it(world):
    ours, theirs = world["ours"], world["theirs"]
    shared, _ = make_evaluation("Shared", ours.campaign)
    shared.campaigns.add(theirs.campaign)
    both = member_of(CAMPAIGN_STAFF, "both-councils")
    ours.council.members.add(both)
    only_ours = member_of(CAMPAIGN_STAFF, "one-council")
    ours.council.members.add(only_ours)
    assert partnership.may_see(only_ours, shared) and not partnership.may_change(only_ours, shared)
    theirs.council.members.add(both)
    assert partnership.may_change(both, shared)


def test_our_staff_link_a_questionnaire_to_our_councils_campaigns_only(client, officer, world, joint):
    ours, theirs = world["ours"], world["theirs"]
    url = reverse("campaigns_questionnaire:add")
    form = client.get(url).content.decode()
    assert f"{OURS} Walk Online" in form
    _absent("Partnership Walk Online", form, "questionnaire form: joint campaigns are the coordinators'")
    for refused in ([theirs.campaign], [joint["campaign"]], []):
        response = client.post(url, _questionnaire_post("Refused quiz", refused))
        assert response.status_code == 200, refused  # the form again, with the error
    assert not Questionnaire.objects.filter(name="Refused quiz").exists()
    course = TrainingCourse.objects.get()
    response = client.post(url, _questionnaire_post("Our quiz", [ours.campaign], courses=[course]))
    assert response.status_code == 302, response.content.decode()[:2000]
    made = Questionnaire.objects.get(name="Our quiz")
    assert list(made.campaigns.all()) == [ours.campaign]
    assert not made.courses.exists()  # courses are the partnership's: coordinators link them
    assert client.get(reverse("campaigns_questionnaire:edit", args=[made.pk])).status_code == 200


def test_comments_are_not_added_in_the_admin(admin_client):
    url = reverse("campaigns_adultcomment:add")
    for response in (admin_client.get(url), admin_client.post(url, {"text": "Made up"})):
        assert response.status_code == 302 and response["Location"] == reverse("campaigns_adultcomment:index")
    assert not AdultComment.objects.exists()


def test_comments_at_joint_sessions_are_read_by_every_council(client, officer, joint):
    make_evaluation("Conference", joint["campaign"], joint["session"])
    text = client.get(reverse("campaigns_adultcomment:index")).content.decode()
    assert "Conference comment" in text and OURS in text
    _absent(THEIRS, text, "evaluation comments")


def test_the_results_report_refuses_another_councils_campaign(client, officer, world, joint):
    url = reverse("campaigns_evaluation_report")
    for fmt in ("", "csv", "xlsx"):
        params = {"campaign": world["theirs"].campaign.pk, **({"export": fmt} if fmt else {})}
        assert client.get(url, params).status_code == 404, fmt
    assert client.get(url, {"campaign": "999999"}).status_code == 404
    make_evaluation("Joint", joint["campaign"])
    response = client.get(url, {"campaign": joint["campaign"].pk})
    assert response.status_code == 200 and "Joint evaluation" in response.content.decode()
    mine = client.get(url, {"campaign": world["ours"].campaign.pk}).content.decode()
    assert f"{OURS} evaluation" in mine


def test_the_did_it_work_panel_is_on_our_campaigns_dashboard_only(client, officer, world):
    dashboard = reverse("campaigns_campaign:inspect", args=[world["ours"].campaign.pk])
    text = client.get(dashboard).content.decode()
    assert "Did it work?" in text and f"{OURS} evaluation" in text
    _absent(THEIRS, text, "our campaign's dashboard")
    theirs = reverse("campaigns_campaign:inspect", args=[world["theirs"].campaign.pk])
    assert client.get(theirs).status_code == 404


def test_a_councils_token_reads_only_its_own_and_joint_evaluation_results(client, world, joint):
    make_evaluation("Joint", joint["campaign"])
    auth = _token(world["ours"].council)
    theirs = world["theirs"]
    assert client.get("/api/v1/evaluation", {"campaign": theirs.campaign.pk}, **auth).status_code == 404
    ours = client.get("/api/v1/evaluation", {"campaign": world["ours"].campaign.pk}, **auth)
    assert ours.status_code == 200 and ours.json()["results"][0]["label"] == f"{OURS} evaluation"
    every = client.get("/api/v1/evaluation", **auth).json()["results"]
    assert {row["label"] for row in every} == {f"{OURS} Walk Online", "Partnership Walk Online"}
    assert THEIRS not in json.dumps(every)
    series = client.get("/api/v1/evaluation", {"series": "birchwood-evaluation"}, **auth)
    assert series.status_code == 200 and series.json()["results"] == []
    whole = client.get("/api/v1/evaluation", **_token(None)).json()["results"]
    assert f"{THEIRS} Walk Online" in {row["label"] for row in whole}
