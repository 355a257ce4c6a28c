"""Retention removes adults' personal data past its period and keeps every anonymous count; one person's
data can be exported and erased on request."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from campaigns.mail import services as messaging
from campaigns.models import Attendance, Booking, Contact, NamedAttendee, OutboundMessage
from campaigns.privacy.services import apply_retention, erase_person, export_person
from tests.factories import BookingFactory, ContactFactory, OrganisationFactory, SessionFactory

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - datetime.timedelta(days=800)


@pytest.fixture
def old_and_new():
    old_session = SessionFactory(starts_at=LONG_AGO, ends_at=LONG_AGO + datetime.timedelta(hours=3))
    new_session = SessionFactory()
    old = BookingFactory(
        session=old_session, booker_name="Ms Teacher", booker_phone="01234 567890", pupils=28
    )
    new = BookingFactory(session=new_session, booker_name="Mr Teacher", pupils=30)
    Attendance.objects.create(
        session=old_session,
        booking=old,
        organisation=old.organisation,
        pupils=26,
        staff=2,
        recorded_at=LONG_AGO,
    )
    NamedAttendee.objects.create(
        session=old_session, name="Alex Driver", email="alex@example.org", licence_number="TX1234"
    )
    message = messaging.queue_email(
        to="old@example.org", subject="Hello", template="notice", context={"message": "x"}
    )
    OutboundMessage.objects.filter(pk=message.pk).update(created_at=LONG_AGO)
    stale = ContactFactory()
    Contact.objects.filter(pk=stale.pk).update(updated_at=timezone.now() - datetime.timedelta(days=2000))
    fresh = ContactFactory()
    return old, new, stale, fresh


def test_retention_blanks_old_personal_data_and_keeps_counts(old_and_new):
    old, new, stale, fresh = old_and_new
    counts_before = (old.pupils, old.staff, old.places, Attendance.objects.get().pupils)

    report = apply_retention()

    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.booker_name, old.booker_email, old.booker_phone) == ("", "", "")
    assert (old.pupils, old.staff, old.places, Attendance.objects.get().pupils) == counts_before
    assert new.booker_name == "Mr Teacher", "a current booking keeps its booker"
    assert NamedAttendee.objects.get().name == ""
    assert OutboundMessage.objects.get().to_email == ""
    assert not Contact.objects.filter(pk=stale.pk).exists()
    assert Contact.objects.filter(pk=fresh.pk).exists()
    assert report.counts["Bookings anonymised"] == 1

    assert apply_retention().counts["Bookings anonymised"] == 0, "a second run has nothing left to remove"


def test_retention_dry_run_changes_nothing(old_and_new):
    old, *_ = old_and_new
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "Bookings anonymised: 1" in out.getvalue()
    old.refresh_from_db()
    assert old.booker_name == "Ms Teacher"


def test_one_persons_data_is_exported_then_erased(old_and_new):
    old, new, *_ = old_and_new
    ContactFactory(organisation=OrganisationFactory(), email=new.booker_email, name="Mr Teacher")

    exported = export_person(new.booker_email)
    assert exported["bookings"][0]["booker_name"] == "Mr Teacher"
    assert exported["contacts"][0]["name"] == "Mr Teacher"

    email = new.booker_email
    erase_person(email)
    new.refresh_from_db()
    assert new.booker_email == "" and new.booker_name == ""
    assert new.pupils == 30 and new.places == 32
    assert export_person(email) == {key: [] for key in exported}
    assert Booking.objects.get(pk=old.pk).booker_name == "Ms Teacher", "nobody else is touched"


def test_personal_data_command_exports_json_and_needs_confirmation_to_erase(old_and_new):
    _, new, *_ = old_and_new
    out = StringIO()
    call_command("personal_data", "export", new.booker_email, stdout=out)
    assert json.loads(out.getvalue())["bookings"][0]["reference"] == new.reference
    with pytest.raises(CommandError, match="--yes"):
        call_command("personal_data", "erase", new.booker_email)
    with pytest.raises(CommandError, match="email address or a licence number"):
        call_command("personal_data", "export", "")


def test_licence_number_finds_a_trained_driver():
    session = SessionFactory()
    NamedAttendee.objects.create(session=session, name="Sam Driver", licence_number="PH-778")
    assert export_person("", "ph-778")["named_attendees"][0]["name"] == "Sam Driver"
    erase_person("", "PH-778")
    assert NamedAttendee.objects.get().name == ""


def test_retention_leaves_no_name_in_notes_calendars_audit_log_or_old_cohorts(old_and_new):
    from wagtail.log_actions import log
    from wagtail.models import ModelLogEntry

    from tests.campaigns.factories_reach import CohortFactory, CohortMemberFactory

    old, new, stale, fresh = old_and_new
    Attendance.objects.filter(booking=old).update(notes="Jamie and Priya from Year 5 were upset")
    attendee = NamedAttendee.objects.get()
    log(instance=attendee, action="campaigns.attendance.named", data={"name": attendee.name, "session": 1})
    message = OutboundMessage.objects.get()
    OutboundMessage.objects.filter(pk=message.pk).update(
        calendar="ATTENDEE;CN=Ms Teacher:mailto:old@example.org"
    )
    member = CohortMemberFactory(cohort=CohortFactory(), name="Councillor Long Ago")
    type(member).objects.filter(pk=member.pk).update(created_at=LONG_AGO - datetime.timedelta(days=400))

    apply_retention()

    assert Attendance.objects.get(booking=old).notes == ""
    assert OutboundMessage.objects.get().calendar == ""
    entry = ModelLogEntry.objects.get(object_id=str(attendee.pk), action="campaigns.attendance.named")
    assert "Alex Driver" not in entry.label and "name" not in entry.data
    assert not type(member).objects.filter(pk=member.pk).exists()
