"""Demo content for the site shell: the demo admin account and the plain pages."""

import os
import secrets

from django.contrib.auth import get_user_model

from cms.models import HomePage, StandardPage

DEMO_ADMIN_USERNAME = "admin"


def seed(out):
    ensure_demo_admin(out)
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
