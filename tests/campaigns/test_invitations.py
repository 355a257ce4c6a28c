"""Choosing recipients, sending invitations in one action, reminding, declining and unsubscribing."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from campaigns.invitations import selectors as invitation_selectors
from campaigns.invitations import services as invitations
from campaigns.mail.unsubscribe import unsubscribe_token
from campaigns.models import (
    CampaignStatus,
    ContactRole,
    Invitation,
    InvitationState,
    MessageState,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    OutboundMessage,
    SuppressedAddress,
    SuppressionReason,
)
from campaigns.organisations.selectors import recipients_for
from cms.errors import ServiceError
from tests.factories import (
    CampaignFactory,
    ContactFactory,
    EventPageFactory,
    InvitationFactory,
    OrganisationFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def school(**kwargs):
    organisation = OrganisationFactory(**kwargs)
    ContactFactory(organisation=organisation)
    return organisation


def test_recipients_are_open_schools_in_the_area_covering_the_year_group_not_yet_invited_with_a_contact():
    campaign = CampaignFactory(local_authorities=["Thurrock"], year_groups=["Y5"])
    primary = school(name="Primary")
    school(name="Secondary", statutory_low_age=11, statutory_high_age=16)
    school(name="Infants", statutory_low_age=4, statutory_high_age=7)
    school(name="Elsewhere", local_authority="Kent", local_authority_code="886")
    school(name="Closed", status=OrganisationStatus.CLOSED)
    OrganisationFactory(name="No contact")
    opted_out = OrganisationFactory(name="Opted out")
    ContactFactory(organisation=opted_out, opted_out=True)
    suppressed = OrganisationFactory(name="Bounced")
    ContactFactory(organisation=suppressed, email="gone@school.example.org")
    SuppressedAddress.objects.create(email="GONE@school.example.org", reason=SuppressionReason.BOUNCED)
    InvitationFactory(campaign=campaign, organisation=school(name="Already invited"))
    middle = school(name="Middle deemed primary", statutory_low_age=8, statutory_high_age=12)

    found = set(recipients_for(campaign).values_list("name", flat=True))

    assert found == {primary.name, middle.name}


def test_sending_invites_each_school_once_with_a_personal_link(client, django_capture_on_commit_callbacks):
    campaign = CampaignFactory()
    schools = [school() for _ in range(5)]
    preferred = ContactFactory(organisation=schools[0], role=ContactRole.DSL, email="dsl@school.example.org")

    with django_capture_on_commit_callbacks(execute=True):
        sent = invitations.send_invitations(campaign, recipients_for(campaign))

    assert len(sent) == 5
    assert len(mail.outbox) == 5
    first = Invitation.objects.get(organisation=schools[0])
    assert first.contact == preferred
    assert first.state == InvitationState.SENT and first.sent_at is not None
    email = next(m for m in mail.outbox if "dsl@school.example.org" in m.to[0])
    link = reverse("campaigns:invitation", args=[first.token])
    assert link in email.body
    assert reverse("campaigns:invitation_decline", args=[first.token]) in email.body
    assert "Stop campaign emails" in email.alternatives[0][0]
    assert client.get(link).status_code == 200
    assert ModelLogEntry.objects.filter(action="campaigns.invitations.sent").count() == 1

    with pytest.raises(ServiceError):
        invitations.send_invitations(campaign, recipients_for(campaign))
    everyone = Organisation.objects.filter(pk__in=[s.pk for s in schools])
    assert invitations.send_invitations(campaign, everyone) == []
    assert Invitation.objects.count() == 5
    assert len(mail.outbox) == 5


def test_sending_to_nobody_is_a_clear_error():
    campaign = CampaignFactory()
    with pytest.raises(ServiceError, match="nobody to invite"):
        invitations.send_invitations(campaign, recipients_for(campaign))


def test_sending_many_invitations_takes_the_same_number_of_queries():
    def queries_for(count):
        campaign = CampaignFactory()
        for _ in range(count):
            school()
        # Count the send action itself; the sending tasks (run eagerly in tests) are left out.
        with (
            CaptureQueriesContext(connection) as captured,
            mock.patch("campaigns.mail.services.enqueue_many"),
        ):
            invitations.send_invitations(campaign, recipients_for(campaign))
        # SQLite splits a bulk INSERT by its parameter limit; every other statement must not grow.
        return sum(1 for q in captured.captured_queries if not q["sql"].startswith("INSERT"))

    few = queries_for(3)
    many = queries_for(120)
    assert many == few


def test_preview_shows_the_email_without_sending_anything():
    campaign = CampaignFactory(name="Walk Online 2027", description="A morning about staying safe online.")

    shown = invitations.preview(campaign)

    assert "Walk Online 2027" in shown["subject"]
    assert "staying safe online" in shown["text"]
    assert "Example Primary School" in shown["html"]
    assert OutboundMessage.objects.count() == 0


def _sent_invitation(campaign, days_ago, **kwargs):
    invitation = InvitationFactory(campaign=campaign, state=InvitationState.SENT, **kwargs)
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return invitation


def test_remind_those_who_have_not_answered_once_per_interval(django_capture_on_commit_callbacks):
    campaign = CampaignFactory()
    waiting = _sent_invitation(campaign, 10)
    opened = _sent_invitation(campaign, 10)
    Invitation.objects.filter(pk=opened.pk).update(state=InvitationState.OPENED)
    booked = _sent_invitation(campaign, 10)
    Invitation.objects.filter(pk=booked.pk).update(state=InvitationState.BOOKED, booked_at=timezone.now())
    declined = _sent_invitation(campaign, 10)
    invitations.decline(declined)
    recent = _sent_invitation(campaign, 2)  # invited too recently
    bounced = _sent_invitation(campaign, 10)
    Invitation.objects.filter(pk=bounced.pk).update(state=InvitationState.BOUNCED)

    with django_capture_on_commit_callbacks(execute=True):
        reminded = invitations.remind_unanswered(campaign, interval_days=7)

    assert {i.pk for i in reminded} == {waiting.pk, opened.pk}
    assert len(mail.outbox) == 2
    assert all("Reminder" in m.subject for m in mail.outbox)
    assert invitations.remind_unanswered(campaign, interval_days=7) == []
    assert len(mail.outbox) == 2

    later = timezone.now() + datetime.timedelta(days=8)
    with django_capture_on_commit_callbacks(execute=True):
        again = invitations.remind_unanswered(campaign, interval_days=7, now=later)
    assert {i.pk for i in again} == {waiting.pk, opened.pk, recent.pk}
    assert len(mail.outbox) == 5
    waiting.refresh_from_db()
    assert waiting.reminders_sent == 2
    assert waiting.state == InvitationState.SENT
    assert OutboundMessage.objects.filter(dedupe_key=f"invitation:{waiting.pk}:reminder:2").exists()


def test_decline_asks_to_confirm_then_records_once(client):
    invitation = _sent_invitation(CampaignFactory(), 3)
    url = reverse("campaigns:invitation_decline", args=[invitation.token])

    page = client.get(url)
    invitation.refresh_from_db()
    assert page.status_code == 200 and b"will not take part" in page.content
    assert invitation.state == InvitationState.SENT

    assert client.post(url).status_code == 200
    assert client.post(url).status_code == 200
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.DECLINED
    first_declined_at = invitation.declined_at
    assert first_declined_at is not None
    assert ModelLogEntry.objects.filter(action="campaigns.invitation.declined").count() == 1
    assert b"Thank you" in client.get(url).content


def test_a_booked_invitation_cannot_be_declined():
    invitation = InvitationFactory(state=InvitationState.BOOKED, booked_at=timezone.now())
    with pytest.raises(ServiceError, match="already been used to book"):
        invitations.decline(invitation)
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.BOOKED


@pytest.mark.parametrize("token", ["tampered-token", "x" * 200])
def test_tampered_decline_link_shows_link_not_valid(client, token):
    invitation = InvitationFactory()
    response = client.post(reverse("campaigns:invitation_decline", args=[token]))
    assert response.status_code == 404
    assert b"not valid" in response.content
    invitation.refresh_from_db()
    assert invitation.declined_at is None


def test_decline_link_for_a_deleted_organisation_is_not_valid(client):
    invitation = InvitationFactory()
    token = invitation.token
    invitation.organisation.delete()
    assert client.get(reverse("campaigns:invitation_decline", args=[token])).status_code == 404


def test_unsubscribed_contact_gets_no_more_invitations(client):
    campaign = CampaignFactory()
    organisation = school()
    contact = organisation.contacts.get()
    url = reverse("campaigns:unsubscribe", args=[unsubscribe_token(contact.email)])

    client.post(url)

    contact.refresh_from_db()
    assert contact.opted_out
    assert not recipients_for(campaign).exists()
    # Even a message queued directly for that address is held back.
    from campaigns.mail.services import queue_email

    message = queue_email(to=contact.email.upper(), subject="x", template="notice", kind="campaign")
    assert message.state == MessageState.SUPPRESSED


def test_invitations_go_to_faith_and_community_groups_regardless_of_age_range():
    campaign = CampaignFactory()
    church = school(kind=OrganisationKind.FAITH, urn=None, statutory_low_age=None, statutory_high_age=None)
    found = recipients_for(campaign, kinds=[OrganisationKind.SCHOOL, OrganisationKind.FAITH])
    assert church in found


def test_decline_link_of_an_archived_campaign_has_expired(client):
    invitation = InvitationFactory(campaign=CampaignFactory(status="archived"))
    response = client.post(reverse("campaigns:invitation_decline", args=[invitation.token]))
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.declined_at is None


def _campaign_with_sessions(*days_ahead, **fields):
    campaign = CampaignFactory(**fields)
    event = EventPageFactory()
    campaign.events.add(event)
    for days in days_ahead:
        start = timezone.now() + datetime.timedelta(days=days)
        SessionFactory(event=event, starts_at=start)
    return campaign


FINISHED = {
    "archived": ({"status": CampaignStatus.ARCHIVED}, (14,), "archived"),
    "closed": ({"status": CampaignStatus.CLOSED}, (14,), "closed"),
    "past its end date": (
        {
            "starts_on": datetime.date(2025, 9, 1),
            "ends_on": timezone.localdate() - datetime.timedelta(days=1),
        },
        (14,),
        "ended on",
    ),
    "only past sessions": ({}, (-30, -20), "none of its sessions can still be booked"),
}


@pytest.mark.parametrize("fields,days,reason", FINISHED.values(), ids=FINISHED.keys())
def test_a_finished_campaign_sends_no_reminders(fields, days, reason, django_capture_on_commit_callbacks):
    campaign = _campaign_with_sessions(*days, **fields)
    _sent_invitation(campaign, 30)

    assert reason in invitation_selectors.finished_reason(campaign)
    assert not invitations.unanswered(campaign, 7).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.remind_unanswered(campaign, interval_days=7) == []
    assert len(mail.outbox) == 0


@pytest.mark.parametrize("fields,days,reason", FINISHED.values(), ids=FINISHED.keys())
def test_a_finished_campaign_sends_no_new_invitations(fields, days, reason):
    campaign = _campaign_with_sessions(*days, **fields)
    school()

    with pytest.raises(ServiceError, match=reason):
        invitations.send_invitations(campaign, Organisation.objects.all())
    assert Invitation.objects.count() == 0


def test_a_running_campaign_is_not_finished():
    assert invitation_selectors.finished_reason(_campaign_with_sessions(-10, 14)) is None
    # Sessions not yet added: nothing has finished.
    assert invitation_selectors.finished_reason(CampaignFactory()) is None


def test_closed_organisations_are_neither_reminded_nor_invited(django_capture_on_commit_callbacks):
    campaign = _campaign_with_sessions(14)
    open_school = _sent_invitation(campaign, 10)
    closed_school = _sent_invitation(campaign, 10)
    Organisation.objects.filter(pk=closed_school.organisation_id).update(status=OrganisationStatus.CLOSED)

    with django_capture_on_commit_callbacks(execute=True):
        reminded = invitations.remind_unanswered(campaign, interval_days=7)

    assert [i.pk for i in reminded] == [open_school.pk]
    assert len(mail.outbox) == 1

    closed = school(name="Closed Primary", status=OrganisationStatus.CLOSED)
    assert closed not in recipients_for(campaign, only_open=False)
    with pytest.raises(ServiceError, match="nobody to invite"):
        invitations.send_invitations(campaign, Organisation.objects.filter(pk=closed.pk))


def test_the_invite_screen_of_a_campaign_for_groups_starts_from_faith_and_community_groups(admin_client):
    campaign = CampaignFactory(audience="faith-community", year_groups=[])
    for kind in (OrganisationKind.FAITH, OrganisationKind.COMMUNITY, OrganisationKind.SCHOOL):
        ContactFactory(organisation=OrganisationFactory(kind=kind, urn=None))

    page = admin_client.get(reverse("campaigns_campaign:invite", args=[campaign.pk]))

    assert page.status_code == 200
    assert "2 organisations will be invited" in page.content.decode()
