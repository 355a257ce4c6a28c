"""The reach summaries stay equal to a rebuild from raw rows, whatever route changes those rows."""

import pytest

from campaigns.models import Attendance, Booking, BookingStatus, Invitation, OrganisationReach
from campaigns.reach import summaries
from tests.campaigns.factories_reach import AttendanceFactory
from tests.factories import BookingFactory, CampaignFactory, InvitationFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def assert_summaries_exact():
    stored = {
        (r["campaign_id"], r["organisation_id"]): {f: r[f] for f in OrganisationReach.FIGURES}
        for r in OrganisationReach.objects.values()
    }
    assert stored == summaries.expected_summaries()


def test_rows_follow_plain_changes():
    campaign = CampaignFactory()
    school = OrganisationFactory()
    invitation = InvitationFactory(campaign=campaign, organisation=school)
    assert_summaries_exact()
    booking = BookingFactory(campaign=campaign, organisation=school, pupils=20, staff=2)
    assert_summaries_exact()
    AttendanceFactory(booking=booking, session=booking.session, campaign=campaign, organisation=school, pupils=18)
    row = OrganisationReach.objects.get()
    assert (row.invited, row.bookings, row.booked_pupils, row.lines, row.came_pupils) == (1, 1, 20, 1, 18)
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)
    Attendance.objects.all().delete()
    Invitation.objects.filter(pk=invitation.pk).delete()
    assert not OrganisationReach.objects.exists()
