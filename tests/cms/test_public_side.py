"""What a parent, a teacher or a licensing officer meets on the public side: the product's own error pages
with help and a way on, form help read by screen readers, names shown as typed, sessions named by event."""

import email
import email.policy

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from campaigns.bookings import services as bookings
from campaigns.invitations import services as invitations
from campaigns.mail.sending import build_email
from campaigns.models import OutboundMessage
from tests.campaigns.factories_bookings import (
    another_session,
    campaign_with_session,
    invitation_for,
    school_booking,
)
from tests.factories import ContactFactory, EventPageFactory

pytestmark = pytest.mark.django_db

HELP = "Worried about a child?"


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


@pytest.fixture
def invited():
    campaign, session = campaign_with_session(capacity=90)
    return campaign, session, invitation_for(campaign)


def test_a_missing_page_is_the_products_own_with_help_and_a_way_on(client):
    response = client.get("/no-such-page/")
    content = response.content.decode()
    assert response.status_code == 404
    assert HELP in content and 'href="/resources/"' in content
    assert "URLconf" not in content


def test_the_demo_shows_its_own_error_pages_unless_debugging_is_asked_for(monkeypatch):
    import importlib

    import cms.settings.dev as dev

    monkeypatch.delenv("DJANGO_DEBUG", raising=False)
    assert importlib.reload(dev).DEBUG is False
    monkeypatch.setenv("DJANGO_DEBUG", "1")
    assert importlib.reload(dev).DEBUG is True
    monkeypatch.delenv("DJANGO_DEBUG")
    importlib.reload(dev)


def test_a_form_sent_after_its_cookie_expired_says_send_it_again(invited):
    campaign, session, invitation = invited
    url = reverse("campaigns:invitation_book", args=[invitation.token, session.pk])
    response = Client(enforce_csrf_checks=True).post(url, {"booker_name": "Sam"})
    content = response.content.decode()
    assert response.status_code == 403
    assert "Please send the form again" in content and HELP in content
    assert "CSRF verification failed" not in content


def test_opening_a_cancel_link_directly_gets_a_page_with_a_way_on_and_cancels_nothing(client, invited):
    campaign, session, invitation = invited
    booking = bookings.book_places(**school_booking(session, campaign))
    response = client.get(reverse("campaigns:cancel_booking", args=[booking.manage_token]))
    content = response.content.decode()
    assert response.status_code == 405
    assert "This link only works from its page" in content and HELP in content
    assert response["Allow"] == "POST"
    booking.refresh_from_db()
    assert booking.is_confirmed


def test_booking_field_help_is_the_text_the_field_is_described_by(client, invited):
    campaign, session, invitation = invited
    content = client.get(reverse("campaigns:invitation_book", args=[invitation.token, session.pk])).content
    content = content.decode()
    assert 'aria-describedby="id_booker_email_helptext"' in content
    assert 'id="id_booker_email_helptext"' in content


def test_plain_text_emails_show_names_as_typed(invited):
    campaign, session, invitation = invited
    booking = bookings.book_places(**school_booking(session, campaign, booker_name="Seán O'Brien"))
    message = OutboundMessage.objects.get(related_id=booking.pk, template="booking_confirmed")
    parsed = email.message_from_bytes(build_email(message).message().as_bytes(), policy=email.policy.default)
    text = parsed.get_body(preferencelist=("plain",)).get_content()
    html = parsed.get_body(preferencelist=("html",)).get_content()
    assert "Dear Seán O'Brien," in text and "&#x27;" not in text
    assert "O&#x27;Brien" in html  # the HTML part stays escaped


def test_names_are_isolated_so_right_to_left_text_keeps_sentences_in_order(client, invited):
    campaign, session, invitation = invited
    booking = bookings.book_places(**school_booking(session, campaign, booker_name="محمد الحسيني"))
    content = client.get(reverse("campaigns:manage_booking", args=[booking.manage_token])).content.decode()
    assert "<bdi>محمد الحسيني</bdi>" in content


def test_the_invitation_names_each_sessions_event_in_the_page_and_the_email(client, invited):
    campaign, session, invitation = invited
    briefing = EventPageFactory(title="Briefing for head teachers")
    campaign.events.add(briefing)
    another_session(campaign, event=briefing)
    content = client.get(reverse("campaigns:invitation", args=[invitation.token])).content.decode()
    assert "<h3>Briefing for head teachers</h3>" in content
    assert f"<h3>{session.event.title}</h3>" in content

    ContactFactory(organisation=invitation.organisation, agreed_to_emails=True)
    lines = invitations.email_context(
        invitation,
        organisation=invitation.organisation,
        contact=None,
        campaign=campaign,
        sessions=invitations._sessions_summary(campaign),
    )["sessions"]
    assert any(line.startswith("Briefing for head teachers: ") for line in lines)


def test_every_page_has_a_favicon_and_pages_with_a_search_description_describe_themselves(client):
    from wagtail.models import Page

    home = Page.objects.get(depth=2).specific
    home.search_description = "Help and materials on keeping children safe."
    home.save_revision().publish()
    content = client.get("/").content.decode()
    assert 'rel="icon"' in content
    assert '<meta name="description" content="Help and materials on keeping children safe.">' in content


def test_the_certificate_check_form_names_where_it_sends(client):
    content = client.get(reverse("campaigns:verify_certificate")).content.decode()
    assert 'action=""' not in content
    assert f'action="{reverse("campaigns:verify_certificate")}"' in content


def test_pages_behind_private_links_are_never_cached(client, invited):
    campaign, session, invitation = invited
    booking = bookings.book_places(**school_booking(session, campaign))
    urls = [
        reverse("campaigns:invitation", args=[invitation.token]),
        reverse("campaigns:invitation_book", args=[invitation.token, session.pk]),
        reverse("campaigns:manage_booking", args=[booking.manage_token]),
        reverse("campaigns:booking_confirmed", args=[booking.manage_token]),
        reverse("campaigns:certificate", args=["not-a-real-token"]),
        reverse("campaigns:unsubscribe", args=["not-a-real-token"]),
    ]
    for url in urls:
        assert client.get(url)["Cache-Control"] == "private, no-store", url
    assert "no-store" not in client.get("/resources/").get("Cache-Control", "")
