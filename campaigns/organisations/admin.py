"""Staff screens for organisations: schools, faith and community groups, their contacts, and uploading the
schools register with its import progress. Adapters only: they call campaigns.organisations.services."""

import django_filters
from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet

from campaigns.bulk import BulkActionsIndexMixin, CampaignBulkAction
from campaigns.models import (
    Contact,
    ContactRole,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    SchoolImport,
)
from campaigns.organisations import services as organisation_service
from campaigns.organisations import uploads
from campaigns.organisations.forms import SchoolImportForm, labelled_formfield
from campaigns.organisations.selectors import reached_this_year
from cms.errors import ServiceError
from cms.partnership import ScopedViewSetMixin

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
        help_text="Someone from it came to a session since 1 September (recorded on the register).",
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


class OrganisationIndexView(BulkActionsIndexMixin, IndexView):
    bulk_obj_type = "organisation"


class ConfirmGroupsBulkAction(CampaignBulkAction):
    """Groups that booked from the public form, checked by staff in one go."""

    model = Organisation
    permission = "campaigns.change_organisation"
    display_name = "Confirm"
    action_type = "confirm"
    aria_label = "Confirm the selected groups"
    confirmation = "These groups will be confirmed and appear in reports as known groups:"
    verb = "confirmed"

    def act(self, organisation, user, form):
        organisation_service.confirm_group(organisation, user=user)


class OrganisationViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Organisation
    index_view_class = OrganisationIndexView
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
                # Schools get theirs from the register import (by LA code); churches and groups here.
                FieldPanel("authority"),
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


class ContactViewSet(ScopedViewSetMixin, ModelViewSet):
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

    def formfield_for_dbfield(self, db_field, **kwargs):
        return labelled_formfield(db_field, **kwargs)


# --- Campaigns -----------------------------------------------------------------------------------


# --- Invitations and the email pipeline ----------------------------------------------------------


class SchoolImportUploadView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Upload the register: stored, then imported by a background task; the import's page shows progress."""

    model = SchoolImport
    permission_required = "add"
    template_name = "campaigns/organisations/school_import_upload.html"
    page_title = "Import the schools register"
    header_icon = "upload"
    index_url_name = None

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("campaigns_schoolimport:index"), "label": "Schools register imports"},
            {"url": "", "label": self.page_title},
        ]

    def get_form_class(self):
        # Not the `form_class` attribute: the viewset would pass its own model form in its place.
        return SchoolImportForm

    def form_valid(self, form):
        try:
            job = uploads.start_import_job(
                form.cleaned_data["file"],
                local_authorities=form.cleaned_data["local_authorities"],
                user=self.request.user,
            )
        except ServiceError as exc:
            form.add_error("file", exc.message)
            return self.form_invalid(form)
        messages.success(self.request, "The file is uploaded and is being imported.")
        return redirect(reverse("campaigns_schoolimport:inspect", args=[job.pk]))


class SchoolImportProgressView(InspectView):
    template_name = "campaigns/organisations/school_import.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["job"] = self.object
        return context


class SchoolImportViewSet(ModelViewSet):
    model = SchoolImport
    icon = "upload"
    menu_label = "Schools register imports"
    add_to_admin_menu = False
    list_display = ["__str__", "status", "processed_rows", "created_count", "updated_count", "skipped_count"]
    list_filter = ["status"]
    inspect_view_enabled = True
    inspect_view_class = SchoolImportProgressView
    add_view_class = SchoolImportUploadView
    copy_view_enabled = False
    form_fields = ["file"]
