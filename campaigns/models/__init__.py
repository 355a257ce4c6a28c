"""Campaign data, split by concept. Import models from `campaigns.models`."""

from .bookings import (
    Booking,
    BookingKind,
    BookingStatus,
    CapacityDrift,
    WaitingListEntry,
    WaitingListStatus,
)
from .campaigns import Campaign, CampaignStatus
from .invitations import Invitation, InvitationState
from .messaging import (
    DeliveryState,
    EmailEvent,
    MessageKind,
    MessageState,
    OutboundMessage,
    SuppressedAddress,
    SuppressionReason,
)
from .organisations import Contact, ContactRole, Organisation, OrganisationKind, OrganisationStatus

__all__ = [
    "Booking",
    "BookingKind",
    "BookingStatus",
    "Campaign",
    "CampaignStatus",
    "CapacityDrift",
    "Contact",
    "ContactRole",
    "DeliveryState",
    "EmailEvent",
    "Invitation",
    "InvitationState",
    "MessageKind",
    "MessageState",
    "Organisation",
    "OrganisationKind",
    "OrganisationStatus",
    "OutboundMessage",
    "SuppressedAddress",
    "SuppressionReason",
    "WaitingListEntry",
    "WaitingListStatus",
]
