"""The campaigns demo: schools, groups and Walk Online 2027 with invitations in every state, idempotent."""

import io

import pytest

from campaigns.demo import organisations as demo
from campaigns.models import Campaign, Contact, Invitation, InvitationState, Organisation, OutboundMessage

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Organisation, Contact, Campaign, Invitation, OutboundMessage)]


def test_demo_has_walk_online_with_invitations_in_every_state_and_runs_twice_unchanged():
    demo.seed(io.StringIO())
    first = counts()
    demo.seed(io.StringIO())

    assert counts() == first
    walk_online = Campaign.objects.get(code="WO27")
    assert walk_online.year_groups == ["Y5"] and walk_online.target_reach == 3000
    states = set(walk_online.invitations.values_list("state", flat=True))
    assert states == set(InvitationState.values)
    assert Campaign.objects.filter(code="WO26", series="walk-online").exists()
    assert (
        Organisation.objects.filter(kind="faith").exists()
        and Organisation.objects.filter(kind="community").exists()
    )
    # Contacts are role addresses, never people's names from the register.
    assert not Contact.objects.exclude(email__regex=r"^(office|safeguarding|year5|youth|leaders)@").exists()
