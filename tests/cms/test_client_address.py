"""The client address rate limits key on: the connecting address, or behind TRUSTED_PROXY_HOPS proxies the
address the outermost of them added to X-Forwarded-For, never an entry the client wrote itself."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from cms.ratelimit import client_ip, rate_limited_post

PROXY = "10.0.0.2"  # the TLS proxy: every request behind it connects from here


def request(forwarded=None, remote=PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/book/", **extra)


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        # No proxy declared: the header is the client's own words and is ignored.
        (0, "198.51.100.7", PROXY),
        (0, None, PROXY),
        # One proxy: the entry it appended, the rightmost; anything left of it was sent by the client.
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "203.0.113.99, 198.51.100.7", "198.51.100.7"),
        (1, "203.0.113.99,198.51.100.7", "198.51.100.7"),
        # A CDN in front of the proxy: the second from the right is what the CDN saw.
        (2, "203.0.113.99, 198.51.100.7, 192.0.2.10", "198.51.100.7"),
        # Fewer entries than proxies (the request passed fewer): the leftmost, which a proxy still wrote.
        (2, "198.51.100.7", "198.51.100.7"),
        # Proxies that add a port, and IPv6 in its normal form.
        (1, "203.0.113.99, 198.51.100.7:51234", "198.51.100.7"),
        (1, "[2001:DB8:0::1]:443", "2001:db8::1"),
        (1, "2001:db8::1", "2001:db8::1"),
        # Nothing usable: the connecting address.
        (1, None, PROXY),
        (1, "", PROXY),
        (1, "not-an-address", PROXY),
    ],
)
def test_client_ip(hops, forwarded, expected):
    with override_settings(TRUSTED_PROXY_HOPS=hops):
        assert client_ip(request(forwarded)) == expected


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_HOPS=1, BOOKING_RATE_LIMIT_PER_MINUTE=3)
def test_behind_the_proxy_each_client_has_its_own_limit_and_forged_entries_do_not_escape_it():
    view = rate_limited_post("test")(lambda request: HttpResponse("ok"))

    # One client behind the proxy, putting a different made-up address in front on every post.
    flooding = [view(request(f"203.0.113.{n}, 198.51.100.7")).status_code for n in range(5)]
    another = view(request("198.51.100.8")).status_code

    assert flooding == [200, 200, 200, 429, 429]
    assert another == 200


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_HOPS=0, BOOKING_RATE_LIMIT_PER_MINUTE=3)
def test_without_a_declared_proxy_a_forged_header_does_not_escape_the_limit():
    view = rate_limited_post("test")(lambda request: HttpResponse("ok"))

    statuses = [view(request(f"203.0.113.{n}", remote="198.51.100.7")).status_code for n in range(5)]

    assert statuses == [200, 200, 200, 429, 429]
