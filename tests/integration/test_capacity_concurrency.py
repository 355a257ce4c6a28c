"""Capacity under real simultaneous requests: never more places taken than the session holds.

The live-server test fires 100 booking forms at once through the whole HTTP stack (CSRF, forms, the
booking service, the database), on SQLite and again on PostgreSQL. The control test shows the race a
naive read-then-write booking would lose under the same kind of load, so the first test can fail.
"""

import contextlib
import random
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections
from django.db.models import F, Sum
from django.test.testcases import LiveServerThread, _StaticFilesHandler

from campaigns.bookings import places as booking_places
from campaigns.bookings import services as bookings
from campaigns.models import Booking, BookingStatus
from events.models import Session
from tests.campaigns.factories_bookings import booker, campaign_with_session, invitation_for, school_booking
from tests.factories import OrganisationFactory

# serialized_rollback: the tests before may have flushed the home page the event pages hang under.
pytestmark = [pytest.mark.both_databases, pytest.mark.django_db(transaction=True)]

CAPACITY = 90
CLIENTS = 100
SERVER_THREADS = 12

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION_KEY = re.compile(r'name="submission_key" value="([^"]+)"')


def confirmed_places(session):
    return (
        Booking.objects.filter(session=session, status=BookingStatus.CONFIRMED).aggregate(
            total=Sum("places")
        )["total"]
        or 0
    )


class PooledWSGIServer(ThreadedWSGIServer):
    """Django's threaded test server with a fixed pool of request threads, as a production server has
    (gunicorn threads): a hundred simultaneous clients queue for them instead of each opening its own
    database connection."""

    request_queue_size = 256

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pool = ThreadPoolExecutor(max_workers=SERVER_THREADS)

    def process_request(self, request, client_address):
        self.pool.submit(self.process_request_thread, request, client_address)

    def server_close(self):
        super().server_close()
        self.pool.shutdown(wait=False, cancel_futures=True)


class PooledLiveServerThread(LiveServerThread):
    server_class = PooledWSGIServer


@pytest.fixture
def pooled_live_server(transactional_db):
    thread = PooledLiveServerThread("127.0.0.1", _StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


def test_a_hundred_simultaneous_bookings_never_overbook_a_session_of_ninety(pooled_live_server, settings):
    settings.BOOKING_RATE_LIMIT_PER_MINUTE = 0
    campaign, session = campaign_with_session(
        capacity=CAPACITY, safeguarding_statement="", photo_consent_statement=""
    )
    invitations = [invitation_for(campaign) for _ in range(CLIENTS)]
    rng = random.Random(2027)
    wanted = [rng.randint(1, 30) for _ in range(CLIENTS)]

    # Each client first opens its booking form (as a teacher would), so it holds a CSRF cookie and token.
    clients = []
    for invitation, places in zip(invitations, wanted, strict=True):
        client = requests.Session()
        # One request per connection: an idle keep-alive connection would hold a server thread.
        client.headers["Connection"] = "close"
        url = f"{pooled_live_server}/invitation/{invitation.token}/sessions/{session.pk}/book/"
        page = client.get(url, timeout=30)
        assert page.status_code == 200
        data = {
            "csrfmiddlewaretoken": TOKEN.search(page.text).group(1),
            "submission_key": SUBMISSION_KEY.search(page.text).group(1),
            "year_group": "Y5",
            "pupils": str(places - 1) if places > 1 else "0",
            "staff": "1",
            "adults": "0",
            "booker_name": "Class teacher",
            "booker_email": f"teacher{invitation.pk}@school.example.org",
            "action": "book",
        }
        clients.append((client, url, data))

    start = threading.Barrier(CLIENTS)

    def post(args):
        client, url, data = args
        start.wait()
        response = client.post(url, data=data, headers={"Referer": url}, allow_redirects=False, timeout=120)
        return response.status_code

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        statuses = list(pool.map(post, clients))

    session.refresh_from_db()
    booked = confirmed_places(session)
    assert set(statuses) <= {302, 409}, statuses
    assert statuses.count(302) == Booking.objects.filter(session=session).count()
    assert session.places_taken == booked
    assert booked <= CAPACITY
    # The session really was contended: some were turned away, and it filled up (or nearly).
    assert statuses.count(409) > 0
    assert booked > CAPACITY - 30


def run_simultaneously(n, fn):
    barrier = threading.Barrier(n)
    errors = []

    def worker(index):
        try:
            fn(index, barrier)
        except Exception as exc:  # collected and asserted on by the caller
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def naive_book(session_id, organisation, places, barrier):
    """How overbooking happens: read the places left, decide, then write. Implemented only in this test."""
    session = Session.objects.get(pk=session_id)
    can_book = session.places_taken + places <= session.capacity
    barrier.wait()  # everyone has read the same figure before anyone writes
    if can_book:
        Booking.objects.create(
            reference=f"NAIVE-{organisation.pk}",
            session_id=session_id,
            kind="organisation",
            organisation=organisation,
            pupils=places,
            places=places,
            **booker(),
        )
        Session.objects.filter(pk=session_id).update(
            places_taken=min(session.places_taken + places, session.capacity)
        )


def test_control_a_naive_read_then_write_booking_overbooks_under_the_same_load():
    campaign, session = campaign_with_session(capacity=CAPACITY)
    schools = [OrganisationFactory() for _ in range(10)]
    errors = run_simultaneously(10, lambda i, barrier: naive_book(session.pk, schools[i], 20, barrier))
    assert not errors
    # Ten schools of 20 were all told "yes" for a session of 90.
    assert confirmed_places(session) == 200
    assert confirmed_places(session) > CAPACITY


def test_the_booking_service_under_the_same_load_books_only_what_fits():
    campaign, session = campaign_with_session(capacity=CAPACITY)
    schools = [OrganisationFactory() for _ in range(10)]

    def book(index, barrier):
        barrier.wait()
        with contextlib.suppress(booking_places.NotEnoughPlaces):
            bookings.book_places(
                **school_booking(session, campaign, organisation=schools[index], pupils=18, staff=2)
            )

    errors = run_simultaneously(10, book)
    assert not errors
    session.refresh_from_db()
    assert confirmed_places(session) == session.places_taken == 80
    assert Booking.objects.filter(session=session).count() == 4


def test_simultaneous_cancellations_and_changes_keep_the_counter_exact():
    campaign, session = campaign_with_session(capacity=CAPACITY)
    made = [
        bookings.book_places(
            **school_booking(session, campaign, pupils=8, staff=1, booker_email=f"t{i}@example.org")
        )
        for i in range(10)
    ]
    assert Session.objects.get(pk=session.pk).places_taken == 90

    def act(index, barrier):
        barrier.wait()
        booking = made[index]
        if index % 3 == 0:
            bookings.cancel_booking(booking)
        elif index % 3 == 1:
            bookings.change_booking(booking, pupils=4)
        else:
            with contextlib.suppress(booking_places.NotEnoughPlaces):
                bookings.change_booking(booking, pupils=12)

    errors = run_simultaneously(10, act)
    assert not errors, errors
    session.refresh_from_db()
    assert session.places_taken == confirmed_places(session) <= CAPACITY
    assert Session.objects.filter(pk=session.pk, places_taken__lte=F("capacity")).exists()
