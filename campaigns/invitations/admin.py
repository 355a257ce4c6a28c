"""Staff screens for invitations: the list, inviting organisations to a campaign, reminding those who have not
answered, and the campaign dashboard's invitations panel. Adapters only: they call campaigns.invitations.services."""

import django_filters
from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.generic import FormView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from campaigns.bulk import BulkActionsIndexMixin, CampaignBulkAction
from campaigns.figures import eligible_q
from campaigns.invitations import selectors as invitation_selectors
from campaigns.invitations import services as invitation_service
from campaigns.invitations.forms import RecipientsForm, RemindForm
from campaigns.models import (
    Campaign,
    Invitation,
    InvitationState,
    OrganisationKind,
)
from campaigns.organisations.forms import labelled_formfield
from campaigns.panels import CampaignPanel
from campaigns.planning import admin as planning_admin
from cms.errors import ServiceError
from cms.partnership import ScopedViewSetMixin, scope


class InvitationsPanel(CampaignPanel):
    title = "Invitations"
    order = 30
    template_name = "campaigns/invitations/panels/invitations.html"

    def get_context(self, campaign, request):
        by_state = {
            row["state"]: row
            for row in scope(Invitation.objects.filter(campaign=campaign), request.user)
            .values("state")
            .annotate(n=Count("pk"), eligible=Count("pk", filter=eligible_q(campaign, "organisation__")))
            .order_by()
        }
        counts = {state: row["n"] for state, row in by_state.items()}
        index = reverse("campaigns_invitation:index")
        rows = [
            {
                "label": label,
                "count": counts.get(value, 0),
                "eligible": by_state.get(value, {}).get("eligible", 0),
                "url": f"{index}?campaign={campaign.pk}&state={value}",
            }
            for value, label in InvitationState.choices
        ]
        total = sum(counts.values())
        answered = counts.get(InvitationState.BOOKED, 0) + counts.get(InvitationState.DECLINED, 0)
        return {
            "rows": rows,
            "total": total,
            "total_eligible": sum(row["eligible"] for row in rows),
            "answered": answered,
            "all_url": f"{index}?campaign={campaign.pk}",
            "invite_url": reverse("campaigns_campaign:invite", args=[campaign.pk]),
            "remind_url": reverse("campaigns_campaign:remind", args=[campaign.pk]),
            "can_send": request.user.has_perm("campaigns.add_invitation"),
            "sending": invitation_service.progress(campaign),
            "messages_url": f"{reverse('campaigns_outboundmessage:index')}?campaign={campaign.pk}",
            "reload_url": request.get_full_path(),
        }


class CampaignActionMixin(planning_admin.CampaignActionMixin):
    permission = "campaigns.add_invitation"
    header_icon = "mail"


class InviteView(CampaignActionMixin, FormView):
    """Choose recipients, see the count, the first of them and the email; then send in one action."""

    template_name = "campaigns/invitations/admin/invite.html"
    page_title = "Invite organisations"
    shown = 50

    def get_form_kwargs(self):
        if self.request.method == "POST":
            data = self.request.POST
        elif "filter" in self.request.GET:
            data = self.request.GET
        else:
            data = RecipientsForm.initial_for(self.campaign)
        return {"data": data, "campaign": self.campaign, "user": self.request.user}

    def get_form_class(self):
        return RecipientsForm

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        finished = invitation_selectors.finished_reason(self.campaign)
        context = {"form": form, "count": 0, "first": [], "finished": finished}
        if form.is_valid() and not finished:
            recipients = scope(form.recipients(), request.user)
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
        # Only the user's own organisations, whatever the form was given (cms.partnership).
        recipients = scope(form.recipients(), request.user)
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


class RemindView(CampaignActionMixin, FormView):
    template_name = "campaigns/invitations/admin/remind.html"
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
        context["finished"] = invitation_selectors.finished_reason(self.campaign)
        context["due"] = invitation_service.unanswered(self.campaign, days).count()
        context["closed"] = (
            0
            if context["finished"]
            else invitation_service.unanswered_at_closed_organisations(self.campaign, days).count()
        )
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
        finished = invitation_selectors.finished_reason(self.campaign)
        if reminded:
            messages.success(self.request, f"{len(reminded):,} reminders are being sent.")
        elif finished:
            messages.info(self.request, f"No reminders were sent: {finished}.")
        else:
            messages.info(
                self.request, "Nobody is due a reminder: everyone has answered or was reminded recently."
            )
        return redirect(self.dashboard_url)


class InvitationFilterSet(WagtailFilterSet):
    campaign = django_filters.ModelChoiceFilter(queryset=Campaign.objects.all())
    state = django_filters.ChoiceFilter(choices=InvitationState.choices)
    organisation__local_authority = django_filters.AllValuesFilter(label="Local authority")
    organisation__kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label="Kind")

    class Meta:
        model = Invitation
        fields = ["campaign", "state"]


class InvitationIndexView(BulkActionsIndexMixin, IndexView):
    bulk_obj_type = "invitation"


class RemindInvitationsBulkAction(CampaignBulkAction):
    """Remind the ticked invitations that are still unanswered, once per interval, as the Remind screen does."""

    model = Invitation
    permission = "campaigns.add_invitation"
    display_name = "Remind"
    action_type = "remind"
    aria_label = "Remind the selected organisations"
    form_class = RemindForm
    confirmation = (
        "Those of these that reached their contact and have neither booked nor declined, and were not invited "
        "or reminded within the interval, get a reminder:"
    )
    verb = "reminded"

    def label(self, invitation):
        return (
            f"{invitation.organisation.name} · {invitation.campaign.name} · {invitation.get_state_display()}"
        )

    @classmethod
    def execute_action(cls, objects, action=None, **kwargs):
        by_campaign = {}
        for invitation in objects:
            by_campaign.setdefault(invitation.campaign, []).append(invitation.pk)
        days = action.cleaned_form.cleaned_data["interval_days"]
        reminded, action.refused = 0, []
        for campaign, ids in by_campaign.items():
            try:
                reminded += len(
                    invitation_service.remind_unanswered(
                        campaign, interval_days=days, user=action.request.user, only=ids
                    )
                )
            except ServiceError as exc:
                action.refused.append(f"{campaign.name}: {exc.message}")
        if not reminded:
            action.refused.append(
                "Nobody ticked was due a reminder: they have answered or were reminded recently."
            )
        return reminded, 0


class InvitationViewSet(ScopedViewSetMixin, ModelViewSet):
    """Invitations are made by sending them from a campaign; here staff follow them and fix a contact."""

    model = Invitation
    index_view_class = InvitationIndexView
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

    def formfield_for_dbfield(self, db_field, **kwargs):
        return labelled_formfield(db_field, **kwargs)

    copy_view_enabled = False

    def get_queryset(self, request):
        return Invitation.objects.select_related("organisation", "campaign", "contact")


def campaign_urls():
    """The campaign's own screens for invitations, added to the campaign viewset's URLs."""
    return [
        path("<int:pk>/invite/", InviteView.as_view(), name="invite"),
        path("<int:pk>/remind/", RemindView.as_view(), name="remind"),
    ]
