"""Builders for booking tests: a campaign with a session open for booking, and valid booker details."""

import datetime

from django.utils import timezone

from events.models import BookingMode, EventKind
from resources.taxonomy import Audience
from tests.factories import (
    CampaignFactory,
    EventPageFactory,
    InvitationFactory,
    OrganisationFactory,
    SessionFactory,
)


def campaign_with_session(*, capacity=90, days_ahead=14, **campaign_fields):
    """An open schools campaign (Year 5) with one pupil-roadshow session. Returns (campaign, session)."""
    campaign = CampaignFactory(**campaign_fields)
    session = SessionFactory(
        capacity=capacity, starts_at=timezone.now() + datetime.timedelta(days=days_ahead)
    )
    campaign.events.add(session.event)
    return campaign, session


def another_session(campaign, *, capacity=90, days_ahead=21, event=None):
    event = event or campaign.events.first()
    return SessionFactory(
        event=event, capacity=capacity, starts_at=timezone.now() + datetime.timedelta(days=days_ahead)
    )


def invitation_for(campaign, **fields):
    return InvitationFactory(campaign=campaign, **fields)


def individual_session(*, kind=EventKind.PARENT_SESSION, max_guests=2, capacity=30, days_ahead=10):
    event = EventPageFactory(
        kind=kind,
        audience=Audience.PROFESSIONALS
        if kind == EventKind.PROFESSIONAL_TRAINING
        else Audience.PARENTS_CARERS,
        booking_mode=BookingMode.INDIVIDUAL,
        max_guests_per_booking=max_guests,
        attendees_named=kind == EventKind.PROFESSIONAL_TRAINING,
    )
    return SessionFactory(
        event=event, capacity=capacity, starts_at=timezone.now() + datetime.timedelta(days=days_ahead)
    )


def booker(**overrides):
    details = {
        "booker_name": "Sam Teacher",
        "booker_email": "sam.teacher@school.example.org",
        "booker_role": "Year 5 teacher",
        "booker_phone": "01375 000000",
    }
    details.update(overrides)
    return details


def school_booking(session, campaign, *, organisation=None, pupils=30, staff=2, **extra):
    """Keyword arguments for book_places for a school booking."""
    return {
        "session": session,
        "campaign": campaign,
        "organisation": organisation or OrganisationFactory(),
        "year_group": "Y5",
        "pupils": pupils,
        "staff": staff,
        **booker(),
        "safeguarding_confirmed": True,
        "photo_consent_confirmed": True,
        **extra,
    }
