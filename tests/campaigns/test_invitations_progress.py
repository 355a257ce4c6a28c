"""While invitations go out, the campaign's dashboard shows how far the send has got and reloads itself."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from campaigns.invitations import services as invitations
from campaigns.models import MessageKind, MessageState, OutboundMessage
from campaigns.organisations.selectors import recipients_for
from campaigns.roles import CAMPAIGN_STAFF
from tests.factories import CampaignFactory, ContactFactory, OrganisationFactory, member_of

pytestmark = pytest.mark.django_db


def invitation_emails(campaign, states, *, key="invitation", age=None):
    for n, state in enumerate(states):
        message = OutboundMessage.objects.create(
            to_email=f"office{n}@{key}.example.org",
            subject="You are invited",
            template="invitation",
            kind=MessageKind.CAMPAIGN,
            campaign=campaign,
            state=state,
            dedupe_key=f"invitation:{key}:{n}",
        )
        if age is not None:
            OutboundMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - age)


def running_send(campaign):
    """An earlier send, finished last week, and today's send part-way through."""
    week = datetime.timedelta(days=7)
    invitation_emails(campaign, [MessageState.SENT] * 4 + [MessageState.FAILED], key="last-week", age=week)
    entry = log(instance=campaign, action="campaigns.invitations.sent", data={"count": 5})
    ModelLogEntry.objects.filter(pk=entry.pk).update(
        timestamp=timezone.now() - week + datetime.timedelta(seconds=1)
    )
    invitation_emails(
        campaign,
        [MessageState.SENT] * 3
        + [MessageState.QUEUED] * 2
        + [MessageState.SENDING, MessageState.RETRYING, MessageState.FAILED, MessageState.SUPPRESSED],
        key="today",
    )
    log(instance=campaign, action="campaigns.invitations.sent", data={"count": 9})


def cell(content, label):
    match = re.search(rf"<td>{re.escape(label)}</td><td>(\d+)</td>", content)
    assert match, f"no row {label!r}"
    return int(match.group(1))


def test_progress_counts_only_the_send_still_going_out():
    campaign = CampaignFactory()
    running_send(campaign)
    # Another campaign's emails and a booking confirmation are not part of it.
    invitation_emails(CampaignFactory(), [MessageState.QUEUED], key="other")
    OutboundMessage.objects.create(
        to_email="booker@example.org", subject="Booked", template="notice", campaign=campaign
    )

    progress = invitations.progress(campaign)

    assert progress["total"] == 9
    assert (progress["queued"], progress["sending"], progress["retrying"]) == (2, 1, 1)
    assert (progress["sent"], progress["failed"], progress["suppressed"]) == (3, 1, 1)
    assert (progress["done"], progress["in_progress"], progress["percent"]) == (5, 4, 55)


def test_no_progress_once_everything_has_gone_out():
    campaign = CampaignFactory()
    invitation_emails(campaign, [MessageState.SENT, MessageState.FAILED, MessageState.SUPPRESSED])

    assert invitations.progress(campaign) is None


def test_campaign_staff_see_the_running_send_on_the_dashboard_which_reloads_itself(client):
    campaign = CampaignFactory()
    running_send(campaign)
    client.force_login(member_of(CAMPAIGN_STAFF, "organiser"))

    response = client.get(reverse("campaigns_campaign:inspect", args=[campaign.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Invitations going out now" in content
    assert "3 of 9 sent</strong>, 4 still to go" in content
    assert cell(content, "Queued") == 2
    assert cell(content, "Sending now") == 1
    assert cell(content, "Sent") == 3
    assert cell(content, "Failed") == 1
    # It reloads itself without any script, and a plain link reloads it at once.
    assert '<meta http-equiv="refresh" content="5">' in content
    assert f'href="{reverse("campaigns_campaign:inspect", args=[campaign.pk])}">reload it now</a>' in content
    assert "<script" not in content.split("Invitations going out now")[1].split("</section>")[0]


def test_the_dashboard_stops_reloading_when_the_send_is_over(client):
    campaign = CampaignFactory()
    invitation_emails(campaign, [MessageState.SENT] * 3)
    client.force_login(member_of(CAMPAIGN_STAFF, "organiser"))

    content = client.get(reverse("campaigns_campaign:inspect", args=[campaign.pk])).content.decode()

    assert "Invitations going out now" not in content
    assert 'http-equiv="refresh"' not in content


def test_the_progress_follows_a_real_send_as_the_worker_sends_it(
    admin_client, django_capture_on_commit_callbacks
):
    campaign = CampaignFactory()
    for n in range(4):
        ContactFactory(organisation=OrganisationFactory(), email=f"head{n}@school.example.org")
    # Queued, not yet sent: the tasks have not run.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitations.send_invitations(campaign, recipients_for(campaign))
    content = admin_client.get(reverse("campaigns_campaign:inspect", args=[campaign.pk])).content.decode()
    assert "0 of 4 sent" in content and cell(content, "Queued") == 4

    for callback in callbacks:
        callback()
    content = admin_client.get(reverse("campaigns_campaign:inspect", args=[campaign.pk])).content.decode()
    assert "Invitations going out now" not in content
    assert OutboundMessage.objects.filter(campaign=campaign, state=MessageState.SENT).count() == 4
