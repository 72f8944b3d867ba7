#!/usr/bin/env python3
"""A matching round end to end, next to the raw solver on the same candidate graph, in one run.

    python bench/matching.py                                  # 20,000 participants, 10,000 supporters
    python bench/matching.py --participants 2000 --supporters 1000   # a quick look

Builds a synthetic city in a temporary SQLite database (deleted afterwards; the demo database is
not needed): 90 neighbourhoods on a 9 x 10 km grid, waiting participants with a current consent
for support, and supporters with capacity 1-3, VOGs, languages, interests and availability drawn
from a fixed seed. With the default rules (at most 3 km) each participant has about 50 candidates.

- end to end: `support.services.matching_round_compute` on a round in that database: read who
  waits and who has room, build the candidate graph, solve, and store the proposals with their
  explanations (bulk insert into SQLite);
- raw solver: `scipy.sparse.csgraph.min_weight_full_bipartite_matching` on the expanded
  biadjacency matrix of the very graph the round built (prepared beforehand, not timed).

Prints both times, the ratio end to end / raw (target ≤ 2.0), and whether the two optimal costs
(pairs matched and the sum of their costs) are equal. Only local files are touched.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 2.0
LANGUAGES = ["nl"] * 10 + ["ar", "tr", "pl", "en", "so", "ti", "uk", "es"]
INTERESTS = [
    "tuinieren",
    "koken",
    "wandelen",
    "muziek",
    "lezen",
    "fietsen",
    "schilderen",
    "voetbal",
    "schaken",
    "breien",
    "film",
    "dieren",
    "fotografie",
    "zingen",
    "dansen",
    "computers",
    "koffie",
    "natuur",
    "geschiedenis",
    "klussen",
]


def setup_django(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("NABIJ_ENV", "development")
    os.environ["NABIJ_TASK_BACKEND"] = "sync"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nabij.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_city(participants: int, supporters: int, seed: int) -> object:
    """The synthetic municipality; returns it. Rows go in with bulk_create, like an import would."""
    import datetime as dt

    from django.utils import timezone
    from django_scopes import scopes_disabled

    from nabij.core.models import District, Municipality, Neighbourhood
    from nabij.people.models import Consent, ResidentProfile
    from nabij.support.models import Supporter, VogStatus

    rng = random.Random(seed)
    today = timezone.localdate()
    with scopes_disabled():
        city = Municipality.objects.create(
            code="GM8888", name="Bankstad", slug="bankstad", centroid_lat=51.92, centroid_lon=4.48
        )
        district = District.objects.create(
            municipality=city, code="WK888801", name="Centrum", centroid_lat=51.92, centroid_lon=4.48
        )
        # 9 rows x 10 columns, about 1 km apart (0.009° north, 0.0145° east at 52°N).
        areas = Neighbourhood.objects.bulk_create(
            Neighbourhood(
                municipality=city,
                district=district,
                code=f"BU8888{number:04d}",
                name=f"Buurt {number}",
                centroid_lat=51.88 + 0.009 * (number // 10),
                centroid_lon=4.41 + 0.0145 * (number % 10),
            )
            for number in range(90)
        )

        def languages() -> list[str]:
            own = rng.choice(LANGUAGES)
            return [own, "nl"] if own != "nl" and rng.random() < 0.7 else [own]

        def availability() -> int:
            mask = 0
            for _ in range(rng.randint(2, 7)):
                mask |= 1 << rng.randrange(21)
            return mask

        now = timezone.now()
        profiles = ResidentProfile.objects.bulk_create(
            (
                ResidentProfile(
                    municipality=city,
                    name=f"Deelnemer {i}",
                    neighbourhood=rng.choice(areas),
                    availability=availability(),
                    languages=languages(),
                    interests=rng.sample(INTERESTS, rng.randint(0, 4)),
                    requires_vog=rng.random() < 0.6,
                    support_wanted_since=now - dt.timedelta(days=rng.randint(1, 400)),
                )
                for i in range(participants)
            ),
            batch_size=2_000,
        )
        Consent.objects.bulk_create(
            (
                Consent(municipality=city, profile=p, purpose="support", given_by="de bewoner zelf", given_at=now)
                for p in profiles
            ),
            batch_size=2_000,
        )
        Supporter.objects.bulk_create(
            (
                Supporter(
                    municipality=city,
                    name=f"Maatje {j}",
                    neighbourhood=rng.choice(areas),
                    availability=availability(),
                    languages=languages() if rng.random() < 0.3 else ["nl"],
                    interests=rng.sample(INTERESTS, rng.randint(1, 5)),
                    vog_status=VogStatus.ISSUED if rng.random() < 0.85 else VogStatus.NONE,
                    vog_issued_on=today - dt.timedelta(days=rng.randint(10, 1_300)),
                    capacity=rng.choice([1, 1, 2, 2, 3]),
                    lifts_mask=0b1010,
                )
                for j in range(supporters)
            ),
            batch_size=2_000,
        )
        # Supporters without an issued VOG have no date (the model's constraint).
        Supporter.objects.filter(municipality=city, vog_status=VogStatus.NONE).update(vog_issued_on=None)
    return city


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=20_000)
    parser.add_argument("--supporters", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--raw-runs", type=int, default=2, help="raw solver runs (mean reported)")
    arguments = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="nabij-bench-matching-"))
    try:
        started = time.perf_counter()
        setup_django(folder / "bench.sqlite3")
        city = build_city(arguments.participants, arguments.supporters, arguments.seed)
        print(
            f"Synthetic city: {arguments.participants:,} waiting participants, {arguments.supporters:,} supporters "
            f"(seed {arguments.seed}), built in {time.perf_counter() - started:.0f} s in {folder}."
        )
        run(city, arguments.raw_runs)
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(folder, ignore_errors=True)


def run(city: object, raw_runs: int) -> None:
    from django_scopes import scope
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    from nabij.support.matching.solver import OFFSET, expanded_matrix
    from nabij.support.models import MatchingRound, MatchProposal, RoundStatus
    from nabij.support.services import matching_round_compute

    with scope(municipality=city):
        matching_round = MatchingRound.objects.create(municipality=city, status=RoundStatus.RUNNING)
        started = time.perf_counter()
        outcome = matching_round_compute(matching_round=matching_round)
        end_to_end = time.perf_counter() - started
        stored = list(MatchProposal.objects.filter(round=matching_round).values_list("cost", flat=True))

        graph = outcome.graph
        expanded = expanded_matrix(graph)
        raw_times = []
        for _ in range(raw_runs):
            started = time.perf_counter()
            rows, cols = min_weight_full_bipartite_matching(expanded.matrix)
            raw_times.append(time.perf_counter() - started)
        raw = statistics.mean(raw_times)
        real = cols < expanded.slot_supporter.size
        raw_pairs = int(real.sum())
        raw_cost = float((expanded.matrix[rows[real], cols[real]] - OFFSET).sum())

    round_cost = float(sum(stored))
    equal = raw_pairs == len(stored) and abs(raw_cost - round_cost) <= 1e-6 * max(1.0, abs(raw_cost))
    per_participant = graph.edges / max(1, graph.participants_with_candidates())
    print(
        f"Candidate graph: {graph.edges:,} edges ({per_participant:.1f} per participant with candidates), "
        f"{expanded.matrix.nnz:,} entries after expanding {int(expanded.slot_supporter.size):,} supporter slots."
    )
    print("Round phases (s): " + ", ".join(f"{name} {value:.2f}" for name, value in outcome.seconds.items()))
    print(f"End to end (read, candidates, solve, store {len(stored):,} proposals): {end_to_end:.2f} s")
    print(f"Raw solver on the same graph (mean of {len(raw_times)}): {raw:.2f} s")
    ratio = end_to_end / raw
    print(f"Ratio end to end / raw: {ratio:.2f} (target ≤ {TARGET}) {'OK' if ratio <= TARGET else 'TOO SLOW'}")
    print(
        f"Costs equal: {'yes' if equal else 'NO'} (round: {len(stored):,} pairs, {round_cost:.6f}; "
        f"raw: {raw_pairs:,} pairs, {raw_cost:.6f})"
    )


if __name__ == "__main__":
    main()
