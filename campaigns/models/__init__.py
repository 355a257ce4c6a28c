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
from .organisations import (
    Contact,
    ContactRole,
    ImportStatus,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    SchoolImport,
)

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
    "ImportStatus",
    "InvitationState",
    "MessageKind",
    "MessageState",
    "Organisation",
    "OrganisationKind",
    "OrganisationStatus",
    "OutboundMessage",
    "SchoolImport",
    "SuppressedAddress",
    "SuppressionReason",
    "WaitingListEntry",
    "WaitingListStatus",
]
