"""Unsubscribe links: opaque, non-expiring, earlier links still honoured, the address masked on the page, and
one-click unsubscribe (RFC 8058) on every campaign email and on no transactional one."""

import base64
import binascii
import datetime
import email
import email.policy
import zlib
from urllib.parse import urlparse

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaigns.bookings.services import book_places
from campaigns.invitations import services as invitations
from campaigns.mail.sending import build_email
from campaigns.mail.unsubscribe import unsubscribe_token
from campaigns.models import Contact, InvitationState, OutboundMessage, SuppressedAddress
from campaigns.organisations.selectors import recipients_for
from campaigns.privacy.services import erase_person, export_person
from campaigns.register import follow_up
from tests.campaigns.factories_bookings import campaign_with_session, school_booking
from tests.campaigns.factories_reach import PastSessionFactory, ReachBookingFactory
from tests.factories import CampaignFactory, ContactFactory, InvitationFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

ADDRESS = "sam.head@school.sch.uk"
MASKED = "s•••@school.sch.uk"
BASE_URL = "https://safe.example.gov.uk"


def url_for(token):
    return reverse("campaigns:unsubscribe", args=[token])


def readable_parts(token):
    """Everything a holder of the link can decode from it, the way signing.dumps payloads are read."""
    for part in token.lstrip(".").split(":"):
        try:
            raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        except (binascii.Error, ValueError):
            continue
        yield raw
        if raw.startswith(b"x"):
            yield zlib.decompress(raw)


def is_suppressed(address=ADDRESS):
    return SuppressedAddress.objects.filter(email__iexact=address).exists()


def test_the_address_cannot_be_read_from_a_new_link():
    token = unsubscribe_token(ADDRESS)

    assert "sam" not in token.lower()
    assert not any(b"sam.head" in part or b"school" in part for part in readable_parts(token))
    assert unsubscribe_token(ADDRESS.upper()) == token


def test_a_new_link_unsubscribes_and_does_not_expire(client, settings):
    token = unsubscribe_token(ADDRESS)

    page = client.get(url_for(token))
    response = client.post(url_for(token))

    assert page.status_code == 200
    assert response.status_code == 200
    assert is_suppressed()


def test_a_link_in_an_email_sent_before_still_works(client):
    contact = ContactFactory(email=ADDRESS)
    earlier = signing.dumps(ADDRESS, salt="campaigns.unsubscribe", compress=True)

    assert client.get(url_for(earlier)).status_code == 200
    assert not is_suppressed()
    assert client.post(url_for(earlier)).status_code == 200
    assert is_suppressed()
    contact.refresh_from_db()
    assert contact.opted_out


@pytest.mark.parametrize("make_token", [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: "x" + t])
def test_a_tampered_link_is_not_valid_and_changes_nothing(client, make_token):
    token = make_token(unsubscribe_token(ADDRESS))

    assert client.get(url_for(token)).status_code == 404
    assert client.post(url_for(token), {"List-Unsubscribe": "One-Click"}).status_code == 404
    assert not is_suppressed()


def test_the_pages_show_the_address_masked(client):
    token = unsubscribe_token(ADDRESS)

    confirm = client.get(url_for(token)).content.decode()
    done = client.post(url_for(token)).content.decode()

    for page in (confirm, done):
        assert MASKED in page
        assert ADDRESS not in page
        assert "sam.head" not in page


def test_a_get_never_unsubscribes(client):
    token = unsubscribe_token(ADDRESS)

    client.get(url_for(token))
    client.get(url_for(token), {"List-Unsubscribe": "One-Click"})

    assert not is_suppressed()


def test_one_click_post_unsubscribes_without_cookies_or_csrf_token():
    mail_program = Client(enforce_csrf_checks=True)
    token = unsubscribe_token(ADDRESS)

    response = mail_program.post(
        url_for(token),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert is_suppressed()


@pytest.mark.parametrize(
    "body",
    ["", "List-Unsubscribe=Yes", "unsubscribe=One-Click", "confirm=1"],
)
def test_any_other_post_without_a_csrf_token_is_refused(body):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(
        url_for(unsubscribe_token(ADDRESS)), data=body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 403
    assert not is_suppressed()


def test_the_confirm_form_with_its_csrf_token_unsubscribes():
    browser = Client(enforce_csrf_checks=True)
    url = url_for(unsubscribe_token(ADDRESS))
    browser.get(url)

    response = browser.post(url, {"csrfmiddlewaretoken": browser.cookies["csrftoken"].value})

    assert response.status_code == 200
    assert is_suppressed()


def parsed(message):
    """The message as a mail program reads it: parsed from its bytes, with no defects."""
    raw = build_email(message).message().as_bytes()
    parsed_message = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed_message.defects == []
    for part in parsed_message.walk():
        assert part.defects == []
    return parsed_message


def assert_one_click(message, settings):
    headers = parsed(message)
    # A long header is folded onto the next line: the whitespace before the value is not part of it.
    link = str(headers["List-Unsubscribe"]).strip()
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link.startswith("<") and link.endswith(">")
    address = urlparse(link[1:-1])
    assert (address.scheme, address.netloc) == ("https", "safe.example.gov.uk")
    assert message.to_email.lower() not in link.lower()

    response = Client(enforce_csrf_checks=True).post(
        address.path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert is_suppressed(message.to_email)


@pytest.fixture
def https_site(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE_URL


def school_with_contact(address=ADDRESS):
    organisation = OrganisationFactory()
    ContactFactory(organisation=organisation, email=address)
    return organisation


def test_an_invitation_carries_one_click_unsubscribe(https_site, settings):
    campaign = CampaignFactory()
    school_with_contact()

    invitations.send_invitations(campaign, recipients_for(campaign))

    assert_one_click(OutboundMessage.objects.get(template="invitation"), settings)
    assert Contact.objects.get(email=ADDRESS).opted_out


def test_a_reminder_to_book_carries_one_click_unsubscribe(https_site, settings):
    campaign = CampaignFactory()
    organisation = school_with_contact()
    long_ago = timezone.now() - datetime.timedelta(days=30)
    InvitationFactory(
        campaign=campaign,
        organisation=organisation,
        contact=organisation.contacts.get(),
        state=InvitationState.SENT,
        sent_at=long_ago,
    )

    invitations.remind_unanswered(campaign, interval_days=14)

    reminder = OutboundMessage.objects.exclude(template="invitation").get()
    assert_one_click(reminder, settings)


def test_a_follow_up_pack_carries_one_click_unsubscribe(https_site, settings):
    session = PastSessionFactory(starts_at=timezone.now() - datetime.timedelta(hours=2))
    campaign = CampaignFactory(contact_email="team@council.example.gov.uk")
    campaign.events.add(session.event)
    booking = ReachBookingFactory(
        session=session, campaign=campaign, organisation=OrganisationFactory(), pupils=30
    )

    message = follow_up.send_follow_up_pack(booking)

    assert_one_click(message, settings)


def test_a_booking_confirmation_has_no_unsubscribe(https_site):
    campaign, session = campaign_with_session()
    booking = book_places(**school_booking(session, campaign))

    sent = OutboundMessage.objects.filter(related_id=booking.pk)

    assert sent.exists()
    for message in sent:
        headers = parsed(message)
        assert headers["List-Unsubscribe"] is None
        assert headers["List-Unsubscribe-Post"] is None
        assert "/unsubscribe/" not in build_email(message).body


def test_erasing_a_persons_data_removes_their_unsubscribe_link(client):
    token = unsubscribe_token(ADDRESS)
    assert export_person(ADDRESS)["unsubscribe_links"][0]["email"] == ADDRESS

    erase_person(ADDRESS)

    assert export_person(ADDRESS)["unsubscribe_links"] == []
    assert client.get(url_for(token)).status_code == 404
