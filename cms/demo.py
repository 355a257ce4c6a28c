"""Demo content for the site shell: the demo admin account, the plain pages and a partnership of three
fictional councils (marked demo, with numbers in Ofcom's drama ranges, which never reach anyone)."""

import os
import secrets

from django.contrib.auth import get_user_model

from cms.models import Authority, HomePage, StandardPage

DEMO_ADMIN_USERNAME = "admin"


# Three fictional councils sharing the register sample's local authorities between them, so every sample
# school belongs to one. Ofcom keeps 0113 496 0xxx and 020 7946 0xxx for drama: no real person answers.
DEMO_COUNCILS = [
    {
        "code": "northshire",
        "name": "Northshire Council",
        "la_codes": ["883", "881"],
        "postcode_districts": ["RM16", "RM17", "RM18", "RM20", "SS17", "CM1", "CM2"],
        "front_door_phone": "0113 496 0000",
        "front_door_hours": "Monday to Friday, 9am to 5pm",
        "out_of_hours_phone": "0113 496 0999",
        "referral_email": "front.door@northshire.example.gov.uk",
        "lado_phone": "0113 496 0050",
        "lado_email": "lado@northshire.example.gov.uk",
        "team_email": "campaigns@northshire.example.gov.uk",
    },
    {
        "code": "eastmouth",
        "name": "Eastmouth Borough Council",
        "la_codes": ["882"],
        "postcode_districts": ["SS0", "SS1", "SS2", "SS3", "SS9"],
        "front_door_phone": "020 7946 0100",
        "front_door_hours": "Monday to Thursday, 8.30am to 5pm; Friday, 8.30am to 4.30pm",
        "out_of_hours_phone": "020 7946 0199",
        "referral_email": "childrens.services@eastmouth.example.gov.uk",
        "lado_phone": "020 7946 0150",
        "lado_email": "lado@eastmouth.example.gov.uk",
        "team_email": "safe.together@eastmouth.example.gov.uk",
    },
    {
        "code": "westvale",
        "name": "Westvale Council",
        "la_codes": ["886", "895", "875"],
        "postcode_districts": ["ME14", "ME15", "CW1", "CW2", "CH1"],
        "front_door_phone": "0113 496 0200",
        "front_door_hours": "Monday to Friday, 9am to 5pm",
        "out_of_hours_phone": "0113 496 0299",
        "referral_email": "mash@westvale.example.gov.uk",
        "lado_phone": "0113 496 0250",
        "lado_email": "lado@westvale.example.gov.uk",
        "team_email": "campaigns@westvale.example.gov.uk",
    },
]


def seed(out):
    ensure_demo_admin(out)
    ensure_demo_councils()
    home = HomePage.objects.first()
    _ensure_standard_page(
        home,
        slug="about",
        title="About Safe Together",
        intro="Safe Together helps schools, families and communities keep children safe from sexual "
        "exploitation, online and offline.",
        body="<p>We are a partnership of the council, the police, schools, health services and voluntary "
        "groups. We run awareness sessions for pupils, parents and carers, faith and community groups, and "
        "for professionals who work with children.</p>",
    )
    _ensure_standard_page(
        home,
        slug="privacy",
        title="Privacy",
        intro="What we store about you, and why.",
        body="<h2>Cookies and tracking</h2>"
        "<p>This site sets no tracking or advertising cookies and loads no scripts, fonts or videos from other "
        "websites until you choose to play a video. Reading pages and downloading materials sets no cookie at "
        "all. Forms that send us information (such as booking a place) use one security cookie that stops "
        "other websites sending forms in your name.</p>"
        "<h2>What we count</h2>"
        "<p>We count how many times each document is downloaded each day, and, when you follow a link from one "
        "of our emails, which campaign or school the link was for. We do not record who you are, your IP "
        "address or your device.</p>"
        "<h2>Bookings and training</h2>"
        "<p>If you book a session we keep the details you give us (name, email, phone) to manage your booking "
        "and send reminders, and delete them after our retention period. For professional training we keep "
        "attendance records so licensing teams can check certificates. We count children who attend sessions; "
        "we never record their names.</p>"
        "<h2>Leaving quickly</h2>"
        "<p>The 'Leave this site quickly' button (or the Esc key) replaces this page with a weather website. "
        "It does not delete your browsing history: use your browser's private window if you are worried "
        "someone may check.</p>",
    )


def ensure_demo_admin(out):
    User = get_user_model()
    if User.objects.filter(username=DEMO_ADMIN_USERNAME).exists():
        return
    password = os.environ.get("DEMO_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
    User.objects.create_superuser(
        username=DEMO_ADMIN_USERNAME,
        email="admin@safe-together.example",
        password=password,
        first_name="Demo",
        last_name="Administrator",
    )
    if os.environ.get("DEMO_ADMIN_PASSWORD"):
        out.write(f"Created the demo admin account '{DEMO_ADMIN_USERNAME}' with DEMO_ADMIN_PASSWORD.")
    else:
        out.write(
            f"Created the demo admin account '{DEMO_ADMIN_USERNAME}' with password: {password}\n"
            "  (shown once; set DEMO_ADMIN_PASSWORD to choose it)"
        )


def _ensure_standard_page(parent, *, slug, title, intro, body):
    if parent is None or parent.get_children().filter(slug=slug).exists():
        return
    parent.add_child(instance=StandardPage(title=title, slug=slug, intro=intro, body=body))


def ensure_demo_councils():
    """The demo partnership, only where nobody has set up a real council. A demo council made before is
    left as it is, except that an area left empty (an earlier demo's one council) is filled in."""
    if Authority.objects.filter(is_demo=False).exists():
        return
    for spec in DEMO_COUNCILS:
        fields = {key: value for key, value in spec.items() if key != "code"}
        council, created = Authority.objects.get_or_create(
            code=spec["code"], defaults={**fields, "is_demo": True}
        )
        if not created and not (council.la_codes or council.postcode_districts):
            council.la_codes = spec["la_codes"]
            council.postcode_districts = spec["postcode_districts"]
            council.save(update_fields=["la_codes", "postcode_districts"])
