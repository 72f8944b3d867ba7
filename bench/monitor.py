#!/usr/bin/env python3
"""A full monitor snapshot of one quarter, next to the same indicators written by hand in DuckDB SQL.

    python bench/monitor.py --database /path/to/city/nabij.sqlite3   # reuse a generated city
    python bench/monitor.py                                          # generate the city first (temp dir)
    python bench/monitor.py --scale small --runs 1                   # a quick look
    python bench/monitor.py --database FILE --profile 25             # also profile Nabij's side

Needs the `bench` extra (`pip install -e '.[bench]'`: duckdb, pyarrow). In the same run, alternating:

- Nabij: `monitor.services.snapshots.snapshot_compute` for the demo municipality and the period
  (by default the last complete quarter): read, compute every indicator, small-cell protection,
  store the snapshot (it replaces that period's snapshot in the database, as the command does);
- baseline (bench/monitor_duckdb.py): the same tables read from the SQLite file with `sqlite3` into
  DuckDB (pyarrow), every indicator as hand-written DuckDB SQL, then the project's `protect` on its
  cells. What SQL is not the tool for is left to the same Python libraries as the project, on the
  baseline's own data: the coverage grid (the project's numpy `population_grid`) and the
  walking-distance pairs (scipy's cKDTree), and the coherence graph (igraph: components, bridges,
  Leiden with the same seed). Which points are covered, and every count, share and median, is SQL.

Prints both times (best of --runs), where they go, the ratio (target ≤ 1.5), the ratio of reading
and computing alone, and how many cells differ between the two (before protection, and as
published; 0 expected). OpenBLAS runs one thread on both sides unless --blas-threads says otherwise.
Only local files are touched.
"""

from __future__ import annotations

import argparse
import importlib
import math
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import monitor_duckdb  # bench/monitor_duckdb.py, beside this file

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.5
MUNICIPALITY = "GM9999"


# --- set-up ------------------------------------------------------------------------------------------


def generate(folder: Path, scale: str) -> Path:
    database = folder / "nabij.sqlite3"
    env = {**os.environ, "NABIJ_DATA_DIR": str(folder), "DATABASE_URL": f"sqlite:///{database}"}
    started = time.perf_counter()
    for command in (["migrate", "-v", "0"], ["generate_demo", "--scale", scale, "--seed", "1"]):
        subprocess.run([sys.executable, "-m", "nabij", *command], env=env, cwd=ROOT, check=True)
    print(f"Generated the demo city ({scale}) in {time.perf_counter() - started:.0f} s in {folder}.")
    return database


def setup_django(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("NABIJ_ENV", "development")
    os.environ["NABIJ_DEBUG"] = "false"  # DEBUG would keep every query's SQL: not what production pays
    os.environ["NABIJ_TASK_BACKEND"] = "sync"
    os.environ["DJANGO_SETTINGS_MODULE"] = "nabij.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class Phases:
    """A `Progress` that notes when each step of the snapshot starts."""

    def __init__(self) -> None:
        self.marks: list[tuple[str, float]] = []

    def start(self, total: int, message: str = "") -> None:
        self.marks = []

    def advance(self, amount: int = 1, message: str | None = None) -> None:
        if amount == 0 and message:
            self.marks.append((message, time.perf_counter()))

    def seconds(self, end: float) -> dict[str, float]:
        ends = [t for _name, t in self.marks[1:]] + [end]
        return {name: stop - begin for (name, begin), stop in zip(self.marks, ends, strict=True)}


# --- Nabij's side -------------------------------------------------------------------------------------


def project_snapshot(municipality: Any, period: Any) -> tuple[float, dict[str, float], dict[tuple, tuple]]:
    from django_scopes import scope

    from nabij.monitor.models import SnapshotValue
    from nabij.monitor.services.snapshots import snapshot_compute

    phases = Phases()
    with scope(municipality=municipality):
        started = time.perf_counter()
        snapshot = snapshot_compute(actor=None, municipality=municipality, period=period, progress=phases)
        seconds = time.perf_counter() - started
        values = SnapshotValue.objects.filter(snapshot=snapshot).values_list(
            "indicator", "area_code", "target_group", "unit", "numerator", "denominator", "value", "suppressed"
        )
        published = {(i, a, g): (u, n, d, v, s) for i, a, g, u, n, d, v, s in values}
    split = phases.seconds(started + seconds)
    # Everything but protecting and storing (the settings, area tree and target groups come first).
    compute = seconds - split.get("protect", 0.0) - split.get("store", 0.0)
    return seconds, {"compute": compute, **split}, published


def project_raw_cells(municipality: Any, period: Any) -> list[Any]:
    from django_scopes import scope

    from nabij.monitor.services.snapshots import compute_cells, monitor_settings

    with scope(municipality=municipality):
        return compute_cells(municipality=municipality, period=period, settings=monitor_settings(municipality))


# --- comparing and reporting ------------------------------------------------------------------------------


def as_map(cells: list[Any]) -> dict[tuple, tuple]:
    return {c.key: (c.unit, c.numerator, c.denominator, c.value, c.suppressed) for c in cells}


def differences(nabij: dict[tuple, tuple], duck: dict[tuple, tuple]) -> list[str]:
    def same(a: Any, b: Any) -> bool:
        if a is None or b is None or isinstance(a, (str, bool)):
            return a == b
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)

    found = []
    for key in sorted(set(nabij) | set(duck)):
        left, right = nabij.get(key), duck.get(key)
        if left is None or right is None or not all(same(a, b) for a, b in zip(left, right, strict=True)):
            found.append(f"  {key}: nabij {left} | duckdb {right}")
    return found


def report(title: str, found: list[str], show: int) -> None:
    print(f"{title}: {len(found)}")
    for line in found[:show]:
        print(line)
    if len(found) > show:
        print(f"  … and {len(found) - show} more")


def profile(municipality: Any, period: Any, top: int) -> None:
    """Nabij's side once more under a profiler: pyinstrument's call tree when it is installed,
    else cProfile's top functions by own time."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        import cProfile
        import io
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        project_snapshot(municipality, period)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
        print("\nProfile of Nabij's snapshot (cProfile, by own time):\n" + out.getvalue().split("\n\n", 2)[-1])
        return
    sampler = Profiler(interval=0.001)
    sampler.start()
    project_snapshot(municipality, period)
    sampler.stop()
    print("\nProfile of Nabij's snapshot (pyinstrument):\n" + sampler.output_text(unicode=False, color=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", type=Path, help="an SQLite file with the demo city (otherwise one is generated)")
    parser.add_argument("--scale", choices=("city", "small"), default="city", help="when generating")
    parser.add_argument("--period", help="e.g. 2026-Q3; by default the last complete quarter")
    parser.add_argument("--runs", type=int, default=3, help="runs of each side; the best counts")
    parser.add_argument("--show", type=int, default=15, help="differing cells to print")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="profile Nabij's side (cProfile: top N)")
    parser.add_argument(
        "--blas-threads", default="1", help="OpenBLAS threads for both sides (1; 'default' leaves OpenBLAS's own)"
    )
    arguments = parser.parse_args()
    if arguments.blas_threads != "default":
        # Small-cell protection's SVDs (scipy, OpenBLAS): with spare threads spinning on a busy 2-core
        # machine the same call took 3 to 37 s; one thread took 3 s every time. Same for both sides.
        os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = arguments.blas_threads

    folder = None
    if arguments.database is None:
        folder = Path(tempfile.mkdtemp(prefix="nabij-bench-monitor-"))
        database = generate(folder, arguments.scale)
    else:
        database = arguments.database.resolve()
        if not database.exists():
            parser.error(f"{database} does not exist")
    try:
        setup_django(database)
        run(database, arguments)
    finally:
        if folder is not None:
            from django.db import connections

            connections.close_all()
            shutil.rmtree(folder, ignore_errors=True)


def run(database: Path, arguments: argparse.Namespace) -> None:
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from nabij.core.models import Municipality
    from nabij.monitor.periods import last_complete_quarter, parse_period

    with scopes_disabled():
        municipality = Municipality.objects.get(code=MUNICIPALITY)
    period = parse_period(arguments.period) if arguments.period else last_complete_quarter(timezone.localdate())
    rows = (
        sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        .execute(
            "SELECT (SELECT count(*) FROM monitor_attendance), (SELECT count(*) FROM monitor_attendancesession), "
            "(SELECT coalesce(sum(named_count + anonymous_count), 0) FROM monitor_attendancesession), "
            "(SELECT count(*) FROM socialmap_activity), (SELECT count(*) FROM people_residentprofile)"
        )
        .fetchone()
    )
    print(
        f"{database}: {rows[3]:,} activities, {rows[4]:,} profiles, {rows[1]:,} sessions, {rows[0]:,} named "
        f"attendance rows ({rows[2]:,} attendance records with the head counts). Period {period.code}."
    )
    # Imports are not what either side is timed for.
    for module in ("duckdb", "igraph", "pyarrow", "scipy.spatial", "nabij.monitor.coherence", "nabij.monitor.coverage"):
        importlib.import_module(module)
    ours: list[tuple[float, dict[str, float]]] = []
    theirs: list[tuple[float, dict[str, float]]] = []
    published: dict[tuple, tuple] = {}
    duck_raw: list[Any] = []
    duck_published: list[Any] = []
    for _ in range(arguments.runs):
        seconds, split, published = project_snapshot(municipality, period)
        ours.append((seconds, split))
        split, duck_raw, duck_published = monitor_duckdb.baseline(database, MUNICIPALITY, period)
        theirs.append((sum(split.values()), split))
        print(f"  run {len(ours)}: Nabij {seconds:.2f} s, DuckDB {theirs[-1][0]:.2f} s", flush=True)

    def show(name: str, runs: list[tuple[float, dict[str, float]]]) -> float:
        best, split = min(runs, key=lambda r: r[0])
        steps = ", ".join(f"{k} {v:.2f}" for k, v in split.items())
        print(f"{name} (best of {len(runs)}): {best:.2f} s   [{steps}]")
        return best

    print()
    project = show("Nabij snapshot_compute (read, compute, protect, store)", ours)
    duck = show("DuckDB baseline (load, SQL, protect)", theirs)
    ratio = project / duck
    verdict = "OK" if ratio <= TARGET else "TOO SLOW"
    print(f"Ratio Nabij / DuckDB: {ratio:.2f} (target ≤ {TARGET}) {verdict}")
    # The same `protect` on the same cells on both sides: the parts that differ, each at its best.
    compute = min(split["compute"] for _s, split in ours)
    duck_compute = min(total - split["protect"] for total, split in theirs)
    protects = [min(split["protect"] for _s, split in side) for side in (ours, theirs)]
    print(
        f"Reading and computing only (Nabij {compute:.2f} s, DuckDB load + SQL {duck_compute:.2f} s): ratio "
        f"{compute / duck_compute:.2f}; protect {protects[0]:.2f} s and {protects[1]:.2f} s; "
        f"Nabij stores in {min(split['store'] for _s, split in ours):.2f} s"
    )
    print(f"\nCells: Nabij {len(published):,}, DuckDB {len(duck_published):,}")
    raw = project_raw_cells(municipality, period)
    order = [c.key for c in raw] == [c.key for c in duck_raw]
    print(f"Same cells in the same order before protection: {'yes' if order else 'NO'}")
    report("Differing cells before protection", differences(as_map(raw), as_map(duck_raw)), arguments.show)
    report("Differing published cells", differences(published, as_map(duck_published)), arguments.show)
    if arguments.profile:
        profile(municipality, period, arguments.profile)


if __name__ == "__main__":
    main()
