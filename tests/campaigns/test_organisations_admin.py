"""The Campaigns admin: listings with filters and exports, the campaign dashboard, inviting, reminding
and uploading the schools register, as staff use them."""

import datetime
import io
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from campaigns.models import (
    BookingStatus,
    ImportStatus,
    Invitation,
    InvitationState,
    MessageState,
    Organisation,
    OutboundMessage,
    SchoolImport,
)
from campaigns.organisations.forms import organisation_label
from campaigns.register import services as attendance_service
from tests.factories import (
    BookingFactory,
    CampaignFactory,
    ContactFactory,
    InvitationFactory,
    OrganisationFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).resolve().parents[2] / "campaigns" / "demo" / "fixtures" / "gias-sample.csv"


def school(**kwargs):
    organisation = OrganisationFactory(**kwargs)
    ContactFactory(organisation=organisation)
    return organisation


def test_campaigns_menu_lists_every_screen(admin_client):
    response = admin_client.get(reverse("wagtailadmin_home"))
    content = response.content.decode()
    for label in ["Campaigns", "Organisations", "Contacts", "Invitations", "Emails", "Suppressed addresses"]:
        assert label in content


def test_organisation_filters_by_authority_contact_and_reached_this_year(admin_client):
    reached = school(name="Reached Primary")
    past = SessionFactory(starts_at=timezone.now() - datetime.timedelta(days=1))
    booking = BookingFactory(
        organisation=reached, session=past, status=BookingStatus.CONFIRMED, adults=0, guests=0
    )
    attendance_service.record_attendance(booking, pupils=booking.pupils, now=past.ends_at)
    no_show = school(name="Booked But Nobody Came Primary")
    missed = BookingFactory(organisation=no_show, session=past, status=BookingStatus.CONFIRMED, adults=0)
    attendance_service.record_attendance(missed, no_show=True, now=past.ends_at)
    future_only = school(name="Booked Later Primary")
    BookingFactory(organisation=future_only, adults=0, guests=0)
    OrganisationFactory(name="No Contact Primary")
    OrganisationFactory(name="Kent Primary", local_authority="Kent")
    index = reverse("campaigns_organisation:index")

    reached_page = admin_client.get(index, {"reached_this_year": "true"}).content.decode()
    no_contact = admin_client.get(index, {"has_contact": "false"}).content.decode()
    kent = admin_client.get(index, {"local_authority": "Kent"}).content.decode()

    assert "Reached Primary" in reached_page and "Booked Later Primary" not in reached_page
    assert "Booked But Nobody Came Primary" not in reached_page
    assert "No Contact Primary" in no_contact and "Reached Primary" not in no_contact
    assert "Kent Primary" in kent and "Reached Primary" not in kent


def test_organisation_search_finds_imported_schools(admin_client):
    from campaigns.organisations.services import import_schools

    import_schools(SAMPLE)
    name = Organisation.objects.order_by("pk").first().name

    response = admin_client.get(reverse("campaigns_organisation:index"), {"q": name.split()[0]})

    assert name in response.content.decode()


def test_organisations_export_as_xlsx_with_filters_applied(admin_client):
    OrganisationFactory(name="Thurrock Primary")
    OrganisationFactory(name="Kent Primary", local_authority="Kent")

    response = admin_client.get(
        reverse("campaigns_organisation:index"), {"export": "xlsx", "local_authority": "Kent"}
    )

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Kent Primary"]


def test_invitations_export_as_csv(admin_client):
    invitation = InvitationFactory()
    response = admin_client.get(reverse("campaigns_invitation:index"), {"export": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert invitation.organisation.name in body


def test_campaign_dashboard_shows_sessions_invitations_and_sending_progress(admin_client):
    campaign = CampaignFactory(name="Walk Online 2027")
    session = SessionFactory(capacity=90)
    campaign.events.add(session.event)
    InvitationFactory.create_batch(2, campaign=campaign, state=InvitationState.OPENED)
    InvitationFactory(campaign=campaign, state=InvitationState.DECLINED)
    for n in range(3):
        OutboundMessage.objects.create(
            to_email=f"office{n}@example.org",
            subject="Invite",
            template="invitation",
            campaign=campaign,
            state=MessageState.SENT if n < 2 else MessageState.QUEUED,
        )

    response = admin_client.get(reverse("campaigns_campaign:inspect", args=[campaign.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Walk Online 2027" in content
    assert session.venue.name in content and "90" in content
    assert "2 of 3 sent" in content
    assert 'http-equiv="refresh"' in content  # still sending
    assert "Invite organisations" in content


def test_dashboard_queries_do_not_grow_with_invitations_and_sessions(
    admin_client, django_assert_max_num_queries
):
    def queries(count):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        campaign = CampaignFactory()
        for _ in range(count):
            campaign.events.add(SessionFactory().event)
            InvitationFactory(campaign=campaign)
        with CaptureQueriesContext(connection) as captured:
            assert (
                admin_client.get(reverse("campaigns_campaign:inspect", args=[campaign.pk])).status_code == 200
            )
        return len(captured)

    assert queries(2) == queries(8)


def test_staff_preview_then_send_invitations_from_the_admin(admin_client, django_capture_on_commit_callbacks):
    from django.core import mail

    campaign = CampaignFactory(local_authorities=["Thurrock"])
    for _ in range(3):
        school()
    school(name="Secondary", statutory_low_age=11, statutory_high_age=16)
    url = reverse("campaigns_campaign:invite", args=[campaign.pk])

    preview = admin_client.get(url)
    content = preview.content.decode()
    assert "3 organisations will be invited" in content
    assert "Secondary" not in content
    assert "You are invited" in content  # the email's subject

    form = {
        "local_authorities": ["Thurrock"],
        "kinds": ["school"],
        "covers_year_groups": "on",
        "only_open": "on",
    }
    stale = admin_client.post(url, {**form, "previewed_count": "2"})
    assert stale.status_code == 302 and Invitation.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        sent = admin_client.post(url, {**form, "previewed_count": "3"})

    assert sent.status_code == 302
    assert Invitation.objects.filter(campaign=campaign).count() == 3
    assert len(mail.outbox) == 3


def test_staff_without_permission_cannot_send(client, django_user_model):
    user = django_user_model.objects.create_user(username="editor", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    campaign = CampaignFactory()
    school()

    response = client.post(reverse("campaigns_campaign:invite", args=[campaign.pk]), {"previewed_count": "1"})

    assert response.status_code in (302, 403)
    assert Invitation.objects.count() == 0


def test_remind_screen_counts_then_sends(admin_client, django_capture_on_commit_callbacks):
    campaign = CampaignFactory()
    invitation = InvitationFactory(campaign=campaign, state=InvitationState.SENT)
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now() - datetime.timedelta(days=20))
    url = reverse("campaigns_campaign:remind", args=[campaign.pk])

    assert "1 organisation" in admin_client.get(url, {"interval_days": "14"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {"interval_days": "14"})
        admin_client.post(url, {"interval_days": "14"})

    invitation.refresh_from_db()
    assert invitation.reminders_sent == 1


def test_uploading_the_register_imports_it_in_the_background_and_shows_the_summary(
    admin_client, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("edubasealldata.csv", SAMPLE.read_bytes(), content_type="text/csv")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("campaigns_schoolimport:add"), {"file": upload})

    job = SchoolImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("campaigns_schoolimport:inspect", args=[job.pk])
    assert job.status == ImportStatus.DONE
    assert (job.created_count, job.skipped_count) == (38, 2)
    page = admin_client.get(response.url).content.decode()
    assert "Skipped lines" in page and "URN is not a whole number" in page
    assert 'http-equiv="refresh"' not in page


def test_uploading_something_else_is_refused_with_a_message(admin_client):
    upload = SimpleUploadedFile("people.csv", b"name,email\nA,a@example.org\n", content_type="text/csv")

    response = admin_client.post(reverse("campaigns_schoolimport:add"), {"file": upload})

    assert response.status_code == 200
    assert "does not look like the schools register" in response.content.decode()
    assert SchoolImport.objects.count() == 0


def test_every_campaigns_admin_screen_opens(admin_client):
    invitation = InvitationFactory()
    message = OutboundMessage.objects.create(to_email="a@example.org", subject="s", template="notice")
    job = SchoolImport.objects.create(file="imports/schools/x.csv")
    pages = [
        reverse("campaigns_campaign:index"),
        reverse("campaigns_campaign:add"),
        reverse("campaigns_campaign:edit", args=[invitation.campaign.pk]),
        reverse("campaigns_organisation:index"),
        reverse("campaigns_organisation:edit", args=[invitation.organisation.pk]),
        reverse("campaigns_contact:index"),
        reverse("campaigns_invitation:index"),
        reverse("campaigns_invitation:inspect", args=[invitation.pk]),
        reverse("campaigns_outboundmessage:index"),
        reverse("campaigns_outboundmessage:inspect", args=[message.pk]),
        reverse("campaigns_emailevent:index"),
        reverse("campaigns_suppressedaddress:index"),
        reverse("campaigns_schoolimport:index"),
        reverse("campaigns_schoolimport:add"),
        reverse("campaigns_schoolimport:inspect", args=[job.pk]),
    ]
    for url in pages:
        assert admin_client.get(url).status_code == 200, url


def test_emails_cannot_be_edited_or_invitations_added_by_hand(admin_client):
    message = OutboundMessage.objects.create(to_email="a@example.org", subject="s", template="notice")
    assert admin_client.get(reverse("campaigns_outboundmessage:edit", args=[message.pk])).status_code in (
        302,
        403,
    )
    assert admin_client.get(reverse("campaigns_invitation:add")).status_code in (302, 403)


def test_staff_create_a_campaign_choosing_year_groups_and_areas(admin_client):
    OrganisationFactory(local_authority="Thurrock")
    response = admin_client.post(
        reverse("campaigns_campaign:add"),
        {
            "name": "Walk Online 2028",
            "code": "WO28",
            "slug": "walk-online-2028",
            "status": "draft",
            "audience": "8-10",
            "year_groups": ["Y5", "Y6"],
            "target_reach": "3000",
            "local_authorities": ["Thurrock"],
            "starts_on": "2027-09-01",
            "ends_on": "2028-07-20",
            "booking_cutoff_days": "2",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from campaigns.models import Campaign

    campaign = Campaign.objects.get(code="WO28")
    assert campaign.year_groups == ["Y5", "Y6"]
    assert campaign.local_authorities == ["Thurrock"]


def test_remind_screen_says_why_nothing_will_be_sent_for_a_finished_campaign(
    admin_client, django_capture_on_commit_callbacks
):
    campaign = CampaignFactory(status="archived")
    past = SessionFactory(starts_at=timezone.now() - datetime.timedelta(days=30))
    campaign.events.add(past.event)
    invitation = InvitationFactory(campaign=campaign, state=InvitationState.SENT)
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now() - datetime.timedelta(days=60))
    url = reverse("campaigns_campaign:remind", args=[campaign.pk])

    page = admin_client.get(url, {"interval_days": "14"}).content.decode()

    assert "No reminders will be sent: the campaign is archived" in page
    assert "Send 1 reminder" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"interval_days": "14"}, follow=True)
    assert "the campaign is archived" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.reminders_sent == 0


def test_remind_screen_counts_closed_schools_it_leaves_out(admin_client):
    campaign = CampaignFactory()
    campaign.events.add(SessionFactory().event)
    for status in ("open", "closed", "closed"):
        invitation = InvitationFactory(
            campaign=campaign, state=InvitationState.SENT, organisation=OrganisationFactory(status=status)
        )
        Invitation.objects.filter(pk=invitation.pk).update(
            sent_at=timezone.now() - datetime.timedelta(days=20)
        )

    page = admin_client.get(reverse("campaigns_campaign:remind", args=[campaign.pk]), {"interval_days": "14"})

    content = page.content.decode()
    assert "1 organisation</strong> due a reminder" in content
    assert "2 organisations marked closed in the register are not reminded" in content


def test_invite_screen_says_why_a_finished_campaign_invites_nobody(admin_client):
    campaign = CampaignFactory(
        ends_on=timezone.localdate() - datetime.timedelta(days=1), starts_on=datetime.date(2025, 9, 1)
    )
    school()

    page = admin_client.get(reverse("campaigns_campaign:invite", args=[campaign.pk])).content.decode()

    assert "No invitations will be sent: the campaign ended on" in page
    assert "Send 1 invitation" not in page


class _Frames(HTMLParser):
    """The iframes of a page, each as its attributes."""

    def __init__(self):
        super().__init__()
        self.frames = []

    def handle_starttag(self, tag, attrs):
        if tag == "iframe":
            self.frames.append(dict(attrs))


def iframes(html):
    parser = _Frames()
    parser.feed(html)
    return parser.frames


def test_invite_screen_shows_the_whole_email_in_its_preview_frame(admin_client):
    campaign = CampaignFactory(name="Walk Online 2027")
    school(name="Riverside Primary")

    page = admin_client.get(reverse("campaigns_campaign:invite", args=[campaign.pk])).content.decode()

    (frame,) = iframes(page)
    assert "sandbox" in frame and not frame["sandbox"]  # no scripts, no origin
    shown = frame["srcdoc"]
    assert shown.lstrip().startswith("<!DOCTYPE html>") and shown.rstrip().endswith("</html>")
    assert "<strong>Riverside Primary</strong> is invited" in shown
    assert "Stop campaign emails" in shown


def test_email_screen_shows_the_message_as_it_was_sent(admin_client):
    message = OutboundMessage.objects.create(
        to_email="office@riverside.example.org",
        subject="Your booking is confirmed",
        template="notice",
        context={"message": 'Bring "your" booking reference & a smile.'},
        calendar="BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n",
        calendar_method="REQUEST",
    )

    page = admin_client.get(reverse("campaigns_outboundmessage:inspect", args=[message.pk])).content.decode()

    assert "Your booking is confirmed" in page
    assert "Bring &quot;your&quot; booking reference &amp; a smile." in page  # the text version
    (frame,) = iframes(page)
    assert "sandbox" in frame and not frame["sandbox"]
    assert "Bring &quot;your&quot; booking reference &amp; a smile." in frame["srcdoc"]
    assert frame["srcdoc"].rstrip().endswith("</html>")
    assert "invite.ics" in page and "METHOD:REQUEST" in page


def test_email_screen_says_when_the_message_can_no_longer_be_shown(admin_client):
    message = OutboundMessage.objects.create(to_email="", subject="Anonymised", template="notice", context={})

    page = admin_client.get(reverse("campaigns_outboundmessage:inspect", args=[message.pk])).content.decode()

    assert "personal details were removed" in page
    assert iframes(page) == []


def campaign_form_data(campaign, **overrides):
    data = {
        "name": campaign.name,
        "code": campaign.code,
        "slug": campaign.slug,
        "series": campaign.series,
        "status": campaign.status,
        "description": campaign.description,
        "audience": campaign.audience,
        "year_groups": campaign.year_groups,
        "target_reach": campaign.target_reach,
        "local_authorities": campaign.local_authorities,
        "starts_on": campaign.starts_on.isoformat(),
        "ends_on": campaign.ends_on.isoformat(),
        "booking_cutoff_days": campaign.booking_cutoff_days,
        "contact_email": "",
        "contact_phone": "",
    }
    data.update(overrides)
    return data


def test_a_campaign_ending_before_it_starts_is_refused_in_plain_words(admin_client):
    campaign = CampaignFactory(starts_on=datetime.date(2027, 1, 10), ends_on=datetime.date(2027, 6, 30))
    OrganisationFactory(local_authority="Thurrock")

    response = admin_client.post(
        reverse("campaigns_campaign:edit", args=[campaign.pk]),
        campaign_form_data(campaign, ends_on="2027-01-09"),
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "The campaign must end on or after the day it starts." in content
    assert "Constraint" not in content
    campaign.refresh_from_db()
    assert campaign.ends_on == datetime.date(2027, 6, 30)


def test_a_school_age_range_the_wrong_way_round_is_refused_in_plain_words(admin_client):
    organisation = OrganisationFactory()
    page = admin_client.get(reverse("campaigns_organisation:edit", args=[organisation.pk]))
    form = page.context["form"]
    data = {name: form[name].value() if form[name].value() is not None else "" for name in form.fields}
    data.update(statutory_low_age=11, statutory_high_age=4)
    data = {name: value for name, value in data.items() if value is not False}

    response = admin_client.post(reverse("campaigns_organisation:edit", args=[organisation.pk]), data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "The lowest age cannot be above the highest age." in content
    assert "Constraint" not in content
    organisation.refresh_from_db()
    assert (organisation.statutory_low_age, organisation.statutory_high_age) == (4, 11)


@pytest.fixture
def two_st_marys():
    return [
        OrganisationFactory(name="St Mary's CE Primary", urn=123456, town="Grays"),
        OrganisationFactory(name="St Mary's CE Primary", urn=654321, town="Tilbury"),
    ]


ST_MARYS = [
    "St Mary&#x27;s CE Primary (URN 123456, Grays)",
    "St Mary&#x27;s CE Primary (URN 654321, Tilbury)",
]


def test_organisation_labels_tell_duplicate_names_apart(two_st_marys):
    church = OrganisationFactory(name="St Clement's", kind="faith", urn=None, town="Grays")
    bare = OrganisationFactory(name="Youth club", kind="community", urn=None, town="")

    assert [organisation_label(o) for o in two_st_marys] == [
        "St Mary's CE Primary (URN 123456, Grays)",
        "St Mary's CE Primary (URN 654321, Tilbury)",
    ]
    assert organisation_label(church) == "St Clement's (Grays)"
    assert organisation_label(bare) == "Youth club"
    assert str(two_st_marys[0]) == "St Mary's CE Primary"  # logs and emails keep the plain name


@pytest.mark.parametrize("url_name", ["campaigns_bookings:add", "campaigns_contact:add"])
def test_organisation_selects_tell_duplicate_names_apart(admin_client, two_st_marys, url_name):
    page = admin_client.get(reverse(url_name)).content.decode()

    assert all(label in page for label in ST_MARYS)


def test_invitation_contact_select_tells_duplicate_schools_apart(admin_client, two_st_marys):
    invitation = InvitationFactory(organisation=two_st_marys[0])
    ContactFactory(organisation=two_st_marys[1], name="School office", email="office@tilbury.example.org")

    page = admin_client.get(reverse("campaigns_invitation:edit", args=[invitation.pk])).content.decode()

    assert "School office &lt;office@tilbury.example.org&gt;, " + ST_MARYS[1] in page
    assert ST_MARYS[0] in page


class SizedUpload(SimpleUploadedFile):
    """An upload that reports a size of its own, to stand for a file too large to build in a test."""

    def __init__(self, content, size):
        super().__init__("edubasealldata.csv", content, content_type="text/csv")
        self.size = size


def test_the_default_size_limit_accepts_the_national_register_and_refuses_a_larger_file():
    from campaigns.organisations.forms import SchoolImportForm

    content = SAMPLE.read_bytes()
    national = SchoolImportForm(data={}, files={"file": SizedUpload(content, 70 * 1024 * 1024)})
    too_large = SchoolImportForm(data={}, files={"file": SizedUpload(content, 240 * 1024 * 1024)})

    assert national.is_valid(), national.errors
    assert not too_large.is_valid()
    assert too_large.errors["file"] == ["The file is 240 MB; the largest accepted is 100 MB."]


def test_uploading_a_register_file_over_the_size_limit_is_refused_and_nothing_is_stored(
    admin_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.SCHOOL_REGISTER_MAX_UPLOAD_MB = 1
    settings.MEDIA_ROOT = str(tmp_path)
    body = SAMPLE.read_bytes()
    body += body[body.index(b"\n") + 1 :] * (3 * 1024 * 1024 // len(body))
    upload = SimpleUploadedFile("edubasealldata.csv", body, content_type="text/csv")

    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(reverse("campaigns_schoolimport:add"), {"file": upload})

    assert response.status_code == 200
    assert "The file is 3 MB; the largest accepted is 1 MB." in response.content.decode()
    assert SchoolImport.objects.count() == 0
    assert callbacks == []
    assert list(tmp_path.rglob("*.csv")) == []
