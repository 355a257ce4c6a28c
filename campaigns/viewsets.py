"""Wagtail admin viewsets for organisations, contacts, campaigns, invitations, emails and imports,
grouped under one "Campaigns" menu."""

import django_filters
from django.db.models import Exists, OuterRef
from django.urls import path
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from campaigns import admin_views
from campaigns.models import (
    Campaign,
    CampaignStatus,
    Contact,
    ContactRole,
    EmailEvent,
    Invitation,
    InvitationState,
    MessageKind,
    MessageState,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    OutboundMessage,
    SchoolImport,
    SuppressedAddress,
    SuppressionReason,
)
from campaigns.services.organisations import reached_this_year


class RecordOnlyPolicy(ModelPermissionPolicy):
    """Records the system writes (emails, provider events, imports): staff may look, not edit."""

    denied = ("change", "delete")

    def user_has_permission(self, user, action):
        if action in self.denied:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)


class NoAddPolicy(RecordOnlyPolicy):
    denied = ("add",)


class ViewOnlyPolicy(RecordOnlyPolicy):
    denied = ("add", "change", "delete")


register_permission_policy(Invitation, NoAddPolicy(Invitation))
register_permission_policy(OutboundMessage, ViewOnlyPolicy(OutboundMessage))
register_permission_policy(EmailEvent, ViewOnlyPolicy(EmailEvent))
register_permission_policy(SchoolImport, RecordOnlyPolicy(SchoolImport))


# --- Organisations and contacts ------------------------------------------------------------------


class OrganisationFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices)
    local_authority = django_filters.AllValuesFilter(label="Local authority")
    ward = django_filters.AllValuesFilter()
    phase = django_filters.AllValuesFilter()
    status = django_filters.ChoiceFilter(choices=OrganisationStatus.choices)
    has_contact = django_filters.BooleanFilter(method="filter_has_contact", label="Has a contact")
    reached_this_year = django_filters.BooleanFilter(
        method="filter_reached",
        label="Reached this school year",
        help_text="Had a confirmed booking for a session that has taken place since 1 September.",
    )

    class Meta:
        model = Organisation
        fields = ["kind", "local_authority", "ward", "phase", "status"]

    def filter_has_contact(self, queryset, name, value):
        if value is None:
            return queryset
        has = Exists(Contact.objects.filter(organisation=OuterRef("pk")))
        return queryset.filter(has if value else ~has)

    def filter_reached(self, queryset, name, value):
        if value is None:
            return queryset
        reached = Exists(reached_this_year())
        return queryset.filter(reached if value else ~reached)


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "group"
    menu_label = "Organisations"
    add_to_admin_menu = False
    list_display = ["name", "kind", "local_authority", "ward", "phase", "status", "urn"]
    list_export = [
        "name",
        "kind",
        "urn",
        "establishment_type",
        "phase",
        "status",
        "statutory_low_age",
        "statutory_high_age",
        "number_of_pupils",
        "religious_character",
        "denomination",
        "has_youth_champion",
        "street",
        "locality",
        "town",
        "postcode",
        "local_authority_code",
        "local_authority",
        "district",
        "ward",
    ]
    export_filename = "organisations"
    filterset_class = OrganisationFilterSet
    search_fields = ["name", "postcode", "town"]
    # Plain database lookups: schools arrive by bulk import, which does not feed a search index.
    search_backend_name = None
    inspect_view_enabled = True
    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("status")]),
        FieldPanel("name"),
        MultiFieldPanel(
            [
                FieldPanel("street"),
                FieldPanel("locality"),
                FieldRowPanel([FieldPanel("town"), FieldPanel("postcode")]),
                FieldRowPanel([FieldPanel("local_authority"), FieldPanel("local_authority_code")]),
                FieldRowPanel([FieldPanel("district"), FieldPanel("ward")]),
            ],
            heading="Address and area",
        ),
        MultiFieldPanel(
            [
                FieldPanel("urn"),
                FieldRowPanel([FieldPanel("phase"), FieldPanel("establishment_type")]),
                FieldRowPanel([FieldPanel("statutory_low_age"), FieldPanel("statutory_high_age")]),
                FieldRowPanel([FieldPanel("number_of_pupils"), FieldPanel("religious_character")]),
                FieldRowPanel([FieldPanel("opened_on"), FieldPanel("closed_on")]),
            ],
            heading="Schools (from the register)",
        ),
        MultiFieldPanel(
            [FieldPanel("denomination"), FieldPanel("has_youth_champion")],
            heading="Faith and community groups",
        ),
        FieldPanel("confirmed"),
    ]


class ContactFilterSet(WagtailFilterSet):
    role = django_filters.ChoiceFilter(choices=ContactRole.choices)
    organisation__local_authority = django_filters.AllValuesFilter(label="Local authority")
    agreed_to_emails = django_filters.BooleanFilter()
    opted_out = django_filters.BooleanFilter()

    class Meta:
        model = Contact
        fields = ["role", "agreed_to_emails", "opted_out"]


class ContactViewSet(ModelViewSet):
    model = Contact
    icon = "user"
    menu_label = "Contacts"
    add_to_admin_menu = False
    list_display = ["email", "name", "role", "organisation", "agreed_to_emails", "opted_out"]
    list_export = ["name", "role", "email", "phone", "organisation", "agreed_to_emails", "opted_out"]
    export_filename = "contacts"
    filterset_class = ContactFilterSet
    search_fields = ["name", "email", "organisation__name"]
    search_backend_name = None
    form_fields = ["organisation", "name", "role", "email", "phone", "agreed_to_emails", "opted_out"]


# --- Campaigns -----------------------------------------------------------------------------------


class CampaignFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=CampaignStatus.choices)
    series = django_filters.AllValuesFilter()

    class Meta:
        model = Campaign
        fields = ["status", "series", "audience"]


class CampaignViewSet(ModelViewSet):
    model = Campaign
    icon = "tasks"
    menu_label = "Campaigns"
    add_to_admin_menu = False
    list_display = ["name", "code", "status", "starts_on", "ends_on", "target_reach"]
    list_export = ["name", "code", "series", "audience", "status", "starts_on", "ends_on", "target_reach"]
    export_filename = "campaigns"
    filterset_class = CampaignFilterSet
    search_fields = ["name", "code"]
    search_backend_name = None
    inspect_view_enabled = True
    inspect_view_class = admin_views.CampaignDashboardView
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("code")]),
            FieldRowPanel([FieldPanel("slug"), FieldPanel("series")]),
            FieldPanel("status"),
            FieldPanel("description"),
            MultiFieldPanel(
                [FieldPanel("audience"), FieldPanel("year_groups"), FieldPanel("target_reach")],
                heading="Audience",
            ),
            MultiFieldPanel(
                [FieldPanel("local_authorities"), FieldPanel("districts")],
                heading="Area",
                classname="collapsed",
            ),
            FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
            MultiFieldPanel(
                [
                    FieldPanel("events"),
                    FieldPanel("open_booking"),
                    FieldPanel("booking_cutoff_days"),
                    FieldPanel("safeguarding_statement"),
                    FieldPanel("photo_consent_statement"),
                ],
                heading="Events and booking",
            ),
            MultiFieldPanel(
                [FieldPanel("pre_session_materials"), FieldPanel("post_session_materials")],
                heading="Materials",
            ),
            FieldRowPanel([FieldPanel("contact_email"), FieldPanel("contact_phone")]),
        ],
        base_form_class=admin_views.CampaignAdminForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/invite/", admin_views.InviteView.as_view(), name="invite"),
            path("<int:pk>/remind/", admin_views.RemindView.as_view(), name="remind"),
        ]


# --- Invitations and the email pipeline ----------------------------------------------------------


class InvitationFilterSet(WagtailFilterSet):
    campaign = django_filters.ModelChoiceFilter(queryset=Campaign.objects.all())
    state = django_filters.ChoiceFilter(choices=InvitationState.choices)
    organisation__local_authority = django_filters.AllValuesFilter(label="Local authority")
    organisation__kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label="Kind")

    class Meta:
        model = Invitation
        fields = ["campaign", "state"]


class InvitationViewSet(ModelViewSet):
    """Invitations are made by sending them from a campaign; here staff follow them and fix a contact."""

    model = Invitation
    icon = "mail"
    menu_label = "Invitations"
    add_to_admin_menu = False
    list_display = ["organisation", "campaign", "state", "sent_at", "opened_at", "booked_at", "declined_at"]
    list_export = [
        "campaign",
        "organisation",
        "contact",
        "state",
        "sent_at",
        "delivered_at",
        "opened_at",
        "clicked_at",
        "bounced_at",
        "booked_at",
        "declined_at",
        "reminders_sent",
        "last_reminded_at",
    ]
    export_filename = "invitations"
    filterset_class = InvitationFilterSet
    search_fields = ["organisation__name", "contact__email"]
    search_backend_name = None
    inspect_view_enabled = True
    form_fields = ["contact"]
    copy_view_enabled = False

    def get_queryset(self, request):
        return Invitation.objects.select_related("organisation", "campaign", "contact")


class OutboundMessageFilterSet(WagtailFilterSet):
    campaign = django_filters.ModelChoiceFilter(queryset=Campaign.objects.all())
    state = django_filters.ChoiceFilter(choices=MessageState.choices)
    kind = django_filters.ChoiceFilter(choices=MessageKind.choices)
    template = django_filters.AllValuesFilter()

    class Meta:
        model = OutboundMessage
        fields = ["campaign", "state", "kind", "delivery", "template"]


class OutboundMessageViewSet(ModelViewSet):
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


class EmailEventViewSet(ModelViewSet):
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


class SchoolImportViewSet(ModelViewSet):
    model = SchoolImport
    icon = "upload"
    menu_label = "Schools register imports"
    add_to_admin_menu = False
    list_display = ["__str__", "status", "processed_rows", "created_count", "updated_count", "skipped_count"]
    list_filter = ["status"]
    inspect_view_enabled = True
    inspect_view_class = admin_views.SchoolImportProgressView
    add_view_class = admin_views.SchoolImportUploadView
    copy_view_enabled = False
    form_fields = ["file"]


class CampaignsViewSetGroup(ViewSetGroup):
    menu_label = "Campaigns"
    menu_icon = "tasks"
    menu_order = 250
    items = (
        CampaignViewSet("campaigns_campaign", url_prefix="campaigns/campaigns"),
        OrganisationViewSet("campaigns_organisation", url_prefix="campaigns/organisations"),
        ContactViewSet("campaigns_contact", url_prefix="campaigns/contacts"),
        InvitationViewSet("campaigns_invitation", url_prefix="campaigns/invitations"),
        OutboundMessageViewSet("campaigns_outboundmessage", url_prefix="campaigns/emails"),
        EmailEventViewSet("campaigns_emailevent", url_prefix="campaigns/email-events"),
        SuppressedAddressViewSet("campaigns_suppressedaddress", url_prefix="campaigns/suppressed"),
        SchoolImportViewSet("campaigns_schoolimport", url_prefix="campaigns/school-imports"),
    )
