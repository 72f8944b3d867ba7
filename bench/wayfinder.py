#!/usr/bin/env python3
"""How fast is "activities for me" next to the cheapest listing of the same size?

    python bench/wayfinder.py                     # city scale (8,000 activities), SQLite file
    python bench/wayfinder.py --database-url postgres://postgres@127.0.0.1:5432/nabij_bench
    python bench/wayfinder.py --scale small --requests 300   # a quick look

Builds the demo city once (or reuses it), serves Nabij with gunicorn in production mode on
127.0.0.1, then loads two endpoints in alternating rounds, in the same run:

- "for me": `GET /api/v1/municipalities/GM9999/activities/for-me` with a barrier set, a location
  (a neighbourhood's centroid, a different one per request) and an isolation type, 20 results;
- baseline: `GET …/activities/bare?limit=20`, one `values()` query of the same size.

Prints requests per second, p50 and p99 for both, and the ratio for-me / baseline (target ≥ 0.8).
Everything stops by itself; only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
MUNICIPALITY = "GM9999"
API = f"/api/v1/municipalities/{MUNICIPALITY}"
TARGET = 0.8


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)  # seconds
    elapsed: float = 0.0  # wall-clock seconds spent in this endpoint's rounds
    errors: int = 0

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000 if ordered else 0.0


def run(command: list[str], env: dict[str, str]) -> None:
    subprocess.run(command, env=env, check=True, cwd=ROOT)


def prepare_database(env: dict[str, str], scale: str) -> None:
    """Migrate, and generate the demo city unless it is there already."""
    run([sys.executable, "-m", "nabij", "migrate", "-v", "0"], env)
    check = subprocess.run(
        [
            sys.executable,
            "-m",
            "nabij",
            "shell",
            "-c",
            "from django_scopes import scopes_disabled\n"
            "from nabij.core.models import Municipality\n"
            f"with scopes_disabled(): print(Municipality.objects.filter(code='{MUNICIPALITY}').exists())",
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    if check.stdout.strip().endswith("True"):
        print("Reusing the demo city in this database.")
        return
    print(f"Generating the demo city ({scale}); this happens once per database.")
    started = time.perf_counter()
    run([sys.executable, "-m", "nabij", "generate_demo", "--scale", scale, "--seed", "1"], env)
    print(f"Generated in {time.perf_counter() - started:.0f} s.")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(port: int, path: str, timeout: float = 30) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Accept": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@contextmanager
def served(env: dict[str, str], port: int, workers: int) -> Iterator[None]:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "nabij.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, env=env, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(port, f"{API}")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("gunicorn did not come up within 60 s.")
            time.sleep(0.3)
        yield
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()


def neighbourhood_points(port: int) -> list[tuple[float, float]]:
    status, body = get(port, f"{API}/neighbourhoods?page_size=200")
    if status != 200:
        raise SystemExit(f"Could not read the neighbourhoods ({status}).")
    return [(row["centroid"]["lat"], row["centroid"]["lon"]) for row in json.loads(body)["results"]]


def for_me_path(point: tuple[float, float]) -> str:
    query = {
        "barriers": "cost,no_host,crowded",
        "lat": f"{point[0]:.6f}",
        "lon": f"{point[1]:.6f}",
        "isolation_type": "social_and_personal",
        "limit": "20",
    }
    return f"{API}/activities/for-me?{urlencode(query)}"


BARE_PATH = f"{API}/activities/bare?limit=20"


def load(port: int, paths: list[str], count: int, concurrency: int, result: Result) -> None:
    """`count` requests over `concurrency` threads; paths are used round-robin."""
    lock = threading.Lock()
    next_index = [0]

    def worker() -> None:
        while True:
            with lock:
                index = next_index[0]
                if index >= count:
                    return
                next_index[0] += 1
            path = paths[index % len(paths)]
            started = time.perf_counter()
            try:
                status, body = get(port, path)
            except OSError:
                status, body = 0, b""
            took = time.perf_counter() - started
            with lock:
                if status == 200 and body:
                    result.latencies.append(took)
                else:
                    result.errors += 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.elapsed += time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="default: a SQLite file in bench/.data/ (kept for the next run)")
    parser.add_argument("--scale", choices=["small", "city"], default="city")
    parser.add_argument("--requests", type=int, default=2_000, help="measured requests per endpoint")
    parser.add_argument("--rounds", type=int, default=4, help="alternating rounds the requests are split over")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    args = parser.parse_args()
    if args.requests < args.rounds or args.concurrency < 1 or args.workers < 1:
        parser.error("--requests must be at least --rounds; --concurrency and --workers at least 1.")

    DATA.mkdir(parents=True, exist_ok=True)
    database_url = args.database_url or f"sqlite:///{DATA / f'wayfinder-{args.scale}.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "NABIJ_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "NABIJ_SSL_REDIRECT": "false",
        "NABIJ_DATA_DIR": str(DATA),
        "NABIJ_TASK_BACKEND": "sync",
    }
    env.pop("REDIS_URL", None)
    prepare_database({**env, "NABIJ_ENV": "development"}, args.scale)
    port = free_port()
    with served(env, port, args.workers):
        points = neighbourhood_points(port)
        for_me = Result("activities for me")
        bare = Result("bare values() listing")
        for_me_paths = [for_me_path(point) for point in points]
        # Warm both up (imports, connections, SQLite page cache) before measuring.
        load(port, for_me_paths, 100, args.concurrency, Result("warm-up"))
        load(port, [BARE_PATH], 100, args.concurrency, Result("warm-up"))
        per_round = args.requests // args.rounds
        for _round in range(args.rounds):
            load(port, for_me_paths, per_round, args.concurrency, for_me)
            load(port, [BARE_PATH], per_round, args.concurrency, bare)

    print()
    print(f"Database: {database_url.split('://')[0]}, scale {args.scale}, {len(points)} locations")
    measured = per_round * args.rounds
    print(f"gunicorn workers: {args.workers}, concurrency: {args.concurrency}, requests per endpoint: {measured}")
    print()
    print(f"{'endpoint':<24} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for result in (for_me, bare):
        print(
            f"{result.name:<24} {result.rps:>8.1f} {result.percentile(50):>8.1f} "
            f"{result.percentile(99):>8.1f} {result.errors:>7}"
        )
    ratio = for_me.rps / bare.rps if bare.rps else 0.0
    print()
    print(
        f"ratio for-me / baseline (req/s): {ratio:.2f}  (target ≥ {TARGET}) {'met' if ratio >= TARGET else 'NOT met'}"
    )
    print(f"p99 for-me / baseline: {for_me.percentile(99) / max(bare.percentile(99), 1e-9):.2f}")
    if for_me.errors or bare.errors:
        print("There were errors; the figures above are not reliable.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
