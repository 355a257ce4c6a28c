"""Every free-text box where someone could write about a child says, where screen readers read it too,
not to write a child's name and where a concern goes instead."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from campaigns.models import GROUP_NAME_HELP, NO_CHILD_NAMES
from tests.campaigns.factories_bookings import campaign_with_session, individual_session, invitation_for
from tests.campaigns.factories_reach import PastSessionFactory, ReachBookingFactory
from tests.factories import CampaignFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


def described_by(page, name):
    """The text a screen reader reads for the form control called `name`."""
    soup = BeautifulSoup(page, "html.parser")
    controls = soup.find_all(attrs={"name": name})
    assert controls, f"no control named {name}"
    texts = []
    for control in controls:
        ids = (control.get("aria-describedby") or "").split()
        assert ids, f"{name} has no description"
        texts.append(" ".join(soup.find(id=i).get_text(" ", strip=True) for i in ids if soup.find(id=i)))
    return texts


def test_a_schools_access_needs_box_warns_against_childrens_names(client):
    campaign, session = campaign_with_session()
    invitation = invitation_for(campaign)
    url = reverse("campaigns:invitation_book", args=[invitation.token, session.pk])
    page = client.get(url).content.decode()
    assert all(NO_CHILD_NAMES in text for text in described_by(page, "access_needs"))


def test_a_parents_access_needs_box_warns_too(client):
    session = individual_session(max_guests=1)
    page = client.get(reverse("campaigns:book_session", args=[session.pk])).content.decode()
    assert all(NO_CHILD_NAMES in text for text in described_by(page, "access_needs"))


def test_a_new_groups_name_is_the_groups_not_a_childs(client):
    campaign, session = campaign_with_session(open_booking=True)
    page = client.get(
        reverse("campaigns:book_session", args=[session.pk]), {"new_group": "1"}
    ).content.decode()
    assert all(GROUP_NAME_HELP in text for text in described_by(page, "group_name"))


def test_every_register_note_warns_against_childrens_names(client, register_taker):
    session = PastSessionFactory(starts_at=timezone.now() - datetime.timedelta(hours=2))
    campaign = CampaignFactory()
    campaign.events.add(session.event)
    for name in ("Oakfield Primary", "Riverside Primary"):
        ReachBookingFactory(session=session, campaign=campaign, organisation=OrganisationFactory(name=name))
    client.force_login(register_taker)

    page = client.get(reverse("campaigns_register_session", args=[session.pk])).content.decode()

    booking_notes = described_by(page, "notes")
    assert len(booking_notes) == 2 and all(NO_CHILD_NAMES in text for text in booking_notes)
    assert all(NO_CHILD_NAMES in text for text in described_by(page, "walkin-notes"))
