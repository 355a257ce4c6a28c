"""Venues, the What's-on pages and sessions: each occurrence of an event with its capacity.

`Session.places_taken` is the booking side's counter. It is changed only by the conditional UPDATE
statements in campaigns' booking services and is guarded here by a database CHECK constraint, so
capacity holds however many requests arrive at once.
"""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.partnership import ScopedPageForm, ScopedPagePermissionTester
from events.panels import SessionsPanel
from resources.taxonomy import Audience, is_child_audience


class Venue(index.Indexed, models.Model):
    name = models.CharField(max_length=200)
    address = models.TextField(help_text="Full postal address, one line per row.")
    postcode = models.CharField(max_length=10)
    capacity_guidance = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many people the room holds comfortably."
    )
    accessibility_notes = models.TextField(blank=True)
    directions = models.TextField(blank=True, help_text="How to get there, without a map.")
    updated_at = models.DateTimeField(auto_now=True)

    search_fields = [index.SearchField("name"), index.SearchField("postcode")]
    panels = [
        FieldPanel("name"),
        FieldPanel("address"),
        FieldPanel("postcode"),
        FieldPanel("capacity_guidance"),
        FieldPanel("accessibility_notes"),
        FieldPanel("directions"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def one_line_address(self):
        lines = [line.strip() for line in self.address.splitlines() if line.strip()]
        return ", ".join([self.name, *lines, self.postcode])


class EventIndexPage(Page):
    """What's on: each event's next few upcoming sessions, with a link to the event page for the rest."""

    intro = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["events.EventPage"]
    max_count = 1

    def serve(self, request, *args, **kwargs):
        """Anonymous visitors get the page from the cache while nothing it shows has changed: the key holds
        the listing's state (events.selectors.listing_state, one aggregate of places taken, times, venues
        and booking windows as seen now, whatever the size of the programme), so a booking shows at once.
        A page is stored only if the state read again after rendering it is the same, so a booking made
        while it was rendered is never hidden (cms.page_cache.cached_live_response)."""
        from cms.page_cache import cached_live_response
        from events.selectors import listing_state

        filters = self._filters(request)
        now = timezone.now()

        def fingerprint():
            state = listing_state(area=filters.area_id, now=now, request=request)
            if getattr(request, "whats_on_state", None) is None:
                request.whats_on_state = state  # the page is built from the events this state read
            return state.digest

        return cached_live_response(
            request,
            fingerprint,
            lambda: super(EventIndexPage, self).serve(request, *args, **kwargs),
            confirm=True,
        )

    def _filters(self, request):
        from events.selectors import listing_filters

        if getattr(request, "whats_on_filters", None) is None:
            request.whats_on_filters = listing_filters(request.GET)
        return request.whats_on_filters

    def _read_listing(self, request):
        """The listing's values for this request, read once, from the state the cache key was made of."""
        from events.selectors import read_whats_on

        if getattr(request, "whats_on_read", None) is None:
            filters = self._filters(request)
            request.whats_on_read = read_whats_on(
                audience=filters.audience,
                kind=filters.kind,
                area=filters.area_id,
                request=request,
                state=getattr(request, "whats_on_state", None),
            )
        return request.whats_on_read

    def get_context(self, request, *args, **kwargs):
        from cms.councils import public_councils
        from events.selectors import whats_on_from

        context = super().get_context(request, *args, **kwargs)
        listing = whats_on_from(self._read_listing(request))
        filters = request.whats_on_filters
        context["filters"] = filters
        context["events_with_sessions"] = listing.groups
        # Only the choices that lead to upcoming sessions are offered, each with its number of sessions;
        # a chosen one with none (from an old link) stays visible so the page can say so.
        audiences, kinds = listing.audiences, listing.kinds
        # Partner councils, for the "Where do you live?" choice and each event's "run by" (plain values).
        context["area_councils"] = public_councils()
        context["show_run_by"] = len(context["area_councils"]) > 1
        context["audience_choices"] = [
            (value, label, audiences.get(value, 0))
            for value, label in Audience.choices
            if value in audiences or value == filters.audience
        ]
        context["kind_choices"] = [
            (value, label, kinds.get(value, 0))
            for value, label in EventKind.choices
            if value in kinds or value == filters.kind
        ]
        if not context["events_with_sessions"]:
            context["materials_url"] = materials_link(filters.audience)
        return context


def materials_link(audience):
    """The materials library, narrowed to `audience` when there is one: a way on when no session is."""
    from resources.models import ResourceIndexPage

    library = ResourceIndexPage.objects.live().public().first()
    if library is None:
        return ""
    if not audience:
        return library.url
    return f"{library.url}?{'age' if is_child_audience(audience) else 'audience'}={audience}"


class EventKind(models.TextChoices):
    PUPIL_ROADSHOW = "pupil-roadshow", _("Pupil roadshow")
    PARENT_SESSION = "parent-session", _("Parent and carer session")
    PROFESSIONAL_TRAINING = "professional-training", _("Professional training")
    DSL_BRIEFING = "dsl-briefing", _("Head teacher and DSL briefing")
    FAITH_COMMUNITY = "faith-community", _("Faith and community session")


class BookingMode(models.TextChoices):
    ORGANISATION = "organisation", "By organisation (numbers of pupils, staff, adults)"
    INDIVIDUAL = "individual", "By individual"


class EventPage(Page):
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    audience = models.CharField(max_length=32, choices=Audience.choices)
    description = RichTextField(blank=True)
    what_to_bring = models.TextField(blank=True)
    attendees_named = models.BooleanField(
        default=False, help_text="Attendees are named on the register (professional training)."
    )
    booking_mode = models.CharField(
        max_length=16, choices=BookingMode.choices, default=BookingMode.ORGANISATION
    )
    max_guests_per_booking = models.PositiveSmallIntegerField(
        default=0, help_text="Guests an individual may bring (parent sessions)."
    )
    authority = models.ForeignKey(
        "cms.Authority",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name="run by",
        help_text="The partner council that runs this event. Leave empty for one the partnership runs together.",
    )

    search_fields = Page.search_fields + [index.SearchField("description")]
    base_form_class = ScopedPageForm  # "run by" offers the editor's own councils (cms.partnership)
    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("audience"),
        FieldPanel("authority"),
        FieldPanel("description"),
        FieldPanel("what_to_bring"),
        MultiFieldPanel(
            [
                FieldPanel("booking_mode"),
                FieldPanel("attendees_named"),
                FieldPanel("max_guests_per_booking"),
            ],
            heading="Booking",
        ),
        InlinePanel(
            "materials",
            heading="Linked materials",
            label="Material",
            help_text="Pages to read before the session or to use afterwards.",
        ),
        SessionsPanel(heading="Sessions"),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    def permissions_for_user(self, user):
        """Staff change only their own council's events (cms.partnership), by every route."""
        return ScopedPagePermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        from cms.councils import belongs_to_council
        from events.selectors import (
            event_page_materials,
            event_page_sessions,
            mark_booking_routes,
            session_rows,
        )

        context = super().get_context(request, *args, **kwargs)
        page_of_sessions = event_page_sessions(self, page_number=request.GET.get("page"))
        sessions = mark_booking_routes(page_of_sessions.object_list)
        context["sessions"] = sessions
        context["rows"] = session_rows(sessions)
        context["sessions_page"] = page_of_sessions
        # The venues of the sessions on this page, so every venue link in the table has its section.
        venues = {}
        for session in sessions:
            venues.setdefault(session.venue_id, session.venue)
        context["venues"] = list(venues.values())
        context["materials"] = event_page_materials(self)
        # The help banner names the running council's contacts only; a joint event offers the choice of area.
        belongs_to_council(request, self.authority)
        return context


class MaterialStage(models.TextChoices):
    BEFORE = "before", "Before the session"
    AFTER = "after", "After the session"


class EventMaterial(Orderable):
    """A page linked from an event: something to read before the session or to use afterwards."""

    event = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="materials")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=8, choices=MaterialStage.choices, default=MaterialStage.BEFORE)

    panels = [PageChooserPanel("page"), FieldPanel("stage")]

    def __str__(self):
        return f"{self.get_stage_display()}: {self.page.title}"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class SessionQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(starts_at__gte=timezone.now()).order_by("starts_at")

    def scheduled(self):
        return self.filter(status=SessionStatus.SCHEDULED)


class Session(models.Model):
    """One occurrence of an event: a time, a place and a number of places.

    Sessions are a plain model, not page children: page revisions would otherwise carry a stale
    `places_taken` back into the database when an event page is published.
    """

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="sessions")
    capacity = models.PositiveIntegerField()
    places_taken = models.PositiveIntegerField(default=0, editable=False)
    booking_opens_at = models.DateTimeField(null=True, blank=True)
    booking_closes_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    sequence = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Calendar revision: goes up whenever the time, place or status changes.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(places_taken__lte=F("capacity")) & Q(places_taken__gte=0),
                name="session_places_within_capacity",
                violation_error_message="A session's capacity cannot be below the places already taken.",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="session_ends_after_start",
                violation_error_message="A session must end after it starts.",
            ),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.event.title}, {local:%a %-d %b %Y %H:%M} at {self.venue.name}"

    @property
    def starts_local(self):
        return timezone.localtime(self.starts_at).strftime("%Y-%m-%d %H:%M")

    @property
    def ends_local(self):
        return timezone.localtime(self.ends_at).strftime("%Y-%m-%d %H:%M")

    @property
    def places_left(self):
        return max(self.capacity - self.places_taken, 0)

    @property
    def is_full(self):
        return self.places_taken >= self.capacity

    @property
    def is_cancelled(self):
        return self.status == SessionStatus.CANCELLED

    @property
    def has_started(self):
        return self.starts_at <= timezone.now()

    def is_open_for_booking(self, now=None):
        return booking_is_open(
            status=self.status,
            starts_at=self.starts_at,
            opens_at=self.booking_opens_at,
            closes_at=self.booking_closes_at,
            now=now,
        )


def booking_is_open(*, status, starts_at, opens_at, closes_at, now=None):
    """Whether a session with these values takes bookings at `now`: scheduled, not started, in its window."""
    now = now or timezone.now()
    if status == SessionStatus.CANCELLED or starts_at <= now:
        return False
    if opens_at and now < opens_at:
        return False
    return not (closes_at and now >= closes_at)
