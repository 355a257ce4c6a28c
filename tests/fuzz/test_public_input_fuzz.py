"""Every public address, filter, form and API parameter under hypothesis-generated text: never a 500, and a
refused form changes nothing. Run on SQLite and again on PostgreSQL, where text the database cannot hold or
compare (a NUL, a number too large for its column, a date that does not exist) would otherwise fail a query.

The text includes what a browser or a script can really send: any Unicode (right-to-left marks, combining
characters, emoji), lone surrogates and other bytes that are not UTF-8 (sent percent-encoded, raw), very long
values, numbers at the extremes and impossible dates. Each example runs inside a savepoint that is rolled back,
so every example starts from the same objects, and examples are derandomized so a failure repeats in CI.

`test_every_public_route_is_fuzzed` reads the URLconf: a new public route fails it until it is added here.
"""

from dataclasses import dataclass, field
from urllib.parse import quote_from_bytes

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import PageViewRestriction

from campaigns.bookings import waiting_list
from campaigns.bookings.forms import IndividualBookingForm, OrganisationBookingForm
from campaigns.bookings.selectors import confirm_token
from campaigns.bookings.services import book_places
from campaigns.evaluation import services as evaluation
from campaigns.evaluation.views import school_report_token
from campaigns.mail.unsubscribe import unsubscribe_token
from campaigns.models import (
    AnswerCount,
    Booking,
    Invitation,
    Organisation,
    OutboundMessage,
    Response,
    SuppressedAddress,
    TrainingRecord,
    WaitingListEntry,
)
from campaigns.partner_api.services import issue_token
from campaigns.training.services import certificate_token, format_code
from events.models import Session
from resources.downloads import tracked_download_url
from tests.campaigns.factories_bookings import (
    booker,
    campaign_with_session,
    individual_session,
    invitation_for,
    school_booking,
)
from tests.campaigns.factories_reach import TrainingRecordFactory
from tests.evaluation.helpers import pupil_quiz
from tests.factories import ContactFactory, OrganisationFactory
from tests.resources.helpers import ensure_site, make_document, make_resource

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- what a client can send -----------------------------------------------------------------------------

AWKWARD = [
    "",
    " ",
    "0",
    "-1",
    "-0",
    "1e309",
    "-1e309",
    "1e-400",
    "99999999999999999999",
    "-99999999999999999999",
    "9223372036854775808",
    "2147483648",
    "NaN",
    "inf",
    "0x10",
    "١٢",
    "³",
    "①",
    "42²",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "2026-02-30T25:61:61",
    "%",
    "%%32%30",
    "'; DROP TABLE campaigns_booking; --",
    "<script>alert(1)</script>",
    "{{ request }}",
    "../../etc/passwd",
    "\u202eevil\u202c",
    "שלום عليكم",
    "a\u0301\u0302\u0303\u0304" * 20,
    "\ufeff\u200b\u2028\u2029",
    "🙂" * 300,
    "x" * 10_000,
    "\ud800",
    "a\udfffb",
    "\x00",
    "a\x00b",
]

# Any code point, lone surrogates included: they are sent as the bytes `surrogatepass` gives them, which are
# not valid UTF-8, the way a hand-made request could send them.
any_char = st.characters(codec=None, exclude_categories=())
# Digits of other scripts and superscripts: `str.isdigit` accepts "³" and "①", `int()` does not.
digit_like = st.text(
    st.one_of(st.characters(categories=["Nd", "No", "Nl"]), st.sampled_from("0123456789")),
    min_size=1,
    max_size=6,
)
texts = st.one_of(
    st.sampled_from(AWKWARD),
    digit_like,
    st.text(max_size=40),
    st.text(any_char, max_size=200),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.binary(max_size=60),
)


def as_bytes(value):
    if isinstance(value, bytes):
        return value
    return value.encode("utf-8", "surrogatepass")


def encoded(value):
    """Percent-encode any value (text, lone surrogates or raw bytes) for an address or a form body."""
    return quote_from_bytes(as_bytes(value), safe="")


def query_string(params):
    return "&".join(f"{encoded(key)}={encoded(value)}" for key, value in params)


def params_for(names):
    """Some of `names` (each with a generated value), sometimes twice, sometimes with a made-up name."""
    pairs = st.tuples(st.sampled_from(names), texts) if names else st.nothing()
    extra = st.tuples(st.one_of(st.sampled_from(["page", "p", "q", "format"]), texts), texts)
    return st.lists(st.one_of(pairs, pairs, pairs, extra), max_size=5)


# --- the objects behind the public pages ----------------------------------------------------------------


@dataclass
class World:
    urls: dict = field(default_factory=dict)
    api_token: str = ""


@pytest.fixture
def world(settings):
    settings.BOOKING_RATE_LIMIT_PER_MINUTE = 0
    ensure_site()
    document = make_document()
    resource = make_resource("Staying safe online", audiences=["8-10", "parents-carers"], topics=["grooming"])

    # A schools campaign with an invitation, open booking and a booking with its private links.
    campaign, session = campaign_with_session(
        capacity=90, open_booking=True, safeguarding_statement="We have read the safeguarding notes."
    )
    invitation = invitation_for(campaign)
    school = OrganisationFactory(confirmed=True)
    ContactFactory(organisation=school, email="office@riverside.example.org")
    booking = book_places(**school_booking(session, campaign, safeguarding_confirmed=True))

    # A full session with someone waiting.
    _, full = campaign_with_session(capacity=5)
    full_campaign = full.event.campaigns.first()
    book_places(**school_booking(full, full_campaign, pupils=5, staff=0))
    entry = waiting_list.join_waiting_list(
        session=full,
        campaign=full_campaign,
        organisation=OrganisationFactory(),
        year_group="Y5",
        pupils=3,
        **booker(booker_email="waiting@school.example.org"),
    )

    # A parents' session that individuals book themselves, with guests.
    parents = individual_session(max_guests=2)
    parent_booking = book_places(
        session=parents, guests=1, **booker(booker_email="parent@example.org", booker_role="")
    )
    # Professional training, named attendees.
    training = individual_session(kind="professional-training", max_guests=0)

    record = TrainingRecordFactory()
    # A page behind a password (Wagtail's page privacy), for its password form.
    private = make_resource("For the team", audiences=["professionals"])
    restriction = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="team-password"
    )
    _, api_token = issue_token("Fuzzing partner")
    get_user_model().objects.create_user(
        username="officer", email="officer@council.example.gov.uk", password="right-password"
    )

    # The pupils' quiz of the schools campaign, with the session's code and the school's report link.
    questionnaire = pupil_quiz(campaign)
    quiz_code, _ = evaluation.codes_for_session(session, questionnaire, [booking])

    event = session.event
    world = World(api_token=api_token)
    world.urls = {
        "home": "/",
        "library": "/resources/",
        "resource": resource.url,
        "search": "/search/",
        "help": "/help/",
        "events": "/events/",
        "event": event.url,
        "programme_feed": "/events/calendar.ics",
        "event_feed": f"/events/{event.slug}/calendar.ics",
        "session_ics": f"/events/sessions/{session.pk}.ics",
        "health": "/healthz",
        "background_health": "/healthz/background",
        "verify": "/certificates/verify/",
        "download": tracked_download_url(document, resource=resource).split("?")[0],
        "document": document.url,
        "document_password": f"/documents/authenticate_with_password/{document.pk}/",
        "book_school": f"/sessions/{session.pk}/book/",
        "book_parent": f"/sessions/{parents.pk}/book/",
        "book_training": f"/sessions/{training.pk}/book/",
        "invitation": f"/invitation/{invitation.token}/",
        "invitation_decline": f"/invitation/{invitation.token}/decline/",
        "invitation_book": f"/invitation/{invitation.token}/sessions/{session.pk}/book/",
        "manage": f"/bookings/{booking.manage_token}/",
        "manage_parent": f"/bookings/{parent_booking.manage_token}/",
        "confirmed": f"/bookings/{booking.manage_token}/confirmed/",
        "cancel": f"/bookings/{booking.manage_token}/cancel/",
        "confirm": f"/bookings/confirm/{confirm_token(booking)}/",
        "waiting": f"/waiting/{entry.token}/",
        "certificate": f"/certificates/{certificate_token(record)}/",
        "certificate_code": format_code(record.verification_code),
        "unsubscribe": f"/unsubscribe/{unsubscribe_token('parent@example.org')}/",
        "school_pk": str(school.pk),
        "session_pk": str(session.pk),
        "page_password": f"/_util/authenticate_with_password/{restriction.pk}/{private.pk}/",
        "page_login": "/_util/login/",
        "quiz": "/quiz/",
        "quiz_thanks": "/quiz/thanks/",
        "quiz_report": f"/quiz/report/{school_report_token(booking)}/",
        "quiz_code": quiz_code.code,
        "quiz_ticket": evaluation.new_ticket(quiz_code),
        "trainee_evaluation": f"/evaluation/{evaluation.trainee_token(record)}/",
    }
    return world


def snapshot():
    """What a refused request must leave as it was."""
    return {
        "bookings": list(Booking.objects.order_by("pk").values_list("pk", "status", "places", "session_id")),
        "waiting": list(WaitingListEntry.objects.order_by("pk").values_list("pk", "status", "places_wanted")),
        "invitations": list(
            Invitation.objects.order_by("pk").values_list("pk", "state", "declined_at", "booked_at")
        ),
        "messages": OutboundMessage.objects.count(),
        "organisations": Organisation.objects.count(),
        "suppressed": SuppressedAddress.objects.count(),
        "records": TrainingRecord.objects.count(),
        "places": list(Session.objects.order_by("pk").values_list("pk", "places_taken")),
        "quiz_responses": Response.objects.count(),
        "quiz_answers": list(AnswerCount.objects.order_by("pk").values_list("pk", "count")),
    }


class Rollback(Exception):
    pass


def in_savepoint(check, *args):
    """Run one example and undo whatever it changed, so the next starts from the same objects."""
    cache.clear()
    try:
        with transaction.atomic():
            check(*args)
            raise Rollback
    except Rollback:
        pass


def send(client, method, path, params=(), body=None, **extra):
    query = query_string(params)
    if method == "GET":
        return client.generic("GET", path, QUERY_STRING=query, **extra)
    return client.generic(
        "POST",
        path,
        data=body or b"",
        content_type="application/x-www-form-urlencoded",
        QUERY_STRING=query,
        **extra,
    )


def form_body(pairs):
    return query_string(pairs).encode("ascii")


# --- public GET filters and pages -----------------------------------------------------------------------

LIBRARY_FILTERS = ["age", "audience", "topic", "page"]
GET_TARGETS = {
    "home": [],
    "library": LIBRARY_FILTERS,
    "resource": [],
    "search": ["query", *LIBRARY_FILTERS],
    "help": ["postcode"],
    "events": ["audience", "kind", "area", "page"],
    "event": ["page"],
    "programme_feed": ["audience", "area"],
    "event_feed": [],
    "session_ics": [],
    "health": [],
    "background_health": [],
    "verify": ["code"],
    "download": ["t"],
    "document": [],
    "document_password": ["next"],
    "book_school": ["organisation", "q", "new_group"],
    "book_parent": [],
    "book_training": [],
    "invitation": [],
    "invitation_decline": [],
    "invitation_book": [],
    "manage": ["changed", "cancelled"],
    "confirmed": [],
    "confirm": [],
    "waiting": ["left"],
    "certificate": [],
    "unsubscribe": [],
    "page_password": ["return_url"],
    "page_login": ["next"],
    "quiz": ["code"],
    "quiz_thanks": [],
    "quiz_report": [],
    "trainee_evaluation": [],
}


@settings(FUZZ, max_examples=5)
@given(data=st.data())
def test_public_pages_and_filters_answer_any_parameter_without_failing(client, world, data):
    # Every page in every example; a page with parameters gets two sets of them.
    for target in sorted(GET_TARGETS):
        for _ in range(2 if GET_TARGETS[target] else 1):
            params = data.draw(params_for(GET_TARGETS[target]), label=target)
            in_savepoint(check_page, client, world.urls[target], target, params)


def check_page(client, path, target, params):
    response = send(client, "GET", path, params)
    # The background check answers 503 by design while no heartbeat has run (none does here).
    allowed = {503} if target == "background_health" else set()
    assert response.status_code < 500 or response.status_code in allowed, (target, params)


@settings(FUZZ, max_examples=25)
@given(
    data=st.data(),
    audience=st.one_of(st.none(), st.sampled_from(["parents-carers", "8-10"]), texts),
    kind=st.one_of(st.none(), st.sampled_from(["pupil-roadshow"]), texts),
    page=st.one_of(st.none(), st.sampled_from(["1", "2", "0", "-1", "last", "1e309"]), texts),
)
def test_whats_on_and_session_pages_answer_any_filter_and_page(client, world, data, audience, kind, page):
    params = [(name, value) for name, value in (("audience", audience), ("kind", kind)) if value is not None]
    pages = [("page", page)] if page is not None else []

    def check():
        for path, query in ((world.urls["events"], params + pages), (world.urls["event"], pages)):
            response = send(client, "GET", path, query)
            assert response.status_code < 500, (path, query)

    in_savepoint(check)


NUMBERED_ROUTES = [
    "/sessions/{}/book/",
    "/events/sessions/{}.ics",
    "/downloads/{}/guide.txt",
    "/documents/{}/guide.txt",
    "/_util/authenticate_with_password/{}/{}/",
    "/invitation/x/sessions/{}/book/",
]


@settings(FUZZ, max_examples=30)
@given(
    template=st.sampled_from(NUMBERED_ROUTES),
    number=st.one_of(st.integers(min_value=0, max_value=10**30), st.sampled_from([0, 2**31, 2**63, 10**20])),
    method=st.sampled_from(["GET", "POST"]),
)
def test_numbers_in_addresses_at_any_size_find_nothing_without_failing(
    client, world, template, number, method
):
    path = template.format(number, number)

    def check():
        before = snapshot()
        response = send(client, method, path, body=b"action=accept")
        assert response.status_code < 500, (method, path)
        assert snapshot() == before

    in_savepoint(check)


# --- private links with a garbage token -----------------------------------------------------------------

TOKEN_ROUTES = [
    ("GET", "/bookings/{}/"),
    ("POST", "/bookings/{}/"),
    ("GET", "/bookings/{}/confirmed/"),
    ("POST", "/bookings/{}/cancel/"),
    ("GET", "/bookings/confirm/{}/"),
    ("POST", "/bookings/confirm/{}/"),
    ("GET", "/waiting/{}/"),
    ("POST", "/waiting/{}/"),
    ("GET", "/invitation/{}/"),
    ("GET", "/invitation/{}/decline/"),
    ("POST", "/invitation/{}/decline/"),
    ("POST", "/invitation/{}/sessions/1/book/"),
    ("GET", "/certificates/{}/"),
    ("GET", "/unsubscribe/{}/"),
    ("POST", "/unsubscribe/{}/"),
    ("GET", "/quiz/report/{}/"),
    ("GET", "/evaluation/{}/"),
    ("POST", "/evaluation/{}/"),
]
tokens = st.one_of(
    texts.filter(lambda value: value not in ("", b"")),
    # Almost right: a real token with a character changed, cut short or lengthened.
    st.sampled_from(
        [
            "invitation",
            "manage",
            "confirm",
            "waiting",
            "certificate",
            "unsubscribe",
            "quiz_report",
            "trainee_evaluation",
        ]
    ).flatmap(lambda name: st.tuples(st.just(name), st.sampled_from(["cut", "extend", "flip", "upper"]))),
)


def damaged(world, spec):
    name, how = spec
    token = world.urls[name].rstrip("/").split("/")[-1]
    return {
        "cut": token[:-3],
        "extend": token + "A" * 200,
        "flip": token[:-1] + ("A" if token[-1] != "A" else "B"),
        "upper": token.upper(),
    }[how]


@FUZZ
@given(
    route=st.sampled_from(TOKEN_ROUTES),
    token=tokens,
    action=st.sampled_from(["", "accept", "leave", "confirm"]),
)
def test_a_garbage_token_in_any_private_link_is_refused_and_changes_nothing(
    client, world, route, token, action
):
    method, template = route
    value = damaged(world, token) if isinstance(token, tuple) else token
    # A token is one path segment; a slash in it would only be a different (unknown) address.
    path = template.format(encoded(value) or "x")

    def check():
        before = snapshot()
        body = form_body([("action", action), ("pupils", "3"), ("booker_email", "someone@example.org")])
        response = send(client, method, path, body=body)
        assert response.status_code < 500, (method, path)
        assert 400 <= response.status_code < 500, (method, path, response.status_code)
        assert snapshot() == before

    in_savepoint(check)


# --- every public form ----------------------------------------------------------------------------------


# Every field the booking forms have (a new field is fuzzed without being listed here), except the one only
# bots fill in: filling it is refused before any other field is read.
def _fields(form_class):
    return [name for name in form_class.base_fields if name != "website"] + ["action"]


ORGANISATION_FIELDS = _fields(OrganisationBookingForm)
INDIVIDUAL_FIELDS = _fields(IndividualBookingForm)
GROUP_FIELDS = ["new_group", "group_name", "group_kind", "group_postcode", "organisation"]
VALID = {
    "year_group": "Y5",
    "pupils": "20",
    "staff": "2",
    "adults": "1",
    "guests": "1",
    "booker_name": "Sam Teacher",
    "booker_role": "Year 5 teacher",
    "booker_email": "sam.teacher@school.example.org",
    "booker_phone": "01375 000000",
    "access_needs": "Step-free access",
    "safeguarding_confirmed": "on",
    "photo_consent_confirmed": "on",
    "age_from": "9",
    "age_to": "11",
    "booker_organisation_name": "Thurrock Council licensing",
    "licence_number": "PHD 20481",
    "new_group": "1",
    "group_name": "Grays Youth Club",
    "group_kind": "community",
    "group_postcode": "RM17 6SL",
    "session": "",
    "username": "officer",
    "password": "right-password",
    "email": "officer@council.example.gov.uk",
    "return_url": "/resources/",
    "next": "/resources/",
}
FORM_TARGETS = {
    "invitation_book": ORGANISATION_FIELDS,
    "book_school": ORGANISATION_FIELDS + GROUP_FIELDS,
    "book_parent": INDIVIDUAL_FIELDS,
    "book_training": INDIVIDUAL_FIELDS,
    "manage": ["session", "year_group", "pupils", "staff", "adults"],
    "manage_parent": ["session", "guests"],
    "cancel": ["confirm", "reason"],
    "confirm": ["action"],
    "waiting": ["action"],
    "invitation_decline": ["reason"],
    "unsubscribe": ["email"],
    "verify": ["code"],
    "login": ["username", "password", "next"],
    "password_reset": ["email"],
    "page_password": ["password", "return_url"],
    "page_login": ["username", "password", "next"],
    # The questions' own fields are fuzzed in tests/evaluation/test_quiz_fuzz.py (their names hold ids).
    "quiz": ["code", "ticket"],
}
ACTIONS = ["accept", "leave", "wait", "confirm", "decline"]


def valid_value(world, name):
    return world.urls["session_pk"] if name == "session" else VALID.get(name, "1")


def form_fields(world, target):
    """Each field of the form valid, broken or missing; broken values come from `texts`."""
    names = FORM_TARGETS[target]

    def value(name):
        plausible = [valid_value(world, name)]
        if name == "action":
            plausible = ACTIONS
        if name == "organisation":
            plausible = [world.urls["school_pk"]]
        if name in ("code", "ticket") and target == "quiz":
            plausible = [world.urls[f"quiz_{name}"]]
        return st.one_of(st.sampled_from(plausible), texts)

    return st.lists(
        st.one_of(*[st.tuples(st.just(name), value(name)) for name in names]), max_size=len(names) + 2
    )


URLS_OUTSIDE_THE_WORLD = {"login": "/admin/login/", "password_reset": "/admin/password_reset/"}


@settings(FUZZ, max_examples=6)
@given(data=st.data())
def test_every_public_form_answers_any_input_and_a_refusal_changes_nothing(client, world, data):
    # Every form in every example.
    for target in sorted(FORM_TARGETS):
        fields = data.draw(form_fields(world, target), label=target)
        if data.draw(st.booleans(), label=f"{target}: the other fields valid"):
            # Most fields right and one or two wrong, so the form gets past its first checks.
            given_names = {name for name, _ in fields}
            fields = [
                (name, valid_value(world, name))
                for name in FORM_TARGETS[target]
                if name in VALID and name not in given_names
            ] + fields
        path = URLS_OUTSIDE_THE_WORLD.get(target) or world.urls[target]
        in_savepoint(check_form, client, path, target, fields)


def check_form(client, path, target, fields):
    before = snapshot()
    if target == "verify":
        response = send(client, "GET", path, fields)
    else:
        response = send(client, "POST", path, body=form_body(fields), REMOTE_ADDR="203.0.113.9")
    assert response.status_code < 500, (target, fields, response.status_code)
    if response.status_code >= 400:
        assert snapshot() == before, (target, fields, response.status_code)


# --- the classic troublemakers, every one in every parameter ----------------------------------------------

# Hypothesis draws widely; these are also sent everywhere, every run, since each has broken a parser before.
TROUBLEMAKERS = [
    "³",
    "①",
    "99999999999999999999",
    "-1",
    "1e309",
    "2026-02-30",
    "\ud800",
    b"\xff\xfe",
    "\u202eevil",
    "x" * 5000,
]


ONE_AT_A_TIME = ("³",)


def test_every_troublemaker_in_every_page_parameter_answers_without_failing(client, world):
    for target, names in sorted(GET_TARGETS.items()):
        for name in names:
            for value in TROUBLEMAKERS:
                in_savepoint(check_page, client, world.urls[target], target, [(name, value)])


def test_every_troublemaker_in_every_form_field_answers_and_a_refusal_changes_nothing(client, world):
    for target, names in sorted(FORM_TARGETS.items()):
        path = URLS_OUTSIDE_THE_WORLD.get(target) or world.urls[target]
        for value in TROUBLEMAKERS:
            in_savepoint(check_form, client, path, target, [(name, value) for name in names])
            # The same value in one field at a time, the others valid, for the forms that book.
            if value in ONE_AT_A_TIME and target.startswith(("book_", "invitation_book", "manage")):
                for name in names:
                    fields = [(other, valid_value(world, other)) for other in names if other != name]
                    in_savepoint(check_form, client, path, target, [*fields, (name, value)])


# --- the partner API ------------------------------------------------------------------------------------

API_ENDPOINTS = {
    "/api/v1/campaigns": [],
    "/api/v1/sessions": ["campaign", "date_from", "date_to"],
    "/api/v1/reach": [
        "campaign",
        "series",
        "date_from",
        "date_to",
        "local_authority",
        "district",
        "ward",
        "kind",
    ],
    "/api/v1/evaluation": ["campaign", "series"],
    "/api/v1/openapi.json": [],
    "/api/v1/": [],
}
API_PLAUSIBLE = st.sampled_from(["1", "2026-01-01", "2026-12-31", "walk-online", "Thurrock", "school"])


@settings(FUZZ, max_examples=80)
@given(
    endpoint=st.sampled_from(sorted(API_ENDPOINTS)),
    data=st.data(),
    authorization=st.one_of(
        st.just("valid"),
        st.just("valid"),
        st.just("none"),
        st.sampled_from(["Bearer ", "Bearer x", "Basic YTpi", "bearer", "Bearer  spaced  out"]),
        texts.map(lambda value: "Bearer " + as_bytes(value).decode("latin-1")),
    ),
)
def test_partner_api_answers_any_parameter_and_token_without_failing(
    client, world, endpoint, data, authorization
):
    names = API_ENDPOINTS[endpoint]
    pairs = (
        st.lists(st.tuples(st.sampled_from(names), st.one_of(API_PLAUSIBLE, texts)), max_size=5)
        if names
        else st.just([])
    )
    params = data.draw(pairs, label="params")
    headers = {}
    if authorization == "valid":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {world.api_token}"
    elif authorization != "none":
        headers["HTTP_AUTHORIZATION"] = authorization

    def check():
        response = send(client, "GET", endpoint, params, **headers)
        assert response.status_code < 500, (endpoint, params, response.status_code)
        if authorization != "valid" and endpoint not in ("/api/v1/openapi.json", "/api/v1/"):
            assert response.status_code in (400, 401), (endpoint, authorization)
        if response.status_code >= 400 and endpoint != "/api/v1/":
            assert "detail" in response.json()

    in_savepoint(check)


# --- nothing public is left out -------------------------------------------------------------------------

# Only staff use these; their own tests cover them (tests/security/, tests/fuzz/test_api_schema.py for the
# schema, which the API test above also fetches). The webhooks are the email provider's, not the public's.
NOT_PUBLIC = ("admin/", "django-admin/", "anymail/", "static/", "media/")


def public_routes():
    """Every route of the URLconf as its full pattern, without the staff-only ones."""

    def walk(patterns, prefix):
        for entry in patterns:
            # Joined the way Django joins them into ResolverMatch.route.
            route = prefix + str(entry.pattern).removeprefix("^") if prefix else str(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern):
                yield route

    return {
        route
        for route in walk(get_resolver().url_patterns, "")
        if not route.lstrip("^").startswith(NOT_PUBLIC)
    }


def fuzzed_routes(world):
    """The routes that the addresses the tests above send resolve to."""
    addresses = [world.urls[name] for name in GET_TARGETS]
    addresses += [world.urls[name] for name in FORM_TARGETS if name in world.urls]
    addresses += [template.format("garbage") for _, template in TOKEN_ROUTES]
    addresses += [template.format(1, 1) for template in NUMBERED_ROUTES]
    addresses += list(API_ENDPOINTS)
    return {resolve(address).route for address in addresses}


def test_every_public_route_is_fuzzed(world):
    missing = public_routes() - fuzzed_routes(world)

    assert not missing, f"public routes no fuzz test sends anything to: {sorted(missing)}"
