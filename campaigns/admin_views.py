"""Staff screens of the campaigns app beyond plain listings: the campaign dashboard, inviting and
reminding, and uploading the schools register. Adapters only: they call campaigns.services.

The campaign dashboard is a list of panels. Other parts of the product add theirs with the
`register_campaign_dashboard_panel` hook, returning a `CampaignPanel` (or a list of them):

    @hooks.register("register_campaign_dashboard_panel")
    def bookings_panel():
        return BookingsPanel()  # a CampaignPanel subclass: title, order, template_name, get_context()

Built-in panels use orders 10 (details), 20 (sessions), 30 (invitations) and 40 (emails); bookings,
attendance and reach are expected at 50, 60 and 70.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from campaigns.models import (
    Campaign,
    DeliveryState,
    Invitation,
    InvitationState,
    MessageState,
    Organisation,
    OrganisationKind,
    OutboundMessage,
    SchoolImport,
)
from campaigns.services import invitations as invitation_service
from campaigns.services import schools_import
from campaigns.services.organisations import recipients_for
from cms.errors import ServiceError
from resources.taxonomy import YearGroup

PANEL_HOOK = "register_campaign_dashboard_panel"


def distinct_values(field, **filters):
    values = (
        Organisation.objects.filter(**filters)
        .exclude(**{field: ""})
        .order_by(field)
        .values_list(field, flat=True)
        .distinct()
    )
    return [(value, value) for value in values]


# --- Campaign form ---------------------------------------------------------------------------------


class CampaignAdminForm(WagtailAdminModelForm):
    """Year groups and areas as choices rather than raw JSON."""

    year_groups = forms.MultipleChoiceField(
        choices=YearGroup.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    local_authorities = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Local authorities the campaign covers (from the organisations on record).",
    )
    districts = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance
        authorities = distinct_values("local_authority")
        known = {value for value, _ in authorities}
        authorities += [(v, v) for v in current.local_authorities or [] if v not in known]
        self.fields["local_authorities"].choices = authorities
        districts = distinct_values("district")
        known = {value for value, _ in districts}
        districts += [(v, v) for v in current.districts or [] if v not in known]
        self.fields["districts"].choices = districts


# --- Dashboard panels ------------------------------------------------------------------------------


class CampaignPanel:
    """One section of the campaign dashboard."""

    title = ""
    order = 100
    template_name = ""

    def is_shown(self, campaign, request):
        return True

    def get_context(self, campaign, request):
        return {}


class DetailsPanel(CampaignPanel):
    title = "Campaign"
    order = 10
    template_name = "campaigns/admin/panels/details.html"

    def get_context(self, campaign, request):
        return {"events": list(campaign.events.all())}


class SessionsPanel(CampaignPanel):
    title = "Sessions"
    order = 20
    template_name = "campaigns/admin/panels/sessions.html"

    def get_context(self, campaign, request):
        sessions = list(campaign.sessions().select_related("venue", "event").order_by("starts_at"))
        return {
            "sessions": sessions,
            "capacity": sum(s.capacity for s in sessions),
            "taken": sum(s.places_taken for s in sessions),
            "left": sum(s.places_left for s in sessions),
        }


class InvitationsPanel(CampaignPanel):
    title = "Invitations"
    order = 30
    template_name = "campaigns/admin/panels/invitations.html"

    def get_context(self, campaign, request):
        counts = dict(
            Invitation.objects.filter(campaign=campaign)
            .values_list("state")
            .annotate(n=Count("pk"))
            .values_list("state", "n")
        )
        index = reverse("campaigns_invitation:index")
        rows = [
            {
                "label": label,
                "count": counts.get(value, 0),
                "url": f"{index}?campaign={campaign.pk}&state={value}",
            }
            for value, label in InvitationState.choices
        ]
        total = sum(counts.values())
        answered = counts.get(InvitationState.BOOKED, 0) + counts.get(InvitationState.DECLINED, 0)
        return {
            "rows": rows,
            "total": total,
            "answered": answered,
            "all_url": f"{index}?campaign={campaign.pk}",
            "invite_url": reverse("campaigns_campaign:invite", args=[campaign.pk]),
            "remind_url": reverse("campaigns_campaign:remind", args=[campaign.pk]),
            "can_send": request.user.has_perm("campaigns.add_invitation"),
        }


class MessagesPanel(CampaignPanel):
    title = "Emails"
    order = 40
    template_name = "campaigns/admin/panels/messages.html"

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


def dashboard_panels():
    panels = [DetailsPanel(), SessionsPanel(), InvitationsPanel(), MessagesPanel()]
    for hook in hooks.get_hooks(PANEL_HOOK):
        extra = hook()
        panels.extend(extra if isinstance(extra, list | tuple) else [extra])
    return sorted(panels, key=lambda panel: panel.order)


class CampaignDashboardView(InspectView):
    """Everything about one campaign in one place; refreshes itself while emails are going out."""

    template_name = "campaigns/admin/campaign_dashboard.html"
    page_title = "Campaign"

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        panels = []
        for panel in dashboard_panels():
            if panel.is_shown(self.object, self.request):
                panels.append(
                    {
                        "panel": panel,
                        "context": {"campaign": self.object, **panel.get_context(self.object, self.request)},
                    }
                )
        context["panels"] = panels
        context["campaign"] = self.object
        context["refresh"] = OutboundMessage.objects.filter(
            campaign=self.object, state__in=[MessageState.QUEUED, MessageState.SENDING, MessageState.RETRYING]
        ).exists()
        return context


# --- Inviting and reminding -----------------------------------------------------------------------


class RecipientsForm(forms.Form):
    """Which organisations to invite. Its values travel in the query string so the preview can be shared."""

    local_authorities = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    kinds = forms.MultipleChoiceField(
        choices=OrganisationKind.choices, required=False, widget=forms.CheckboxSelectMultiple, label="Kinds"
    )
    phases = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, help_text="Leave empty for every phase."
    )
    wards = forms.MultipleChoiceField(
        required=False, widget=forms.SelectMultiple, help_text="Leave empty for every ward."
    )
    covers_year_groups = forms.BooleanField(
        required=False, label="Only schools whose age range covers the campaign's year groups"
    )
    only_open = forms.BooleanField(required=False, label="Only open schools and groups")

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["local_authorities"].choices = distinct_values("local_authority")
        self.fields["phases"].choices = distinct_values("phase")
        chosen_areas = campaign.local_authorities or None
        self.fields["wards"].choices = (
            distinct_values("ward", local_authority__in=chosen_areas)
            if chosen_areas
            else distinct_values("ward")
        )

    @classmethod
    def initial_for(cls, campaign):
        return {
            "local_authorities": campaign.local_authorities,
            "kinds": [OrganisationKind.SCHOOL],
            "covers_year_groups": bool(campaign.year_groups),
            "only_open": True,
        }

    def recipients(self):
        data = self.cleaned_data
        return recipients_for(
            self.campaign,
            kinds=data["kinds"] or None,
            local_authorities=data["local_authorities"] or [],
            wards=data["wards"] or None,
            phases=data["phases"] or None,
            covers_year_groups=data["covers_year_groups"],
            only_open=data["only_open"],
        )


class CampaignActionMixin(WagtailAdminTemplateMixin):
    permission = "campaigns.add_invitation"
    header_icon = "mail"

    def dispatch(self, request, pk):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        self.campaign = get_object_or_404(Campaign, pk=pk)
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return self.campaign.name

    @cached_property
    def dashboard_url(self):
        return reverse("campaigns_campaign:inspect", args=[self.campaign.pk])

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("campaigns_campaign:index"), "label": "Campaigns"},
            {"url": self.dashboard_url, "label": self.campaign.name},
            {"url": "", "label": self.page_title},
        ]


class InviteView(CampaignActionMixin, FormView):
    """Choose recipients, see the count, the first of them and the email; then send in one action."""

    template_name = "campaigns/admin/invite.html"
    page_title = "Invite organisations"
    shown = 50

    def get_form_kwargs(self):
        if self.request.method == "POST":
            data = self.request.POST
        elif "filter" in self.request.GET:
            data = self.request.GET
        else:
            data = RecipientsForm.initial_for(self.campaign)
        return {"data": data, "campaign": self.campaign}

    def get_form_class(self):
        return RecipientsForm

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        context = {"form": form, "count": 0, "first": []}
        if form.is_valid():
            recipients = form.recipients()
            context.update(
                count=recipients.count(),
                first=list(recipients[: self.shown]),
                chosen=[
                    (name, value)
                    for name, values in form.cleaned_data.items()
                    for value in (values if isinstance(values, list) else ["on"] if values else [])
                ],
            )
        context["preview"] = invitation_service.preview(self.campaign, (context["first"] or [None])[0])
        return self.render_to_response(self.get_context_data(**context))

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if not form.is_valid():
            messages.error(request, "Those choices are not valid: please check them and preview again.")
            return redirect(request.path)
        recipients = form.recipients()
        previewed = request.POST.get("previewed_count", "")
        count = recipients.count()
        if previewed != str(count):
            messages.warning(
                request,
                f"The list has changed since the preview: it now has {count:,} organisations. Check it and send again.",
            )
            query = request.POST.copy()
            for private in ("csrfmiddlewaretoken", "previewed_count"):
                query.pop(private, None)
            query["filter"] = "1"
            return redirect(f"{request.path}?{query.urlencode()}")
        try:
            sent = invitation_service.send_invitations(self.campaign, recipients, user=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect(request.path)
        skipped = count - len(sent)
        note = f" {skipped:,} had no contact who can receive campaign email." if skipped else ""
        messages.success(request, f"{len(sent):,} invitations are being sent.{note}")
        return redirect(self.dashboard_url)


class RemindForm(forms.Form):
    interval_days = forms.TypedChoiceField(
        coerce=int,
        choices=[(d, f"{d} days") for d in invitation_service.REMINDER_INTERVALS],
        initial=14,
        label="Remind those not reminded (or invited) within the last",
    )


class RemindView(CampaignActionMixin, FormView):
    template_name = "campaigns/admin/remind.html"
    page_title = "Remind those who have not answered"
    form_class = RemindForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.request.method == "GET" and "interval_days" in self.request.GET:
            kwargs["data"] = self.request.GET
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        days = form.cleaned_data["interval_days"] if form.is_bound and form.is_valid() else 14
        context["due"] = invitation_service.unanswered(self.campaign, days).count()
        context["days"] = days
        return context

    def form_valid(self, form):
        try:
            reminded = invitation_service.remind_unanswered(
                self.campaign, interval_days=form.cleaned_data["interval_days"], user=self.request.user
            )
        except ServiceError as exc:
            messages.error(self.request, exc.message)
            return redirect(self.request.path)
        if reminded:
            messages.success(self.request, f"{len(reminded):,} reminders are being sent.")
        else:
            messages.info(
                self.request, "Nobody is due a reminder: everyone has answered or was reminded recently."
            )
        return redirect(self.dashboard_url)


# --- Schools register upload -----------------------------------------------------------------------


class SchoolImportForm(forms.Form):
    file = forms.FileField(
        help_text="The 'all establishment data' CSV from Get Information about Schools (edubasealldata….csv)."
    )
    local_authorities = forms.CharField(
        required=False,
        help_text="Only import these local authorities: names or codes, separated by commas. Empty for all.",
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if not uploaded.name.lower().endswith(".csv"):
            raise forms.ValidationError("Choose the register's .csv file.")
        try:
            schools_import.read_upload_header(uploaded)
        except ServiceError as exc:
            raise forms.ValidationError(exc.message) from None
        return uploaded

    def clean_local_authorities(self):
        raw = self.cleaned_data["local_authorities"]
        return [part.strip() for part in raw.split(",") if part.strip()]


class SchoolImportUploadView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Upload the register: stored, then imported by a background task; the import's page shows progress."""

    model = SchoolImport
    permission_required = "add"
    template_name = "campaigns/admin/school_import_upload.html"
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
            job = schools_import.start_import_job(
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
    template_name = "campaigns/admin/school_import.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["job"] = self.object
        return context
