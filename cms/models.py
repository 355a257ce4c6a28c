"""The site shell: the home page, plain standard pages, the help contacts, the partner councils and the
background-job heartbeat."""

from django.conf import settings
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

    def serve(self, request, *args, **kwargs):
        """Anonymous visitors get the page from the cache while its panels show the same (each panel's
        fingerprint, cms.extensions.HomePagePanel), so "Coming up" stays exact."""
        from cms.extensions import home_page_fingerprint
        from cms.page_cache import cached_live_response

        def fingerprint():
            return home_page_fingerprint(self._panels(request))

        return cached_live_response(
            request, fingerprint, lambda: super(HomePage, self).serve(request, *args, **kwargs)
        )

    def _panels(self, request):
        """The home page's panels for this request, worked out once (the cache key and the page agree)."""
        from cms.extensions import home_page_panels

        if getattr(request, "home_page_panels", None) is None:
            request.home_page_panels = home_page_panels(request)
        return request.home_page_panels

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Audience routes, current campaigns and upcoming sessions come from higher apps through the
        # `register_home_page_panel` hook (see cms/wagtail_hooks.py); cms never imports them.
        context["panels"] = self._panels(request)
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
        FieldPanel("quick_exit_url"),
    ]

    class Meta:
        verbose_name = "help contacts"


class AuthorityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The councils whose work `user` sees: all of them for partnership coordinators, else their own."""
        if sees_whole_partnership(user):
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(members=user)

    def covering(self, local_authority_code):
        """The council whose area includes this GIAS local-authority code (e.g. "883"), or None."""
        code = str(local_authority_code or "").strip()
        if not code:
            return None
        return next((a for a in self.all() if code in a.la_codes), None)


COORDINATE_PARTNERSHIP = "cms.coordinate_partnership"


def sees_whole_partnership(user):
    """Partnership coordinators (and administrators) see every council's work."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_superuser or user.has_perm(COORDINATE_PARTNERSHIP))
    )


class Authority(models.Model):
    """A partner council: the area it covers and its own safeguarding contacts.

    One instance can serve a partnership of councils (for example Southend, Essex and Thurrock). Each runs
    its own campaigns and events, its staff see their own council's work, and the public see its contacts
    on the pages that belong to it. A single-council install has exactly one.
    """

    name = models.CharField(max_length=120, unique=True, help_text="e.g. 'Thurrock Council'.")
    code = models.SlugField(
        max_length=16, unique=True, help_text="Short code used in links and filters, e.g. 'thurrock'."
    )
    la_codes = models.JSONField(
        "local-authority codes",
        default=list,
        blank=True,
        help_text='The GIAS local-authority codes the council covers, e.g. ["883"]. Schools from the national '
        "register are assigned to the council that covers their code.",
    )
    postcode_districts = models.JSONField(
        default=list,
        blank=True,
        help_text='Postcode districts in the area, e.g. ["RM16", "RM17", "SS17"], for the "Where do you live?" '
        "look-up. Nothing is sent anywhere: the look-up uses only this list.",
    )
    is_demo = models.BooleanField(
        default=False, help_text="Demo data: a fictional council whose numbers must not be called."
    )
    front_door_phone = models.CharField(
        "children's services front door",
        max_length=30,
        blank=True,
        help_text="The number for reporting a concern about a child in this area (MASH or front door).",
    )
    front_door_hours = models.CharField(
        max_length=120,
        blank=True,
        help_text="When the front door answers, e.g. 'Monday to Friday, 9am to 5pm'.",
    )
    out_of_hours_phone = models.CharField(
        "emergency duty team (out of hours)",
        max_length=30,
        blank=True,
        help_text="Evenings, weekends and bank holidays.",
    )
    referral_email = models.EmailField(
        "MASH or referral email", blank=True, help_text="For professionals making a written referral."
    )
    lado_phone = models.CharField("LADO phone", max_length=30, blank=True)
    lado_email = models.EmailField(
        "LADO email",
        blank=True,
        help_text="The Local Authority Designated Officer: concerns about adults who work with children.",
    )
    team_email = models.EmailField(
        "campaign team email",
        blank=True,
        help_text="Replies to booking and invitation emails for this council's campaigns go here.",
    )
    website = models.URLField(blank=True, max_length=300)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="authorities",
        help_text="Staff who work for this council: they see and change its campaigns, organisations and figures.",
    )

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "partner council"
        verbose_name_plural = "partner councils"
        permissions = [("coordinate_partnership", "see and change every partner council's work")]

    def __str__(self):
        return f"{self.name} (demo)" if self.is_demo else self.name

    def covers_postcode(self, postcode):
        """True when the postcode's district (the part before the space) is in this council's list."""
        outward = postcode_district(postcode)
        return bool(outward) and outward in {d.upper().replace(" ", "") for d in self.postcode_districts}


def postcode_district(postcode):
    """The outward code of a UK postcode ("RM17 6SL" → "RM17"); "" when it does not look like one."""
    text = "".join(str(postcode or "").upper().split())
    if not 2 <= len(text) <= 7 or not text.isalnum() or not text[0].isalpha():
        return ""
    # A full postcode ends in digit-letter-letter (the inward code); what comes before is the district.
    if len(text) >= 5 and text[-3].isdigit() and text[-2:].isalpha():
        return text[:-3]
    return text


class JobHeartbeat(models.Model):
    """When each scheduled job last ran, so staff can see the background worker is alive."""

    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField()
    runs = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
