"""The demo partnership: three fictional councils, every sample school in one, each council's own work and
staff, and a joint training campaign."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from campaigns.models import Campaign, Organisation, OrganisationKind
from cms.models import Authority, sees_whole_partnership
from events.models import EventPage

pytestmark = pytest.mark.django_db


def test_the_demo_is_a_partnership_of_three_demo_councils(client, monkeypatch, capsys):
    monkeypatch.setenv("DEMO_NORTHSHIRE_OFFICER_PASSWORD", "north-demo-password")
    call_command("seed_demo")
    councils = {council.code: council for council in Authority.objects.all()}
    assert set(councils) == {"northshire", "eastmouth", "westvale"}
    assert all(council.is_demo for council in councils.values())
    # Numbers in Ofcom's drama ranges only.
    for council in councils.values():
        for number in (council.front_door_phone, council.out_of_hours_phone, council.lado_phone):
            assert number.startswith(("0113 496 0", "020 7946 0")), number

    schools = Organisation.objects.filter(kind=OrganisationKind.SCHOOL)
    assert schools.exists() and not schools.filter(authority__isnull=True).exists()
    for council in councils.values():
        assert schools.filter(authority=council).exists()
        assert EventPage.objects.filter(authority=council).exists()
        assert Campaign.objects.filter(authority=council).exists()
    joint = Campaign.objects.get(code="PT27")
    assert joint.authority is None

    User = get_user_model()
    officer = User.objects.get(username="northshire-officer")
    assert officer.check_password("north-demo-password")
    assert list(officer.authorities.all()) == [councils["northshire"]]
    assert not sees_whole_partnership(officer)
    assert sees_whole_partnership(User.objects.get(username="coordinator"))

    # The public see each council marked as demo, and What's on offers the choice of area.
    html = client.get("/events/").content.decode()
    assert 'name="area"' in html and "Eastmouth Borough Council" in html
    assert "demo council: not a real number" in client.get("/").content.decode()
