#!/usr/bin/env python
"""Run every benchmark beside its baseline and write bench/results/latest.{md,json}.

Each `bench/bench_<topic>.py` gets a fresh database (PostgreSQL when reachable, else SQLite) and a
Context (bench/support.py) and returns rows: benchmark, measure, value, unit, baseline, baseline_value,
ratio (value / baseline_value), notes, and optionally queries.

    python bench/run.py              # everything, full size
    python bench/run.py --quick      # a tenth of the data, for a smoke run
    python bench/run.py --only import,resources
    python bench/run.py --sizes 1,10     # the data sizes benchmarks that grow their data run at

Rows measured at several data sizes carry `size` ("1x", "4x"; see bench/support.py, "How cost grows").
"""

import argparse
import importlib
import json
import os
import platform
import resource
import socket
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/safe_together_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"


def reachable(url, port):
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or port), timeout=2):
            return True
    except OSError:
        return False


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        memory_kb = int(
            next(
                x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")
            ).split()[1]
        )
        memory = f"{memory_kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        memory = "unknown"
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": memory, "python": platform.python_version()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default="")
    parser.add_argument("--sizes", default="1,4", help="data size multipliers, smallest first")
    args = parser.parse_args()
    sizes = tuple(sorted({int(part) for part in args.sizes.split(",") if part.strip()}))

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    database_url = os.environ.get("TEST_DATABASE_URL") or DEFAULT_DATABASE_URL
    redis_url = os.environ.get("TEST_REDIS_URL") or DEFAULT_REDIS_URL
    if reachable(database_url, 5432):
        os.environ["TEST_DATABASE_URL"] = database_url
    else:
        print(f"PostgreSQL not reachable at {database_url}: benchmarking on SQLite.")
        os.environ["TEST_DATABASE_URL"] = ""
    if not reachable(redis_url, 6379):
        print(f"Redis not reachable at {redis_url}: benchmarks that need a real worker are skipped.")
        redis_url = None
    else:
        os.environ["TEST_REDIS_URL"] = redis_url

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from bench.support import Context

    wanted = {name.strip() for name in args.only.split(",") if name.strip()}
    modules = sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    modules = [m for m in modules if not wanted or m.removeprefix("bench_") in wanted]
    scale = 0.1 if args.quick else 1.0

    rows, failures = [], []
    for name in modules:
        print(f"== {name} ==", flush=True)
        config = setup_databases(verbosity=0, interactive=False)
        started = time.perf_counter()
        try:
            module = importlib.import_module(f"bench.{name}")
            module_rows = module.run(Context(scale=scale, redis_url=redis_url, sizes=sizes))
            elapsed = time.perf_counter() - started
            peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            for row in module_rows:
                row.setdefault("module", name)
                row["peak_memory_mb"] = round(max(peak_self, peak_children), 1)
                print(
                    f"  {row['benchmark']}{' [' + row['size'] + ']' if 'size' in row else ''}: {row['measure']} {row['value']} {row['unit']}"
                    f"  vs {row['baseline']} {row['baseline_value']}  (ratio {row['ratio']})"
                    + (f", {row['queries']} queries" if "queries" in row else ""),
                    flush=True,
                )
            rows.extend(module_rows)
            print(f"  ({elapsed:.1f}s)")
        except Exception:
            traceback.print_exc()
            failures.append(name)
        finally:
            connection.close()
            teardown_databases(config, verbosity=0)

    report = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "database": "postgresql" if os.environ.get("TEST_DATABASE_URL") else "sqlite",
        "broker": "redis" if redis_url else "none",
        "scale": scale,
        "sizes": list(sizes),
        "results": rows,
        "failed": failures,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "latest.md").write_text(markdown(report))
    print(f"Wrote {RESULTS / 'latest.md'} and latest.json")
    return 1 if failures else 0


def markdown(report):
    m = report["machine"]
    lines = [
        "# Benchmark report",
        "",
        f"Generated {report['generated_at']} on {m['cpu']}, {m['cores']} cores, {m['memory']}, Python {m['python']};"
        f" database {report['database']}, broker {report['broker']}, scale {report['scale']},"
        f" sizes {', '.join(f'{size}x' for size in report.get('sizes', [1]))}.",
        "",
        "Each figure is beside its baseline measured in the same run; ratio = value / baseline. Size is the",
        "amount of data the figure was measured with (1x the usual, 4x four times as much), so rows of one",
        "benchmark at two sizes show how its cost grows.",
        "",
        "| benchmark | size | measure | value | baseline | baseline value | ratio | queries | peak MB | notes |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in report["results"]:
        lines.append(
            f"| {r['benchmark']} | {r.get('size', '')} | {r['measure']} | {r['value']} {r['unit']} | {r['baseline']} | "
            f"{r['baseline_value']} {r['unit']} | {r['ratio']} | {r.get('queries', '')} | "
            f"{r.get('peak_memory_mb', '')} | {r.get('notes', '')} |"
        )
    if report["failed"]:
        lines += ["", f"Failed: {', '.join(report['failed'])}"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
