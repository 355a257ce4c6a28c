"""The materials library: audiences and topics, the resource index and resource pages, download counts."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Orderable, Page
from wagtail.search import index

from resources.blocks import RICH_TEXT_FEATURES, ResourceBodyBlock
from resources.fields import ChoiceListField
from resources.taxonomy import CHILD_AUDIENCES, DeliveryFormat, Sector, YearGroup
from resources.workflow import EditorialReviewTask, SafeguardingReviewTask  # noqa: F401 (models)


class AudienceTag(models.Model):
    """One row per `taxonomy.Audience`, seeded by migration. The slug is the key, so a filter is one join."""

    slug = models.SlugField(primary_key=True, max_length=30)
    label = models.CharField(max_length=100)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name = "audience"

    def __str__(self):
        return self.label

    @property
    def is_child_band(self):
        return self.slug in CHILD_AUDIENCES


class Topic(index.Indexed, models.Model):
    """An editable subject heading, e.g. grooming or gaming and chat (`/resources/?topic=<slug>`)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, help_text="Used in links; avoid changing it.")
    description = models.TextField(blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ResourceIndexPage(Page):
    """`/resources/`: the library, filtered by `?age=`, `?audience=` and `?topic=`."""

    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["resources.ResourcePage"]
    max_count = 1
    page_size = 12

    def get_context(self, request, *args, **kwargs):
        from resources.filters import ResourceFilters
        from resources.listing import listing_html

        context = super().get_context(request, *args, **kwargs)
        filters = ResourceFilters.from_query(request.GET)
        context["filters"] = filters
        context["listing_html"] = listing_html(self, filters, request, per_page=self.page_size)
        return context

    def route(self, request, path_components):
        """In a translated library, a resource not yet translated is served in English under this address,
        with a note saying so (`language_fallback` on the request), rather than a 404."""
        try:
            return super().route(request, path_components)
        except Http404:
            english = self._untranslated_english_resource(path_components)
            if english is None:
                raise
            request.language_fallback = self.locale
            return english.route(request, [])

    def _untranslated_english_resource(self, path_components):
        default = Locale.get_default()
        if len(path_components) != 1 or self.locale_id == default.pk:
            return None
        english_library = self.get_translation_or_none(default)
        if english_library is None:
            return None
        english = english_library.get_children().filter(slug=path_components[0]).first()
        if english is None or english.get_translation_or_none(self.locale) is not None:
            return None
        return english.specific

    def serve(self, request, *args, **kwargs):
        """Anonymous visitors share cached listings, replaced whenever the library changes (cms/page_cache.py)."""
        from cms.page_cache import cached_public_response

        return cached_public_response(
            request, lambda: super(ResourceIndexPage, self).serve(request, *args, **kwargs)
        )


def days_until_review(review_by, today=None):
    """Whole days from today (the local date) to a review date: negative once it has passed.

    The one piece of date arithmetic behind "Review by", "Overdue by", the public page's "next review by"
    and the weekly reminder, so they always agree.
    """
    return (review_by - (today or timezone.localdate())).days


class ResourcePage(Page):
    summary = models.TextField(max_length=400, help_text="One or two sentences shown in listings and search.")
    listing_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    listing_image_alt = models.CharField(
        "listing image alt text", max_length=250, blank=True, help_text="Required when there is an image."
    )
    body = StreamField(ResourceBodyBlock(), blank=True)
    audiences = ParentalManyToManyField(
        AudienceTag,
        related_name="resources",
        help_text="Who the material is for. Any child age band needs a safeguarding reviewer's approval.",
    )
    topics = ParentalManyToManyField(Topic, related_name="resources", blank=True)
    sectors = ChoiceListField(
        "professional sectors", item_choices=Sector.choices, help_text="For material aimed at professionals."
    )
    delivery_formats = ChoiceListField("delivery format", item_choices=DeliveryFormat.choices)
    year_groups = ChoiceListField("year groups", item_choices=YearGroup.choices)
    facilitator_note = RichTextField(
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text="Guidance for the adult delivering this. Never shown to the public: only to signed-in "
        "professionals, or on pages restricted with page privacy.",
    )
    review_by = models.DateField(null=True, blank=True, help_text="When the content must be checked again.")
    review_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who reviews this page (defaults to its owner).",
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("sectors"),
                FieldPanel("delivery_formats"),
                FieldPanel("year_groups"),
            ],
            heading="Who and how",
        ),
        MultiFieldPanel([FieldPanel("listing_image"), FieldPanel("listing_image_alt")], heading="Image"),
        FieldPanel("body"),
        FieldPanel("facilitator_note"),
        InlinePanel("related_links", label="Related resources"),
        MultiFieldPanel([FieldPanel("review_by"), FieldPanel("review_owner")], heading="Review"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=1.5),
        index.SearchField("body"),
        index.RelatedFields("topics", [index.SearchField("name")]),
    ]
    parent_page_types = ["resources.ResourceIndexPage"]
    subpage_types = []

    def clean(self):
        super().clean()
        if self.listing_image_id and not self.listing_image_alt.strip():
            raise ValidationError({"listing_image_alt": "Describe the image for people who cannot see it."})

    def audience_slugs(self):
        return {audience.slug for audience in self.audiences.all()}

    def effective_review_owner(self):
        return self.review_owner or self.owner

    def review_state(self, today=None):
        """ "Overdue by 3 days", "Due today" or "Due in 10 days"."""
        if self.review_by is None:
            return ""
        days = days_until_review(self.review_by, today)
        if days < 0:
            return f"Overdue by {-days} day{'s' if days != -1 else ''}"
        return "Due today" if days == 0 else f"Due in {days} day{'s' if days != 1 else ''}"

    def review_by_display(self):
        """The review date itself, as the report shows it ("21 Nov 2026")."""
        return f"{self.review_by:%-d %b %Y}" if self.review_by else ""

    @property
    def review_is_current(self):
        """Whether the review date is still to come, so the public page may say when it falls."""
        return self.review_by is not None and days_until_review(self.review_by) >= 0

    def review_owner_display(self):
        owner = self.effective_review_owner()
        return (owner.get_full_name() or owner.get_username()) if owner else "Nobody"

    def review_owner_email(self):
        owner = self.effective_review_owner()
        return owner.email if owner else ""

    def show_facilitator_note(self, request):
        """Facilitator notes are for the adults delivering material, never for the children reading it.

        They render only to a signed-in user, or on a page behind Wagtail page privacy (which the viewer
        has already passed to see the page at all). They are not indexed for search.
        """
        if not self.facilitator_note:
            return False
        if request.user.is_authenticated:
            return True
        return self.get_view_restrictions().exists()

    def get_context(self, request, *args, **kwargs):
        from resources.selectors import related_resources

        context = super().get_context(request, *args, **kwargs)
        context["related"] = related_resources(self)
        context["delivery_formats"] = self._meta.get_field("delivery_formats").labels(self.delivery_formats)
        context["year_groups"] = self._meta.get_field("year_groups").labels(self.year_groups)
        context["sectors"] = self._meta.get_field("sectors").labels(self.sectors)
        context["classroom_only"] = (
            DeliveryFormat.CLASSROOM in self.delivery_formats
            and DeliveryFormat.ASSEMBLY not in self.delivery_formats
        )
        context["show_facilitator_note"] = self.show_facilitator_note(request)
        # Served in English under another language's library (ResourceIndexPage.route): say so.
        context["language_fallback"] = getattr(request, "language_fallback", None)
        return context


class RelatedResource(Orderable):
    page = ParentalKey(ResourcePage, on_delete=models.CASCADE, related_name="related_links")
    resource = models.ForeignKey(ResourcePage, on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("resource", "resources.ResourcePage")]


class DownloadCount(models.Model):
    """Downloads of one document on one day, optionally through one resource and one tracked link.

    No personal data: only counts. Campaign and organisation are plain integers (0 = not attributed),
    because the library must not depend on the campaigns app that owns them.
    """

    day = models.DateField()
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")
    resource = models.ForeignKey(
        ResourcePage, null=True, blank=True, on_delete=models.CASCADE, related_name="download_counts"
    )
    campaign_id = models.PositiveIntegerField(default=0, db_index=True)
    organisation_id = models.PositiveIntegerField(default=0, db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "day",
                "document",
                Coalesce("resource", 0),
                "campaign_id",
                "organisation_id",
                name="download_count_one_row_per_day",
            )
        ]
        indexes = [models.Index(fields=["resource", "day"])]

    def __str__(self):
        return f"{self.document_id} on {self.day}: {self.count}"
