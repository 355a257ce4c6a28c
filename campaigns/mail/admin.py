"""Staff screens for the email pipeline: every email sent, the provider's events, suppressed addresses, and
the campaign dashboard's emails panel. The pipeline writes these records; staff look, and may lift a suppression."""

import datetime

import django_filters
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.model import ModelViewSet

from campaigns.mail import sending
from campaigns.models import (
    Campaign,
    DeliveryState,
    EmailEvent,
    MessageKind,
    MessageState,
    OutboundMessage,
    SuppressedAddress,
    SuppressionReason,
)
from campaigns.panels import CampaignPanel, HomePanel
from cms.partnership import ScopedViewSetMixin, scope

# Emails that did not reach their reader: refused for good by us, or bounced or rejected by the provider.
BOUNCED_STATES = [DeliveryState.BOUNCED, DeliveryState.REJECTED]
FAILED_OR_BOUNCED = Q(state=MessageState.FAILED) | Q(delivery__in=BOUNCED_STATES)


class MessagesPanel(CampaignPanel):
    title = "Emails"
    order = 40
    template_name = "campaigns/mail/panels/messages.html"

    def get_context(self, campaign, request):
        aggregates = OutboundMessage.objects.filter(campaign=campaign).aggregate(
            total=Count("pk"),
            **{f"state_{v}": Count("pk", filter=Q(state=v)) for v in MessageState.values},
            **{f"delivery_{v}": Count("pk", filter=Q(delivery=v)) for v in DeliveryState.values if v},
        )
        total = aggregates["total"]
        sent = aggregates[f"state_{MessageState.SENT}"]
        finished = (
            sent + aggregates[f"state_{MessageState.FAILED}"] + aggregates[f"state_{MessageState.SUPPRESSED}"]
        )
        index = reverse("campaigns_outboundmessage:index")
        return {
            "total": total,
            "sent": sent,
            "in_progress": total - finished,
            "percent": int(100 * finished / total) if total else 0,
            "states": [
                {
                    "label": label,
                    "count": aggregates[f"state_{value}"],
                    "url": f"{index}?campaign={campaign.pk}&state={value}",
                }
                for value, label in MessageState.choices
            ],
            "deliveries": [
                {"label": label, "count": aggregates[f"delivery_{value}"]}
                for value, label in DeliveryState.choices
                if value
            ],
            "all_url": f"{index}?campaign={campaign.pk}",
        }


class OutboundMessageFilterSet(WagtailFilterSet):
    campaign = django_filters.ModelChoiceFilter(queryset=Campaign.objects.all())
    state = django_filters.ChoiceFilter(choices=MessageState.choices)
    kind = django_filters.ChoiceFilter(choices=MessageKind.choices)
    template = django_filters.AllValuesFilter()

    class Meta:
        model = OutboundMessage
        fields = ["campaign", "state", "kind", "delivery", "template"]


class OutboundMessageInspectView(InspectView):
    """The stored row, then the message itself as the recipient sees it (rebuilt by the sending code)."""

    template_name = "campaigns/mail/admin/message_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["shown"] = sending.as_sent(self.object)
        return context


class OutboundMessageViewSet(ScopedViewSetMixin, ModelViewSet):
    model = OutboundMessage
    icon = "mail"
    menu_label = "Emails"
    add_to_admin_menu = False
    list_display = ["subject", "to_email", "state", "delivery", "attempts", "created_at", "sent_at"]
    list_export = [
        "to_email",
        "subject",
        "template",
        "kind",
        "campaign",
        "state",
        "delivery",
        "attempts",
        "last_error",
        "provider_message_id",
        "created_at",
        "sent_at",
    ]
    export_filename = "emails"
    filterset_class = OutboundMessageFilterSet
    search_fields = ["to_email", "subject"]
    search_backend_name = None
    form_fields = ["to_email"]  # never shown: emails are written by the pipeline only
    inspect_view_enabled = True
    inspect_view_class = OutboundMessageInspectView
    inspect_view_fields = [
        "to_email",
        "to_name",
        "subject",
        "template",
        "kind",
        "campaign",
        "state",
        "delivery",
        "attempts",
        "last_error",
        "provider_message_id",
        "dedupe_key",
        "created_at",
        "sent_at",
    ]
    copy_view_enabled = False


class EmailEventViewSet(ScopedViewSetMixin, ModelViewSet):
    model = EmailEvent
    icon = "list-ul"
    menu_label = "Email provider events"
    add_to_admin_menu = False
    list_display = ["event_type", "recipient", "message", "occurred_at", "received_at"]
    list_filter = ["event_type"]
    list_export = [
        "event_id",
        "event_type",
        "recipient",
        "message",
        "occurred_at",
        "received_at",
        "description",
    ]
    search_fields = ["recipient", "event_id"]
    search_backend_name = None
    form_fields = ["event_type"]  # never shown: events come from the provider only
    inspect_view_enabled = True
    copy_view_enabled = False


class SuppressedAddressFilterSet(WagtailFilterSet):
    reason = django_filters.ChoiceFilter(choices=SuppressionReason.choices)

    class Meta:
        model = SuppressedAddress
        fields = ["reason"]


class SuppressedAddressViewSet(ModelViewSet):
    """Addresses that get no campaign email. Staff may add one by hand or lift a suppression."""

    model = SuppressedAddress
    icon = "cross"
    menu_label = "Suppressed addresses"
    add_to_admin_menu = False
    list_display = ["email", "reason", "created_at"]
    list_export = ["email", "reason", "created_at"]
    filterset_class = SuppressedAddressFilterSet
    search_fields = ["email"]
    search_backend_name = None
    form_fields = ["email", "reason"]
    copy_view_enabled = False


class FailedEmailsPanel(HomePanel):
    """On the admin home: emails that could not be sent or bounced in the last 30 days, when there are any."""

    name = "failed_emails"
    order = 15
    permission = "campaigns.view_outboundmessage"
    template_name = "campaigns/mail/admin/home_failed_emails.html"
    days = 30

    def recent(self, user):
        since = timezone.now() - datetime.timedelta(days=self.days)
        return scope(OutboundMessage.objects.filter(created_at__gte=since), user)

    def is_shown(self, request):
        return super().is_shown(request) and self.recent(request.user).filter(FAILED_OR_BOUNCED).exists()

    def get_panel_context(self, request):
        counts = self.recent(request.user).aggregate(
            failed=Count("pk", filter=Q(state=MessageState.FAILED)),
            bounced=Count("pk", filter=Q(delivery__in=BOUNCED_STATES)),
        )
        index = reverse("campaigns_outboundmessage:index")
        return {
            **counts,
            "days": self.days,
            "failed_url": f"{index}?state={MessageState.FAILED}",
            "bounced_url": f"{index}?delivery={DeliveryState.BOUNCED}",
        }
