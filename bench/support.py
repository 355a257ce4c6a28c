"""What a benchmark gets: the bench database, a real web server, a real Celery worker, and a load driver.

Each `bench/bench_<topic>.py` exposes `run(ctx) -> list[dict]` (see bench/run.py for the fields).

How cost grows: a benchmark can measure each figure at several data sizes, so the report shows how its
cost grows with the data. `ctx.sizes` holds the multipliers to run at (by default `(1, 4)`: the usual
data, then four times as much; `bench/run.py --sizes 1,10` changes them), and `ctx.scaled(n, size=s)`
gives the amount of data for size `s` (also honouring `--quick`). A row made with `result(..., size=s)`
carries a `size` column ("1x", "4x") in latest.md and latest.json. Measure each size's baseline in the same
live server run as its figure (as below), so every figure stays beside its own baseline. The pattern:

    def run(ctx):
        rows = []
        for size in ctx.sizes:             # smallest first: add to the data, never start again
            grow_the_data_to(ctx.scaled(1000, size=size))
            with ctx.live_server() as base:
                bare = ctx.http_load(base, ["/healthz"] * 500)
                ours = ctx.http_load(base, ["/my/page/"] * 500)
            rows.append(result("my page", "requests per second", ours["per_second"], "req/s",
                               "bare /healthz view", bare["per_second"], size=size))
        return rows

A benchmark that does not loop over `ctx.sizes` reports one size, as before (its rows have no size).
"""

import contextlib
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

from django.db import connection
from django.test.utils import CaptureQueriesContext

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Context:
    def __init__(self, *, scale=1.0, redis_url=None, sizes=(1, 4)):
        self.scale = scale
        self.redis_url = redis_url
        self.sizes = tuple(sizes)
        self.database = connection.vendor

    def scaled(self, n, minimum=1, size=1):
        """How much of something to make: `n` at full scale and size 1, times `size` (see the module)."""
        return max(minimum, int(n * self.scale)) * size

    def child_env(self, **extra):
        """Environment for a server or worker process that uses the bench database."""
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "TEST_WORKER_DATABASE_NAME": str(connection.settings_dict["NAME"]),
        }
        env.update({key: str(value) for key, value in extra.items()})
        return env

    @contextlib.contextmanager
    def live_server(self, workers=2, threads=8):
        """A gunicorn server (gthread workers) on the bench database; yields its base URL."""
        connection.close()
        port = free_port()
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "cms.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(threads),
                "--log-level",
                "warning",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            # Persistent database connections, as in production (DATABASE_CONN_MAX_AGE).
            env=self.child_env(TEST_DATABASE_CONN_MAX_AGE=60),
        )
        base = f"http://127.0.0.1:{port}"
        self.server_pid = process.pid
        try:
            _wait_http(base + "/healthz", process)
            yield base
        finally:
            self.server_pid = None
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=20)
            if process.poll() is None:
                process.kill()

    @contextlib.contextmanager
    def celery_worker(self, concurrency=4, queues="default,mail", extra_env=None, pool="threads"):
        """A real Celery worker on Redis against the bench database (`pool`: "threads", or "prefork" as
        `make worker` runs it in production, one process per core)."""
        if not self.redis_url:
            raise RuntimeError("a real worker needs Redis (TEST_REDIS_URL)")
        import redis

        from cms.celery import app as celery_app

        redis.Redis.from_url(self.redis_url).flushdb()
        celery_app.conf.broker_url = self.redis_url
        celery_app.conf.task_always_eager = False
        connection.close()
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "cms",
                "worker",
                "-Q",
                queues,
                f"--pool={pool}",
                f"--concurrency={concurrency}",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"bench-{uuid.uuid4().hex[:6]}@%h",
                "--loglevel=warning",
            ],
            cwd=ROOT,
            env=self.child_env(**(extra_env or {})),
        )
        try:
            deadline = time.monotonic() + 60
            while not celery_app.control.ping(timeout=0.5):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the bench Celery worker did not start")
            yield process
        finally:
            celery_app.conf.task_always_eager = True
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=20)
            if process.poll() is None:
                process.kill()

    @contextlib.contextmanager
    def cpu_use(self):
        """CPU seconds the live server's workers and the PostgreSQL server processes use during the block.

        Yields a dict that gets `app` and `database` (seconds, user + system) when the block ends, or stays
        empty where there is no /proc (not Linux). These figures depend on the machine's speed, but far
        less than throughput does on what else the machine is doing.
        """
        figures = {}
        if not Path("/proc/self/stat").exists():
            yield figures
            return
        before = _cpu_seconds(self.server_pid)
        yield figures
        after = _cpu_seconds(self.server_pid)
        figures.update({role: after[role] - before[role] for role in after})

    @staticmethod
    def count_queries(fn):
        """Run fn() and return (result, number of SQL queries it made)."""
        with CaptureQueriesContext(connection) as queries:
            result = fn()
        return result, len(queries)

    @staticmethod
    def http_load(base_url, requests, *, concurrency=8, method="GET"):
        """Send `requests` (a list of path strings, or of (path, body, headers) tuples) with `concurrency` threads.

        Returns throughput and latency figures plus the status codes seen.
        """
        parsed = urlparse(base_url)
        items = list(requests)
        lock = threading.Lock()
        latencies, statuses = [], {}
        cursor = iter(range(len(items)))

        def worker():
            conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
            while True:
                with lock:
                    index = next(cursor, None)
                if index is None:
                    break
                item = items[index]
                path, body, headers = (item, None, {}) if isinstance(item, str) else item
                started = time.perf_counter()
                try:
                    conn.request(method if body is None else "POST", path, body=body, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    status = response.status
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
                    status = "error"
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    statuses[status] = statuses.get(status, 0) + 1
            conn.close()

        threads = [threading.Thread(target=worker) for _ in range(concurrency)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        latencies.sort()
        return {
            "requests": len(items),
            "seconds": wall,
            "per_second": len(items) / wall if wall else 0.0,
            "median_ms": statistics.median(latencies) * 1000 if latencies else 0.0,
            "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000 if latencies else 0.0,
            "statuses": statuses,
        }


def _cpu_seconds(server_pid):
    """CPU seconds used so far by the children of `server_pid` (the web workers) and by PostgreSQL."""
    ticks = {"app": 0, "database": 0}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:  # the process ended while we looked
            continue
        name_end = stat.rindex(")")
        name = stat[stat.index("(") + 1 : name_end]
        fields = stat[name_end + 2 :].split()  # from field 3 (state) on: see proc(5)
        parent, used = int(fields[1]), int(fields[11]) + int(fields[12])  # ppid, utime + stime
        if server_pid is not None and parent == server_pid:
            ticks["app"] += used
        elif name == "postgres":
            ticks["database"] += used
    per_second = os.sysconf("SC_CLK_TCK")
    return {role: value / per_second for role, value in ticks.items()}


def _wait_http(url, process, timeout=60):
    parsed = urlparse(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the bench web server exited during start-up")
        try:
            conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=2)
            conn.request("GET", parsed.path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout}s")


def result(benchmark, measure, value, unit, baseline, baseline_value, *, notes="", size=None, **extra):
    """One row of the report: our figure, the baseline's figure in the same run, and value / baseline.

    `size` is the data size multiplier the row was measured at (`ctx.sizes`), shown as "4x"."""
    ratio = value / baseline_value if baseline_value else 0.0
    if size is not None:
        extra["size"] = f"{size}x"
    return {
        "benchmark": benchmark,
        "measure": measure,
        "value": round(value, 3),
        "unit": unit,
        "baseline": baseline,
        "baseline_value": round(baseline_value, 3),
        "ratio": round(ratio, 3),
        "notes": notes,
        **extra,
    }
