"""Admin screens for venues and sessions. Session screens call `events.services`, so every change is
logged and changes of time, venue or status reach the people booked."""

import django_filters
from django.contrib import messages
from django.db import transaction
from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.admin.widgets.button import HeaderButton

from cms.errors import ServiceError, ServiceFormMixin
from cms.partnership import ScopedViewSetMixin, scoped_view
from events import services
from events.forms import RepeatingSessionsForm, SessionForm
from events.models import EventPage, Session, SessionStatus, Venue


class VenueDeleteView(generic.DeleteView):
    refusal = "This venue has sessions, so it cannot be deleted. Move or delete its sessions first."

    def dispatch(self, request, *args, **kwargs):
        if self.object.sessions.exists():
            messages.error(request, self.refusal)
            return redirect(self.edit_url_name, self.object.pk)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ProtectedError:
            messages.error(self.request, self.refusal)
            return redirect(self.edit_url_name, self.object.pk)


class VenueViewSet(ModelViewSet):
    model = Venue
    delete_view_class = VenueDeleteView
    icon = "site"
    menu_label = "Venues"
    add_to_admin_menu = False
    list_display = ["name", "postcode", "capacity_guidance"]
    search_fields = ["name", "postcode", "address"]
    search_backend_name = None
    list_export = ["name", "address", "postcode", "capacity_guidance", "accessibility_notes", "directions"]
    export_filename = "venues"
    copy_view_enabled = False
    inspect_view_enabled = True


def _local(value, fmt):
    return timezone.localtime(value).strftime(fmt) if value else ""


class SessionFilterSet(WagtailFilterSet):
    event = django_filters.ModelChoiceFilter(queryset=EventPage.objects.order_by("title"))
    venue = django_filters.ModelChoiceFilter(queryset=Venue.objects.all())
    status = django_filters.ChoiceFilter(choices=SessionStatus.choices)
    starts_at = django_filters.DateFromToRangeFilter(label="Date", widget=DateRangePickerWidget)

    class Meta:
        model = Session
        fields = ["event", "venue", "status", "starts_at"]


class SessionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("event", "venue")

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.add_url:
            buttons.append(
                HeaderButton(
                    "Add repeating sessions", url=reverse("events_sessions:recurring"), icon_name="repeat"
                )
            )
        return buttons


class SessionCreateView(ServiceFormMixin, generic.CreateView):
    def get_initial(self):
        initial = super().get_initial()
        event = self.request.GET.get("event", "")
        if event.isascii() and event.isdigit():
            initial["event"] = event
        return initial

    def save_instance(self):
        data = self.form.cleaned_data
        return services.create_session(
            user=self.request.user, **{field: data[field] for field in services.EDITABLE_FIELDS}
        )


class SessionEditView(ServiceFormMixin, generic.EditView):
    # The booking side's screen for this session (its bookings, waiting list, register sheet and the
    # cancellation that settles them), named here by URL only: events never imports campaigns.
    BOOKINGS_URL_NAME = "campaigns_bookings_session"

    @cached_property
    def header_buttons(self):
        # A new list: Wagtail's own may be shared by every request, and appending to it would repeat the button.
        buttons = list(super().header_buttons)
        try:
            url = reverse(self.BOOKINGS_URL_NAME, args=[self.object.pk])
        except NoReverseMatch:
            return buttons
        return [*buttons, HeaderButton("Bookings, register and cancelling", url=url, icon_name="list-ul")]

    def save_instance(self):
        data = self.form.cleaned_data
        session = services.update_session(
            self.object, user=self.request.user, **{field: data[field] for field in services.EDITABLE_FIELDS}
        )
        self.calendar_changed = bool(set(session.changed_fields) & set(services.CALENDAR_FIELDS))
        self.cancelled = "status" in session.changed_fields and session.is_cancelled
        return session

    def get_success_message(self):
        message = super().get_success_message()
        if getattr(self, "cancelled", False):
            message += (
                " Its bookings are cancelled and its waiting list closed; everyone booked or waiting is "
                "emailed once."
            )
        elif getattr(self, "calendar_changed", False):
            message += " Everyone booked will be sent an updated calendar entry."
        return message


class SessionDeleteView(generic.DeleteView):
    refusal = (
        "This session has bookings, so it cannot be deleted. Cancel it instead (set its status to "
        "Cancelled): everyone booked is told and their calendars are updated."
    )

    def dispatch(self, request, *args, **kwargs):
        if services.session_has_bookings(self.object):
            messages.error(request, self.refusal)
            return redirect(self.edit_url_name, self.object.pk)
        return super().dispatch(request, *args, **kwargs)

    def delete_action(self):
        services.delete_session(self.object, user=self.request.user)

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except (ServiceError, ProtectedError):
            messages.error(self.request, self.refusal)
            return redirect(self.edit_url_name, self.object.pk)


class RepeatingSessionsView(PermissionCheckedMixin, generic.base.WagtailAdminTemplateMixin, FormView):
    """Create a run of sessions from a rule (e.g. the first Tuesday of each quarter) in one step."""

    model = Session
    permission_required = "add"
    form_class = RepeatingSessionsForm
    template_name = "events/admin/repeating_sessions.html"
    page_title = "Add repeating sessions"
    header_icon = "date"
    index_url_name = None

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": "Sessions"},
            {"url": "", "label": self.page_title},
        ]

    def get_initial(self):
        initial = {"frequency": "quarterly", "weekday": 1, "week_of_month": 1, "capacity": 40}
        event = self.request.GET.get("event", "")
        if event.isascii() and event.isdigit():
            initial["event"] = event
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = self.request.get_full_path()
        context["submit_button_label"] = "Create sessions"
        context["submit_button_active_label"] = "Creating sessions…"
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            rule = services.repeating_rule(
                frequency=data["frequency"],
                weekday=data["weekday"],
                week_of_month=data["week_of_month"],
                first_date=data["first_date"],
                until=data["last_date"],
            )
            created = services.create_recurring_sessions(
                data["event"],
                rule,
                start_time=data["start_time"],
                end_time=data["end_time"],
                venue=data["venue"],
                capacity=data["capacity"],
                user=self.request.user,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        if created:
            messages.success(
                self.request,
                f"{len(created)} session{'s' if len(created) != 1 else ''} created for {data['event'].title}.",
            )
        else:
            messages.warning(self.request, "Those sessions already exist: nothing new was created.")
        return redirect(reverse(self.index_url_name) + f"?event={data['event'].pk}")


class SessionViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Session
    icon = "date"
    menu_label = "Sessions"
    add_to_admin_menu = False
    url_namespace = "events_sessions"
    url_prefix = "events/sessions"
    # A session is part of its event: new sessions go only under events the user may change.
    partnership_parents = ("event",)
    index_view_class = SessionIndexView
    add_view_class = SessionCreateView
    edit_view_class = SessionEditView
    delete_view_class = SessionDeleteView
    copy_view_enabled = False
    inspect_view_enabled = True
    filterset_class = SessionFilterSet
    search_fields = ["event__title", "venue__name", "venue__postcode"]
    search_backend_name = None
    ordering = ["starts_at"]
    list_display = [
        # The session's time links to its edit screen (and from there its bookings, register and cancelling).
        TitleColumn(
            "when",
            label="When",
            accessor=lambda s: _local(s.starts_at, "%a %d %b %Y, %H:%M"),
            url_name="events_sessions:edit",
        ),
        Column("event", label="Event", accessor="event.title"),
        Column("venue", label="Venue", accessor="venue.name"),
        "capacity",
        "places_taken",
        "places_left",
        "status",
    ]
    list_export = [
        "pk",
        "event.title",
        "starts_local",
        "ends_local",
        "venue.name",
        "venue.postcode",
        "capacity",
        "places_taken",
        "places_left",
        "status",
        "sequence",
    ]
    export_headings = {
        "pk": "Session",
        "event.title": "Event",
        "starts_local": "Starts (UK time)",
        "ends_local": "Ends (UK time)",
        "venue.name": "Venue",
        "venue.postcode": "Postcode",
        "places_left": "Places left",
        "sequence": "Calendar revision",
    }
    export_filename = "sessions"
    edit_handler = ObjectList(
        [
            FieldPanel("event"),
            FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")], heading="When"),
            FieldPanel("venue"),
            FieldPanel("capacity"),
            MultiFieldPanel(
                [FieldPanel("booking_opens_at"), FieldPanel("booking_closes_at")],
                heading="Booking window",
            ),
            FieldPanel("status"),
        ],
        base_form_class=SessionForm,
    )

    @property
    def repeating_view(self):
        return scoped_view(RepeatingSessionsView, self.partnership_parents).as_view(
            model=self.model,
            index_url_name=self.get_url_name("index"),
            header_icon=self.icon,
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("repeating/", self.repeating_view, name="recurring"),
        ]


class EventPageListingViewSet(ScopedViewSetMixin, PageListingViewSet):
    """Every event page in one list, with "Add event" (under the What's on page chosen, if there are several)."""

    model = EventPage
    icon = "date"
    menu_label = "Events"
    add_to_admin_menu = False
    url_namespace = "events_pages"
    url_prefix = "events/pages"


class EventsViewSetGroup(ModelViewSetGroup):
    menu_label = "Events"
    menu_icon = "date"
    menu_order = 250
    items = (EventPageListingViewSet("event_pages"), SessionViewSet("sessions"), VenueViewSet("venues"))
