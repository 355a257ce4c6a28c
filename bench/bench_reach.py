"""Reach at national scale: 25,000 organisations, 5,000 sessions, 200,000 bookings with attendance.

Measures the reach figures (in process), the admin reach dashboard and the partner API (over HTTP on a
real server) in time and query count, against the raw SQL aggregates those figures need, in the same run.
`generate()` is also used by the test that shows query counts do not grow with the data.
"""

import contextlib
import datetime
import importlib
import statistics
import time

from django.db import connection, transaction
from django.utils import timezone

LOCAL_AUTHORITIES = [f"Borough {n:02d}" for n in range(40)]

# The tables whose triggers keep the reach summaries current (campaigns/migrations/0016).
SUMMARY_TRIGGER_MIGRATION = "campaigns.migrations.0016_organisation_reach_summaries"


@contextlib.contextmanager
def summary_triggers_suspended():
    """Bulk-load with the reach summary triggers off (each row would otherwise recompute its pair's summary
    as it goes in), then rebuild every summary once from the raw rows. Foreign keys are still checked. All in
    one transaction, so if the load fails the triggers are back as they were."""
    from campaigns.reach import summaries

    migration = importlib.import_module(SUMMARY_TRIGGER_MIGRATION)
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        for table in migration.TABLES:
            if postgresql:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_organisation_reach")
            else:
                for event in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER {table}_organisation_reach_{event}")
        yield
        if postgresql:
            # The deferred foreign-key checks of the rows just loaded, now: a table with checks pending
            # cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in migration.TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_organisation_reach")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as Django's constraints are, again
        else:
            for statement in migration.sqlite_sql():
                cursor.execute(statement)
        summaries.rebuild()


def generate(organisations=25_000, sessions=5_000, bookings=200_000, batch=5_000):
    """A synthetic country: schools in 40 authorities, two years of a campaign series, registers taken."""
    from django.contrib.auth import get_user_model
    from wagtail.models import Page

    from campaigns.models import (
        Attendance,
        Booking,
        BookingKind,
        Campaign,
        CampaignStatus,
        Invitation,
        Organisation,
        OrganisationKind,
    )
    from events.models import EventIndexPage, EventKind, EventPage, Session, Venue
    from resources.taxonomy import Audience

    now = timezone.now()
    today = timezone.localdate()
    root = Page.objects.filter(depth=2).first() or Page.get_first_root_node()
    index = EventIndexPage.objects.first()
    if index is None:
        index = root.add_child(instance=EventIndexPage(title="What's on (bench)", slug="bench-events"))
    events = []
    for n in range(10):
        events.append(
            index.add_child(
                instance=EventPage(
                    title=f"Roadshow {n}",
                    slug=f"bench-roadshow-{n}-{int(time.time() * 1000) % 100000}",
                    kind=EventKind.PUPIL_ROADSHOW,
                    audience=Audience.AGES_8_10,
                )
            )
        )
    campaigns = []
    for year, start in (
        (2026, today - datetime.timedelta(days=400)),
        (2027, today - datetime.timedelta(days=60)),
    ):
        campaign = Campaign.objects.create(
            name=f"Bench Walk Online {year}",
            slug=f"bench-walk-online-{year}",
            code=f"BW{year % 100}",
            series="bench-walk-online",
            audience=Audience.AGES_8_10,
            year_groups=["Y5"],
            target_reach=bookings * 15,
            local_authorities=LOCAL_AUTHORITIES,
            starts_on=start,
            ends_on=start + datetime.timedelta(days=200),
            status=CampaignStatus.OPEN,
        )
        campaign.events.set(events[:5] if year == 2026 else events[5:])
        campaigns.append(campaign)
    venue = Venue.objects.create(name="Bench hall", address="1 Bench Street", postcode="AB1 2CD")

    orgs = [
        Organisation(
            kind=OrganisationKind.SCHOOL if i % 10 else OrganisationKind.FAITH,
            name=f"School {i:05d}",
            urn=100000 + i,
            local_authority=LOCAL_AUTHORITIES[i % 40],
            district=f"District {i % 200}",
            ward=f"Ward {i % 2000}",
            phase="Primary" if i % 3 else "Secondary",
            establishment_type="Academy" if i % 2 else "Community school",
            statutory_low_age=4 if i % 3 else 11,
            statutory_high_age=11 if i % 3 else 16,
        )
        for i in range(organisations)
    ]
    Organisation.objects.bulk_create(orgs, batch_size=batch)
    org_ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))

    Session.objects.bulk_create(
        [
            Session(
                event=events[i % 10],
                venue=venue,
                starts_at=now - datetime.timedelta(days=1 + (i % 10) * 40 + i % 30, hours=i % 5),
                ends_at=now
                - datetime.timedelta(days=1 + (i % 10) * 40 + i % 30, hours=i % 5)
                + datetime.timedelta(hours=3),
                capacity=100_000,
            )
            for i in range(sessions)
        ],
        batch_size=batch,
    )
    session_rows = list(Session.objects.order_by("pk").values_list("pk", "event_id"))
    campaign_for_event = {e.pk: campaigns[0 if n < 5 else 1].pk for n, e in enumerate(events)}

    with summary_triggers_suspended():
        Invitation.objects.bulk_create(
            [
                Invitation(
                    campaign_id=c.pk,
                    organisation_id=org_id,
                    state="opened" if n % 3 else "sent",
                    opened_at=now if n % 3 else None,
                    token=f"bench-{c.pk}-{org_id}",
                )
                for c in campaigns
                for n, org_id in enumerate(org_ids)
                if n % 5
            ],
            batch_size=batch,
        )

        for start in range(0, bookings, batch):
            rows, lines = [], []
            for i in range(start, min(start + batch, bookings)):
                org_index = i % organisations
                k = i // organisations
                session_id, event_id = session_rows[(i + k * 613) % sessions]
                pupils = 10 + i % 40
                rows.append(
                    Booking(
                        reference=f"BN{i:07d}",
                        session_id=session_id,
                        campaign_id=campaign_for_event[event_id],
                        kind=BookingKind.ORGANISATION,
                        organisation_id=org_ids[org_index],
                        year_group="Y5" if i % 4 else "Y6",
                        pupils=pupils,
                        staff=2,
                        places=pupils + 2,
                        booker_name="Teacher",
                        booker_email="teacher@school.example.org",
                        manage_token=f"bench-manage-{i}",
                    )
                )
            created = Booking.objects.bulk_create(rows, batch_size=batch)
            for n, booking in enumerate(created):
                i = start + n
                no_show = i % 20 == 0
                lines.append(
                    Attendance(
                        session_id=booking.session_id,
                        booking=booking,
                        campaign_id=booking.campaign_id,
                        organisation_id=booking.organisation_id,
                        year_group=booking.year_group,
                        pupils=0 if no_show else booking.pupils - i % 3,
                        staff=0 if no_show else 2,
                        no_show=no_show,
                        recorded_at=now,
                    )
                )
            Attendance.objects.bulk_create(lines, batch_size=batch)

    user_model = get_user_model()
    user = user_model.objects.filter(username="bench-admin").first() or user_model.objects.create_superuser(
        "bench-admin", "bench@example.org", "password"
    )
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a load this size: statistics, and the visibility map that lets
        # the year-group figures be read from their indexes alone.
        with connection.cursor() as cursor:
            # VACUUM cannot run in a transaction (the tests that build this data run in one).
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return {"campaigns": campaigns, "user": user}


RAW_SQL = {
    "funnel": """
        SELECT COUNT(*) FILTER (WHERE o.status = 'open' AND o.kind = 'school' AND o.statutory_low_age <= 9
                                AND o.statutory_high_age >= 10),
               COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM campaigns_invitation i
                                               WHERE i.organisation_id = o.id AND i.campaign_id = %(c)s)),
               COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM campaigns_booking b WHERE b.organisation_id = o.id
                                               AND b.campaign_id = %(c)s AND b.status = 'confirmed')),
               COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM campaigns_attendance a WHERE a.organisation_id = o.id
                                               AND a.campaign_id = %(c)s AND NOT a.no_show))
        FROM campaigns_organisation o""",
    "pupils booked": "SELECT SUM(pupils), SUM(staff) FROM campaigns_booking WHERE campaign_id = %(c)s AND status = 'confirmed'",
    "pupils attended": "SELECT SUM(pupils), SUM(staff) FROM campaigns_attendance WHERE campaign_id = %(c)s AND NOT no_show",
    "by local authority": """
        SELECT o.local_authority, SUM(a.pupils) FROM campaigns_attendance a
        JOIN campaigns_organisation o ON o.id = a.organisation_id
        WHERE a.campaign_id = %(c)s AND NOT a.no_show GROUP BY o.local_authority""",
}


def _raw_sql_seconds(campaign_id):
    timings = {}
    with connection.cursor() as cursor:
        for name, sql in RAW_SQL.items():
            if connection.vendor != "postgresql":
                sql = sql.replace("%(c)s", str(int(campaign_id)))
                sql = _sqlite_filters(sql)
                started = time.perf_counter()
                cursor.execute(sql)
            else:
                started = time.perf_counter()
                cursor.execute(sql, {"c": campaign_id})
            cursor.fetchall()
            timings[name] = time.perf_counter() - started
    return timings


def _sqlite_filters(sql):
    # SQLite has FILTER for aggregates since 3.30 too; only the boolean needs spelling out.
    return sql.replace("NOT a.no_show", "a.no_show = 0").replace("NOT no_show", "no_show = 0")


def _median_seconds(fn, repeat=3):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _session_cookie(user):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def run(ctx):
    from bench.support import result
    from campaigns.partner_api import services as partner_tokens
    from campaigns.reach import filters as reach_filters
    from campaigns.reach import selectors as reach

    sizes = {
        "organisations": ctx.scaled(25_000, minimum=500),
        "sessions": ctx.scaled(5_000, minimum=100),
        "bookings": ctx.scaled(200_000, minimum=4_000),
    }
    started = time.perf_counter()
    data = generate(**sizes)
    generated_in = time.perf_counter() - started
    campaign = data["campaigns"][1]
    filters = reach_filters.ReachFilter(campaign_id=campaign.pk)
    scale_note = (
        f"{sizes['organisations']} organisations, {sizes['sessions']} sessions, {sizes['bookings']} bookings"
        f" with attendance (generated in {generated_in:.0f}s)"
    )

    reach.dashboard(filters)  # warm caches
    _, figure_queries = ctx.count_queries(lambda: reach.dashboard(filters))
    figures_seconds = _median_seconds(lambda: reach.dashboard(filters))
    raw = {name: statistics.median(_raw_sql_seconds(campaign.pk)[name] for _ in range(3)) for name in RAW_SQL}
    raw_total = sum(raw.values())

    _, raw_token = partner_tokens.issue_token("Bench partner")
    cookie = _session_cookie(data["user"])
    with ctx.live_server() as base:
        dashboard_path = f"/admin/reach/campaign/{campaign.pk}/"
        api_path = f"/api/v1/reach?campaign={campaign.pk}"
        api_headers = {"Authorization": f"Bearer {raw_token}"}
        # A server process's first admin page or API call also loads templates, URL maps and the admin's
        # menus, which is not what a filter's first view costs: each process is warmed on the other
        # campaign, whose figures are not measured.
        warm = data["campaigns"][0].pk
        for warm_up in (
            [
                (f"/admin/reach/campaign/{warm}/?date_to=2098-12-{d:02d}", None, {"Cookie": cookie})
                for d in range(1, 5)
            ],
            [
                (f"/api/v1/reach?campaign={warm}&date_to=2098-11-{d:02d}", None, api_headers)
                for d in range(1, 5)
            ],
        ):
            ctx.http_load(base, warm_up, concurrency=2)
        # First view of a filter: every figure computed (a different date range each time, so never cached).
        cold_dates = [f"&date_to=2099-01-{day:02d}" for day in range(1, 11)]
        dashboard_cold = ctx.http_load(
            base, [(f"{dashboard_path}?x=1{d}", None, {"Cookie": cookie}) for d in cold_dates], concurrency=2
        )
        api_cold = ctx.http_load(
            base,
            [(f"{api_path}{d.replace('-01-', '-05-')}", None, api_headers) for d in cold_dates],
            concurrency=2,
        )
        # Repeat views: served from the cache until registers, bookings, invitations or training change.
        ctx.http_load(base, [(dashboard_path, None, {"Cookie": cookie})] * 4, concurrency=2)
        dashboard = ctx.http_load(base, [(dashboard_path, None, {"Cookie": cookie})] * 20, concurrency=2)
        ctx.http_load(base, [(api_path, None, api_headers)] * 4, concurrency=2)
        api = ctx.http_load(base, [(api_path, None, api_headers)] * 20, concurrency=2)

    from django.test import Client

    client = Client()
    client.force_login(data["user"])
    # Queries of a first (uncached) view and call: date ranges nobody has asked for yet.
    _, dashboard_queries = ctx.count_queries(lambda: client.get(f"{dashboard_path}?date_to=2099-02-01"))
    _, api_queries = ctx.count_queries(
        lambda: client.get(f"{api_path}&date_to=2099-03-01", HTTP_AUTHORIZATION=f"Bearer {raw_token}")
    )

    raw_note = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in raw.items())
    return [
        result(
            "reach figures (in process)",
            "time for every dashboard figure",
            figures_seconds * 1000,
            "ms",
            "raw SQL: funnel + pupils booked/attended + by LA",
            raw_total * 1000,
            queries=figure_queries,
            notes=f"{scale_note}; raw SQL {raw_note}",
        ),
        result(
            "reach dashboard (admin, HTTP), first view of a filter",
            "median response time",
            dashboard_cold["median_ms"],
            "ms",
            "raw SQL: funnel + pupils booked/attended + by LA",
            raw_total * 1000,
            queries=dashboard_queries,
            notes=f"uncached; p95 {dashboard_cold['p95_ms']:.0f} ms; statuses {dashboard_cold['statuses']}",
        ),
        result(
            "partner API /api/v1/reach (HTTP), first call for a filter",
            "median response time",
            api_cold["median_ms"],
            "ms",
            "raw SQL: funnel + pupils booked/attended + by LA",
            raw_total * 1000,
            queries=api_queries,
            notes=f"uncached; p95 {api_cold['p95_ms']:.0f} ms; statuses {api_cold['statuses']}",
        ),
        result(
            "reach dashboard (admin, HTTP), repeat view",
            "median response time",
            dashboard["median_ms"],
            "ms",
            "raw SQL: funnel + pupils booked/attended + by LA",
            raw_total * 1000,
            queries=dashboard_queries,
            notes=f"cached until the data changes; p95 {dashboard['p95_ms']:.0f} ms; statuses {dashboard['statuses']}",
        ),
        result(
            "partner API /api/v1/reach (HTTP), repeat call",
            "median response time",
            api["median_ms"],
            "ms",
            "raw SQL: funnel + pupils booked/attended + by LA",
            raw_total * 1000,
            queries=api_queries,
            notes=f"cached until the data changes; p95 {api['p95_ms']:.0f} ms; statuses {api['statuses']}",
        ),
    ]
