"""Staff screens for bookings: lists with filters and export, phone bookings and changes through the same
services as the public pages, a per-session summary, the waiting list with reordering, and capacity drift."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from campaigns.bookings import services as booking_service
from campaigns.bookings import session_changes
from campaigns.bookings import waiting_list as waiting_service
from campaigns.bookings.forms import CancelSessionForm, SessionMessageForm, SettleChoice
from campaigns.bookings.selectors import session_summaries
from campaigns.bulk import BulkActionsIndexMixin, CampaignBulkAction
from campaigns.models import Booking, CapacityDrift, WaitingListEntry, WaitingListStatus
from campaigns.models.bookings import BOOKER_PERSONAL_FIELDS
from campaigns.organisations.forms import labelled_formfield
from campaigns.policies import forbidden
from campaigns.roles import TAKE_REGISTER
from cms.errors import ServiceError, ServiceFormMixin
from cms.partnership import ScopedViewSetMixin, check, scope
from events import services as session_service
from events.models import Session

# --- bookings -------------------------------------------------------------------------------------


def sessions_with_names(request=None):
    """Sessions for a filter's choices, with what their names are made of (event title, venue name): only
    those the user sees (cms.partnership)."""
    sessions = Session.objects.select_related("event", "venue").order_by("starts_at")
    return scope(sessions, request.user) if request is not None else sessions


class BookingFilterSet(WagtailFilterSet):
    session__starts_at = django_filters.DateFromToRangeFilter(label="Session date")
    session = django_filters.ModelChoiceFilter(queryset=sessions_with_names)

    class Meta:
        model = Booking
        fields = ["status", "kind", "campaign", "session", "year_group"]


NUMBER_FIELDS = ["year_group", "pupils", "staff", "adults", "guests"]
AGE_FIELDS = ["age_from", "age_to"]


class BookingCreateView(ServiceFormMixin, CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return booking_service.book_places(
            session=data["session"],
            campaign=data.get("campaign"),
            organisation=data.get("organisation"),
            user=self.request.user,
            **{
                field: data.get(field) or (0 if field in NUMBER_FIELDS[1:] else "") for field in NUMBER_FIELDS
            },
            **{field: data.get(field) for field in AGE_FIELDS},
            **{field: data.get(field) or "" for field in BOOKER_PERSONAL_FIELDS},
            safeguarding_confirmed=True,
            photo_consent_confirmed=True,
        )


class BookingEditView(ServiceFormMixin, EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        original = Booking.objects.get(pk=self.object.pk)
        return booking_service.change_booking(
            original,
            session=data["session"],
            user=self.request.user,
            **{
                field: data.get(field) or (0 if field in NUMBER_FIELDS[1:] else "") for field in NUMBER_FIELDS
            },
            **{field: data.get(field) for field in AGE_FIELDS},
            **{field: data.get(field) or "" for field in BOOKER_PERSONAL_FIELDS},
        )


class BookingCancelView(DeleteView):
    """Bookings are never deleted: the 'delete' action cancels, freeing the places, with the same rules."""

    page_title = "Cancel booking"
    success_message = "Booking '%(object)s' cancelled."

    def confirmation_message(self):
        return (
            f"Cancel booking {self.object.reference} ({self.object.places} places)? The places go back to the "
            "session and are offered to the waiting list, and the booker is emailed."
        )

    def get_usage_url(self):
        return None

    def get_usage(self):
        return None

    def form_valid(self, form):
        try:
            booking_service.cancel_booking(self.object, user=self.request.user)
        except ServiceError as exc:
            messages.error(self.request, exc.message)
            return redirect(self.get_success_url())
        messages.success(self.request, self.get_success_message())
        return redirect(self.get_success_url())


class BookingIndexView(BulkActionsIndexMixin, IndexView):
    bulk_obj_type = "booking"

    def get_base_queryset(self):
        # The listing and export show each row's organisation, session and campaign: fetch them in one go.
        return (
            super()
            .get_base_queryset()
            .select_related("organisation", "campaign", "session__event", "session__venue")
        )


class CancelBookingsForm(forms.Form):
    reason = forms.CharField(label="Reason (kept in the audit log, not sent)", max_length=500, required=False)


class CancelBookingsBulkAction(CampaignBulkAction):
    """Cancel the ticked bookings: each booker is emailed and each booking's places go back, once each."""

    model = Booking
    permission = "campaigns.delete_booking"
    display_name = "Cancel bookings"
    action_type = "cancel"
    aria_label = "Cancel the selected bookings"
    classes = {"serious"}
    form_class = CancelBookingsForm
    confirmation = "These bookings will be cancelled; each booker is emailed and the places go back on sale:"
    verb = "cancelled"

    def label(self, booking):
        who = booking.organisation.name if booking.organisation_id else booking.booker_name
        return f"{booking.reference} · {who} · {booking.places} places"

    def act(self, booking, user, form):
        booking_service.cancel_booking(booking, user=user, reason=form.cleaned_data.get("reason", ""))


class BookingViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Booking
    index_view_class = BookingIndexView
    icon = "tick-inverse"
    menu_label = "Bookings"
    add_to_admin_menu = False
    add_view_class = BookingCreateView
    edit_view_class = BookingEditView
    delete_view_class = BookingCancelView
    inspect_view_enabled = True
    filterset_class = BookingFilterSet
    search_fields = ["reference", "booker_name", "booker_email", "organisation__name"]
    search_backend_name = None
    list_display = [
        TitleColumn("reference", label="Reference", url_name="campaigns_bookings:edit"),
        Column("organisation", label="Organisation"),
        "booker_name",
        Column("session", label="Session"),
        "places",
        "status",
        Column("language_name", label="Language"),
        "created_at",
    ]
    list_export = [
        "reference",
        "campaign",
        "organisation",
        "session",
        "year_group",
        "age_from",
        "age_to",
        "pupils",
        "staff",
        "adults",
        "guests",
        "places",
        *BOOKER_PERSONAL_FIELDS,
        "language",
        "status",
        "created_at",
        "cancelled_at",
    ]
    export_filename = "bookings"
    form_fields = [
        "session",
        "campaign",
        "organisation",
        NUMBER_FIELDS[0],
        *AGE_FIELDS,
        *NUMBER_FIELDS[1:],
        *BOOKER_PERSONAL_FIELDS,
    ]

    def formfield_for_dbfield(self, db_field, **kwargs):
        return labelled_formfield(db_field, **kwargs)

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        for name in ("places",):
            form_class.base_fields.pop(name, None)
        if for_update:
            for name in ("campaign", "organisation"):
                form_class.base_fields[name].disabled = True
        form_class.base_fields["session"].queryset = Session.objects.select_related("event", "venue")
        return form_class


def not_edited_here(index_url_name):
    def view(request, *args, **kwargs):
        messages.info(request, "These records are made and changed by the booking pages, not edited here.")
        return redirect(index_url_name)

    return view


# --- waiting list -------------------------------------------------------------------------------------


class MoveColumn(Column):
    cell_template_name = "campaigns/bookings/admin/move_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        context["csrf_token_value"] = get_token(request) if request else ""
        context["up_url"] = reverse("campaigns_bookings_move_waiting", args=[instance.pk, "up"])
        context["down_url"] = reverse("campaigns_bookings_move_waiting", args=[instance.pk, "down"])
        context["can_move"] = instance.is_open
        return context


class WaitingListFilterSet(WagtailFilterSet):
    session = django_filters.ModelChoiceFilter(queryset=sessions_with_names)

    class Meta:
        model = WaitingListEntry
        fields = ["status", "session", "campaign"]


class ReadOnlyIndexView(IndexView):
    """A listing without an "Add" button: these rows are made by the booking services."""

    def get_add_url(self):
        return None

    def get_edit_url(self, instance):
        return None


class WaitingListIndexView(ReadOnlyIndexView):
    default_ordering = ["session", "position", "pk"]

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("organisation", "session__event", "session__venue")


class WaitingListViewSet(ScopedViewSetMixin, ModelViewSet):
    model = WaitingListEntry
    icon = "list-ol"
    menu_label = "Waiting list"
    index_view_class = WaitingListIndexView
    inspect_view_enabled = True
    filterset_class = WaitingListFilterSet
    search_fields = ["booker_name", "booker_email", "organisation__name"]
    search_backend_name = None
    list_display = [
        Column("session", label="Session"),
        "position",
        TitleColumn("booker_name", label="Booker", url_name="campaigns_waiting:inspect"),
        Column("organisation", label="Organisation"),
        "places_wanted",
        "status",
        "offer_expires_at",
        MoveColumn("move", label="Order"),
    ]
    list_export = [
        "session",
        "position",
        "booker_name",
        "booker_email",
        "organisation",
        "places_wanted",
        "status",
        "offered_at",
        "offer_expires_at",
        "created_at",
    ]
    export_filename = "waiting-list"
    form_fields = ["places_wanted"]

    # Entries are made from the booking form and changed by their own services, not edited directly: no add,
    # edit or delete screens. Every view is told so (the inspect and history pages, and the site history,
    # would otherwise link to the missing edit screen and fail), and the audit log links to the inspect page.
    without_views = ("add", "edit", "delete")

    def get_urlpatterns(self):
        return [pattern for pattern in super().get_urlpatterns() if pattern.name not in self.without_views]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{f"{name}_url_name": None for name in self.without_views}, **kwargs
        )

    @property
    def url_finder_class(self):
        return type(
            "WaitingListURLFinder", (ModelAdminURLFinder,), {"edit_url_name": self.get_url_name("inspect")}
        )


@require_POST
def move_waiting_entry(request, pk, direction):
    if not request.user.has_perm("campaigns.change_waitinglistentry"):
        raise PermissionDenied
    entry = get_object_or_404(scope(WaitingListEntry.objects.all(), request.user), pk=pk)
    if entry.status not in (WaitingListStatus.WAITING, WaitingListStatus.OFFERED):
        messages.error(request, "Only open entries can be moved.")
    else:
        waiting_service.move_entry(entry, up=direction == "up", user=request.user)
        messages.success(request, f"Moved {entry.booker_name} {direction} the list.")
    return redirect(reverse("campaigns_waiting:index") + f"?session={entry.session_id}")


# --- per-session summary and capacity drift ------------------------------------------------------------


class SessionSummaryView(ReportView):
    page_title = "Places per session"
    header_icon = "table"
    index_url_name = "campaigns_bookings_session_summary"
    index_results_url_name = "campaigns_bookings_session_summary_results"
    results_template_name = "wagtailadmin/reports/base_report_results.html"
    columns = [
        Column("starts_at", label="Starts"),
        Column("event", label="Event", accessor="event.title"),
        Column("venue", label="Venue", accessor="venue.name"),
        Column("status", label="Status"),
        Column("capacity", label="Capacity"),
        Column("places_taken", label="Taken"),
        Column("left", label="Left"),
        Column("confirmed_bookings", label="Bookings"),
        Column("unconfirmed_bookings", label="Awaiting confirmation"),
        Column("waiting_entries", label="Waiting"),
        Column("offers_open", label="Offers open"),
    ]
    list_export = [
        "starts_at",
        "event.title",
        "venue.name",
        "status",
        "capacity",
        "places_taken",
        "left",
        "confirmed_bookings",
        "unconfirmed_bookings",
        "waiting_entries",
        "offers_open",
    ]
    export_headings = {
        "event.title": "Event",
        "venue.name": "Venue",
        "places_taken": "Taken",
        "unconfirmed_bookings": "Awaiting confirmation",
    }
    export_filename = "places-per-session"

    def get_queryset(self):
        since = timezone.now() - timezone.timedelta(days=30)
        sessions = scope(Session.objects.filter(starts_at__gte=since), self.request.user)
        return session_summaries(sessions).order_by("starts_at")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("campaigns.view_booking"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CapacityDriftViewSet(ScopedViewSetMixin, ModelViewSet):
    model = CapacityDrift
    icon = "warning"
    menu_label = "Capacity checks"
    index_view_class = ReadOnlyIndexView
    list_display = [
        "found_at",
        Column("session", label="Session"),
        "places_taken",
        "places_booked",
        "difference",
    ]
    list_filter = ["session"]
    form_fields = []

    @property
    def add_view(self):
        return not_edited_here(self.get_url_name("index"))

    @property
    def edit_view(self):
        return not_edited_here(self.get_url_name("index"))


# --- a session's own staff screens -------------------------------------------------------------------


class SessionStaffMixin(WagtailAdminTemplateMixin):
    """A staff screen about one session: checks the permissions (all of `permissions`, or any one of
    `any_permission`) and loads the session."""

    permissions = ("campaigns.view_booking",)
    any_permission = ()
    header_icon = "date"
    # True for screens that change the session itself (a joint session's are for coordinators only).
    changes_session = False

    def dispatch(self, request, pk, *args, **kwargs):
        if self.any_permission and not any(request.user.has_perm(perm) for perm in self.any_permission):
            return forbidden(request, self.any_permission[0])
        for perm in self.permissions:
            if not request.user.has_perm(perm):
                return forbidden(request, perm)
        self.session = get_object_or_404(
            scope(Session.objects.select_related("event", "venue"), request.user), pk=pk
        )
        if self.changes_session:
            check(request.user, self.session, for_change=True)
        return super().dispatch(request, pk, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.session)

    @cached_property
    def session_url(self):
        return reverse("campaigns_bookings_session", args=[self.session.pk])

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("events_sessions:index"), "label": "Sessions"},
            {"url": self.session_url, "label": str(self.session)},
            {"url": "", "label": self.page_title},
        ]


class SessionBookingsView(SessionStaffMixin, TemplateView):
    """A session's own staff page: its bookings and waiting list, and what staff can do about them."""

    template_name = "campaigns/bookings/admin/session.html"
    page_title = "Session bookings"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("events_sessions:index"), "label": "Sessions"},
            {"url": "", "label": str(self.session)},
        ]

    def get_context_data(self, **kwargs):
        user = self.request.user
        bookings = (
            Booking.objects.filter(session=self.session)
            .select_related("organisation", "campaign")
            .order_by("status", "organisation__name", "booker_name", "pk")
        )
        waiting = (
            WaitingListEntry.objects.filter(session=self.session)
            .select_related("organisation")
            .order_by("position", "pk")
        )
        return super().get_context_data(
            session=self.session,
            bookings=bookings,
            waiting=waiting,
            can_cancel=user.has_perm("events.change_session") and user.has_perm("campaigns.change_booking"),
            can_change=user.has_perm("campaigns.change_booking"),
            can_message=user.has_perm("campaigns.change_booking") and not self.session.is_cancelled,
            **kwargs,
        )


class SignInSheetView(SessionStaffMixin, TemplateView):
    """The printable register / sign-in sheet for the day: counts per school or group (never a child's name),
    and names only of adults booked on to professional training. For staff who take registers or manage
    bookings."""

    permissions = ()
    any_permission = (TAKE_REGISTER, "campaigns.view_booking")
    template_name = "campaigns/bookings/admin/sign_in_sheet.html"
    page_title = "Sign-in sheet"

    def get_context_data(self, **kwargs):
        bookings = list(
            Booking.objects.confirmed()
            .filter(session=self.session)
            .select_related("organisation")
            .order_by("organisation__name", "booker_name", "pk")
        )
        named = self.session.event.specific.attendees_named
        groups = [b for b in bookings if b.organisation_id]
        people = [b for b in bookings if not b.organisation_id]
        return super().get_context_data(
            session=self.session,
            groups=groups,
            people=people,
            named=named,
            totals={
                "pupils": sum(b.pupils for b in bookings),
                "staff": sum(b.staff for b in bookings),
                "adults": sum(b.adults + b.guests for b in bookings) + sum(1 for b in people),
                "places": sum(b.places for b in bookings),
            },
            blank_rows=range(5),
            **kwargs,
        )


class MessageBookersView(SessionStaffMixin, FormView):
    """Email everyone booked on the session: one message, to each booker once, kept in the audit log."""

    permissions = ("campaigns.change_booking",)
    template_name = "campaigns/bookings/admin/message_bookers.html"
    page_title = "Email everyone booked"
    form_class = SessionMessageForm

    def get_initial(self):
        return {"key": session_changes.new_message_key()}

    def get_context_data(self, **kwargs):
        addresses = (
            Booking.objects.confirmed()
            .filter(session=self.session)
            .exclude(booker_email="")
            .values_list("booker_email", flat=True)
        )
        return super().get_context_data(
            session=self.session, recipients=len({a.strip().lower() for a in addresses}), **kwargs
        )

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            sent = session_changes.email_session_bookers(
                self.session,
                subject=data["subject"],
                message=data["message"],
                key=data["key"],
                user=self.request.user,
            )
        except ServiceError as exc:
            if exc.code == "already_sent":
                messages.info(self.request, exc.message)
                return redirect(self.session_url)
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(
            self.request, f"Your message is being emailed to {sent} booker{'s' if sent != 1 else ''}."
        )
        return redirect(self.session_url)


class CancelSessionView(SessionStaffMixin, FormView):
    """Cancel a session and settle its bookings in one step: all moved to another session, or all cancelled.
    Either way its waiting list is closed and everyone is emailed once. A session cancelled earlier with
    bookings left on it can be settled here too."""

    permissions = ("events.change_session", "campaigns.change_booking")
    changes_session = True
    template_name = "campaigns/bookings/admin/cancel_session.html"
    page_title = "Cancel session"
    form_class = CancelSessionForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "targets": session_changes.move_targets(self.session),
            "places": session_changes.places_to_move(self.session),
        }

    def get_context_data(self, **kwargs):
        holding = Booking.objects.holding_places().filter(session=self.session)
        waiting = WaitingListEntry.objects.filter(
            session=self.session, status__in=session_changes.OPEN_WAITING
        )
        return super().get_context_data(
            session=self.session,
            bookings=holding.count(),
            places=session_changes.places_to_move(self.session),
            waiting=waiting.count(),
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        if self.session.is_cancelled and not self._anything_left():
            messages.info(request, "This session is cancelled and has no bookings or waiting list left.")
            return redirect(self.session_url)
        return super().get(request, *args, **kwargs)

    def _anything_left(self):
        return (
            Booking.objects.holding_places().filter(session=self.session).exists()
            or WaitingListEntry.objects.filter(
                session=self.session, status__in=session_changes.OPEN_WAITING
            ).exists()
        )

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def form_valid(self, form):
        data = form.cleaned_data
        user = self.request.user
        try:
            with transaction.atomic():
                moved = 0
                if data["settle"] == SettleChoice.MOVE:
                    moved = session_changes.move_session_bookings(self.session, data["target"], user=user)
                if self.session.is_cancelled:
                    cancelled, closed = session_changes.settle_cancelled_session(self.session, user=user)
                else:
                    session_service.cancel_session(self.session, user=user)
        except ServiceError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        if moved:
            messages.success(
                self.request,
                f"Session cancelled. {moved} booking{'s' if moved != 1 else ''} moved to {data['target']}; "
                "each booker is emailed.",
            )
        else:
            messages.success(
                self.request,
                "Session cancelled. Its bookings are cancelled and everyone booked or waiting is emailed.",
            )
        return redirect(self.session_url)


bookings_viewset = BookingViewSet("campaigns_bookings", url_prefix="bookings")
waiting_viewset = WaitingListViewSet("campaigns_waiting", url_prefix="waiting-list")
drift_viewset = CapacityDriftViewSet("campaigns_drift", url_prefix="capacity-checks")


class BookingsGroup(ModelViewSetGroup):
    menu_label = "Bookings"
    menu_icon = "tick-inverse"
    menu_order = 210
    items = (bookings_viewset, waiting_viewset, drift_viewset)


def admin_urls():
    return [
        path(
            "bookings-summary/",
            SessionSummaryView.as_view(),
            name="campaigns_bookings_session_summary",
        ),
        path(
            "bookings-summary/results/",
            SessionSummaryView.as_view(results_only=True),
            name="campaigns_bookings_session_summary_results",
        ),
        path("session-bookings/<int:pk>/", SessionBookingsView.as_view(), name="campaigns_bookings_session"),
        path(
            "session-bookings/<int:pk>/sheet/",
            SignInSheetView.as_view(),
            name="campaigns_bookings_sign_in_sheet",
        ),
        path(
            "session-bookings/<int:pk>/email/",
            MessageBookersView.as_view(),
            name="campaigns_bookings_message",
        ),
        path(
            "session-bookings/<int:pk>/cancel/",
            CancelSessionView.as_view(),
            name="campaigns_bookings_cancel_session",
        ),
        path(
            "waiting-list/<int:pk>/move/<str:direction>/",
            move_waiting_entry,
            name="campaigns_bookings_move_waiting",
        ),
    ]
