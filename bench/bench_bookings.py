"""Bookings per second under contention, through the real HTTP stack (gunicorn, CSRF, forms, the booking
service), against the same number of plain inserts with no capacity guard, in the same run.

Each simulated booker first opens its invitation's booking form (getting a CSRF cookie, token and one-time
submission key, as a browser would); the timed part is the POSTs only. Before it, a warm-up round of
bookings at a separate session lets every server thread reach its steady state (imports, compiled
validators, connections), as on a server that has been up for a while. Overbooking is checked afterwards.
"""

import os
import re
import time
import urllib.request
from http.cookiejar import CookieJar
from urllib.parse import urlencode

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from bench.support import result

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION_KEY = re.compile(r'name="submission_key" value="([^"]+)"')


def _setup(n_bookers, sessions, capacity):
    from tests.campaigns.factories_bookings import another_session, campaign_with_session, invitation_for

    campaign, first = campaign_with_session(
        capacity=capacity, safeguarding_statement="", photo_consent_statement=""
    )
    all_sessions = [first] + [another_session(campaign, capacity=capacity) for _ in range(sessions - 1)]
    invitations = [invitation_for(campaign) for _ in range(n_bookers)]
    return campaign, all_sessions, invitations


def _prepare(base, invitations, sessions, places):
    """One prepared POST per booker: (path, body, headers)."""
    requests = []
    for index, invitation in enumerate(invitations):
        session = sessions[index % len(sessions)]
        path = f"/invitation/{invitation.token}/sessions/{session.pk}/book/"
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(base + path, timeout=30).read().decode()
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        body = urlencode(
            {
                "csrfmiddlewaretoken": TOKEN.search(page).group(1),
                "submission_key": SUBMISSION_KEY.search(page).group(1),
                "year_group": "Y5",
                "pupils": places - 1,
                "staff": 1,
                "adults": 0,
                "booker_name": "Class teacher",
                "booker_email": f"teacher{invitation.pk}@school.example.org",
                "action": "book",
            }
        ).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Referer": base + path,
        }
        requests.append((path, body, headers))
    return requests


def _overbooked(sessions):
    from campaigns.models import Booking
    from events.models import Session

    worst = 0
    for session in Session.objects.filter(pk__in=[s.pk for s in sessions]):
        booked = Booking.objects.confirmed().filter(session=session).aggregate(t=Sum("places"))["t"] or 0
        worst = max(worst, booked - session.capacity, abs(booked - session.places_taken))
    return worst


def _plain_inserts(campaign, sessions, invitations, places, concurrency):
    """The baseline: the same number of booking rows inserted with no capacity guard, from the same threads."""
    import threading

    from campaigns.models import Booking, BookingKind
    from campaigns.models.bookings import new_reference_suffix

    rows = list(enumerate(invitations))
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                if not rows:
                    break
                index, invitation = rows.pop()
            with transaction.atomic():
                Booking.objects.create(
                    reference=f"BASE-{new_reference_suffix(8)}",
                    session=sessions[index % len(sessions)],
                    campaign=campaign,
                    kind=BookingKind.ORGANISATION,
                    organisation=invitation.organisation,
                    year_group="Y5",
                    pupils=places - 1,
                    staff=1,
                    places=places,
                    booker_name="Class teacher",
                    booker_email=f"teacher{invitation.pk}@school.example.org",
                    status="cancelled",  # kept out of the real bookings' figures
                    cancelled_at=timezone.now(),
                )
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(invitations) / (time.perf_counter() - started)


SERVER_WORKERS, SERVER_THREADS = 2, 8


def _cpu_note(cpu, posts):
    if not cpu:
        return ""
    return (
        f"CPU per POST: web workers {cpu['app'] / posts * 1000:.1f} ms, "
        f"PostgreSQL {cpu['database'] / posts * 1000:.1f} ms; "
    )


def _warm_up(ctx, base, campaign):
    """Book a separate session once per server thread, twice over, untimed."""
    from tests.campaigns.factories_bookings import another_session, invitation_for

    count = SERVER_WORKERS * SERVER_THREADS * 2
    session = another_session(campaign, capacity=count * 2)
    invitations = [invitation_for(campaign) for _ in range(count)]
    connection.close()
    ctx.http_load(base, _prepare(base, invitations, [session], places=2), concurrency=16, method="POST")


def run(ctx):
    os.environ["BOOKING_RATE_LIMIT_PER_MINUTE"] = "0"  # every booker comes from 127.0.0.1 here
    n = ctx.scaled(400, minimum=60)
    concurrency = 16
    rows = []
    for label, sessions_count in (("one busy session", 1), ("many sessions", 20)):
        # One busy session: 2 places each, capacity for about 3 in 4 of them, so some are turned away.
        capacity = max(2, int(n * 2 * 0.75)) if sessions_count == 1 else n * 2
        campaign, sessions, invitations = _setup(n, sessions_count, capacity)
        connection.close()
        with ctx.live_server(workers=SERVER_WORKERS, threads=SERVER_THREADS) as base:
            _warm_up(ctx, base, campaign)
            prepared = _prepare(base, invitations, sessions, places=2)
            with ctx.cpu_use() as cpu:
                load = ctx.http_load(base, prepared, concurrency=concurrency, method="POST")
        booked = load["statuses"].get(302, 0)
        overbooked = _overbooked(sessions)
        baseline = _plain_inserts(campaign, sessions, invitations, 2, concurrency)
        rows.append(
            result(
                f"bookings under contention ({label})",
                "booking POSTs per second",
                load["per_second"],
                "req/s",
                "plain unguarded inserts of the same rows",
                baseline,
                notes=(
                    f"{n} bookers, {concurrency} at once, {ctx.database}; {booked} booked, statuses "
                    f"{load['statuses']}; median {load['median_ms']:.0f} ms, p95 {load['p95_ms']:.0f} ms; "
                    f"{_cpu_note(cpu, n)}overbooking {overbooked} (must be 0)"
                ),
                overbooking=overbooked,
                **{f"{role}_cpu_ms_per_post": round(seconds / n * 1000, 2) for role, seconds in cpu.items()},
            )
        )
    return rows
