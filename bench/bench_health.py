"""The floor every page benchmark stands on: a bare view on the real web server, and the home page beside it.

The home page is measured at each of `ctx.sizes`: with a programme of 30 events (its "Coming up" reads the
next sessions), then that many times more.
"""

from bench.bench_events import _programme
from bench.support import result


def run(ctx):
    n = ctx.scaled(2000, minimum=200)
    rows, events_made = [], 0
    for size in ctx.sizes:
        events = ctx.scaled(30, minimum=6, size=size)
        _programme(events=events - events_made, sessions_per_event=5, offset=events_made)
        events_made = events
        with ctx.live_server() as base:
            ctx.http_load(base, ["/healthz"] * 50 + ["/"] * 20)  # warm up
            bare = ctx.http_load(base, ["/healthz"] * n, concurrency=8)
            home = ctx.http_load(base, ["/"] * n, concurrency=8)
        rows.append(
            result(
                f"home page ({events} events)",
                "requests per second",
                home["per_second"],
                "req/s",
                "bare /healthz view",
                bare["per_second"],
                notes=f"median {home['median_ms']:.1f} ms vs {bare['median_ms']:.1f} ms; "
                f"statuses {home['statuses']}",
                size=size,
            )
        )
    return rows
