"""The site shell: the home page, plain standard pages, the help contacts, and the background-job heartbeat."""

from django.db import models
from django.http import Http404
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Locale, Page
from wagtail.search import index


class HomePage(Page):
    intro = models.TextField(blank=True, help_text="One or two sentences under the site title.")
    body = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    def route(self, request, path_components):
        """A translated home page serves the English page at the same address when its own language has
        none yet (/pl/events/ before What's on is translated), so switching language never leads to a 404."""
        try:
            return super().route(request, path_components)
        except Http404:
            default = Locale.get_default()
            english = None if self.locale_id == default.pk else self.get_translation_or_none(default)
            if english is None or not path_components:
                raise
            request.language_fallback = self.locale
            return english.specific.route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from cms.extensions import home_page_panels

        context = super().get_context(request, *args, **kwargs)
        # Audience routes, current campaigns and upcoming sessions come from higher apps through the
        # `register_home_page_panel` hook (see cms/wagtail_hooks.py); cms never imports them.
        context["panels"] = home_page_panels(request)
        return context


class StandardPage(Page):
    """About, contact, privacy and other plain pages."""

    intro = models.TextField(blank=True)
    body = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]


@register_setting(icon="help")
class SafeguardingSettings(BaseSiteSetting):
    """Who to call: shown in the "Worried about a child?" banner on every public page, editable per site."""

    emergency_number = models.CharField(max_length=20, default="999")
    police_non_emergency = models.CharField(max_length=20, default="101")
    nspcc_helpline = models.CharField("NSPCC Helpline", max_length=30, default="0808 800 5000")
    childline = models.CharField(max_length=30, default="0800 1111")
    ceop_url = models.URLField(
        "CEOP Safety Centre", default="https://www.ceop.police.uk/Safety-Centre/", max_length=300
    )
    local_authority_name = models.CharField(
        max_length=120,
        blank=True,
        help_text="e.g. 'Northshire County Council'. Shown before the local numbers.",
    )
    mash_phone = models.CharField(
        "children's services front door (MASH)",
        max_length=30,
        blank=True,
        help_text="The local number for reporting a concern about a child. Leave blank until you have it: "
        "the banner then points to the police on 101.",
    )
    out_of_hours_phone = models.CharField(
        "out-of-hours number",
        max_length=30,
        blank=True,
        help_text="Emergency duty team, evenings and weekends.",
    )
    quick_exit_url = models.URLField(
        default="https://www.bbc.co.uk/weather",
        max_length=300,
        help_text="The neutral site the quick-exit button opens in place of this one.",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("emergency_number"),
                FieldPanel("police_non_emergency"),
                FieldPanel("nspcc_helpline"),
                FieldPanel("childline"),
                FieldPanel("ceop_url"),
            ],
            heading="National help",
        ),
        MultiFieldPanel(
            [FieldPanel("local_authority_name"), FieldPanel("mash_phone"), FieldPanel("out_of_hours_phone")],
            heading="Local children's services",
        ),
        FieldPanel("quick_exit_url"),
    ]

    class Meta:
        verbose_name = "help contacts"


class JobHeartbeat(models.Model):
    """When each scheduled job last ran, so staff can see the background worker is alive."""

    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField()
    runs = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
