"""The floor every page benchmark stands on: a bare view on the real web server."""

from bench.support import result


def run(ctx):
    n = ctx.scaled(2000, minimum=200)
    with ctx.live_server() as base:
        ctx.http_load(base, ["/healthz"] * 50)  # warm up
        bare = ctx.http_load(base, ["/healthz"] * n, concurrency=8)
        home = ctx.http_load(base, ["/"] * n, concurrency=8)
    return [
        result(
            "home page",
            "requests per second",
            home["per_second"],
            "req/s",
            "bare /healthz view",
            bare["per_second"],
            notes=f"median {home['median_ms']:.1f} ms vs {bare['median_ms']:.1f} ms; statuses {home['statuses']}",
        )
    ]
