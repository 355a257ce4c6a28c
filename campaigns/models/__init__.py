"""Campaign data, split by concept. Import models from `campaigns.models`."""

from .api import PartnerToken
from .attendance import Attendance, NamedAttendee
from .bookings import (
    Booking,
    BookingKind,
    BookingStatus,
    CapacityDrift,
    WaitingListEntry,
    WaitingListStatus,
)
from .campaigns import Campaign, CampaignStatus
from .evaluation import (
    AdultComment,
    AnswerCount,
    Asked,
    EvaluationAudience,
    EvaluationCode,
    Option,
    Phase,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionVersion,
    Response,
)
from .free_text import GROUP_NAME_HELP, NO_CHILD_NAMES
from .invitations import Invitation, InvitationState
from .messaging import (
    DeliveryState,
    EmailEvent,
    MessageKind,
    MessageState,
    OutboundMessage,
    SuppressedAddress,
    SuppressionReason,
    UnsubscribeLink,
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
from .reach import OrganisationReach
from .training import Cohort, CohortMember, TrainingCourse, TrainingRecord

__all__ = [
    # Attendance, training and the partner API
    "Attendance",
    "Cohort",
    "CohortMember",
    "NamedAttendee",
    "OrganisationReach",
    "PartnerToken",
    "TrainingCourse",
    "TrainingRecord",
    "UnsubscribeLink",
    # Campaigns, bookings and messaging
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
    # Evaluations: questionnaires and their answers, as counts
    "AdultComment",
    "AnswerCount",
    "Asked",
    "EvaluationAudience",
    "EvaluationCode",
    "Option",
    "Phase",
    "Question",
    "QuestionKind",
    "Questionnaire",
    "QuestionVersion",
    "Response",
    # What free-text boxes say about children
    "GROUP_NAME_HELP",
    "NO_CHILD_NAMES",
]
