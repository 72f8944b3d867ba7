"""A month and its quarter computed at the same moment by two workers: real threads, each with its own
connection. Only PostgreSQL shows this (SQLite lets one writer in at a time); CI runs both.

Each computation pauses between reading the other snapshots and storing its own, so without the
municipality's snapshot lock both would protect theirs alone. `test_without_the_lock_...` shows that
this set-up does break without it, so the first test can fail."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, connections
from django_scopes import scope

from nabij.monitor.models import Snapshot
from nabij.monitor.services import snapshots as services
from nabij.testing.personas import Personas
from tests.conftest import SocialMap
from tests.monitor.world import World, build_world

pytestmark = pytest.mark.django_db(transaction=True)

PAUSE = 0.5  # seconds between reading the other snapshots and protecting, in both computations


@pytest.fixture(autouse=True)
def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent snapshots need PostgreSQL: SQLite has a single writer.")


@pytest.fixture
def world(personas: Personas, socialmap: SocialMap) -> Iterator[World]:
    with scope(municipality=personas.municipality_a):
        built = build_world(personas, socialmap)
    yield built


@pytest.fixture(autouse=True)
def slow_protection(monkeypatch: pytest.MonkeyPatch) -> None:
    original = services.other_periods

    def read_then_pause(**kwargs: Any) -> list[services.OtherPeriod]:
        found = original(**kwargs)
        time.sleep(PAUSE)
        return found

    monkeypatch.setattr(services, "other_periods", read_then_pause)


def compute_at_once(world: World, periods: list[str]) -> dict[str, list[str]]:
    """Each period's `with_periods`: the snapshots it was protected together with."""
    barrier = threading.Barrier(len(periods))
    errors: list[str] = []

    def run(period: str) -> None:
        try:
            barrier.wait()
            with scope(municipality=world.a):
                services.snapshot_compute(actor=None, municipality=world.a, period=period)
        except Exception as error:  # reported in the assertion
            errors.append(f"{period}: {type(error).__name__}: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(period,)) for period in periods]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    with scope(municipality=world.a):
        return {s.period: s.parameters["with_periods"] for s in Snapshot.objects.filter(municipality=world.a)}


def test_a_month_and_its_quarter_at_once_are_protected_together(world: World) -> None:
    together = compute_at_once(world, ["2026-04", "2026-Q2"])
    # Whichever came second waited for the first and was protected with it.
    assert together in ({"2026-04": [], "2026-Q2": ["2026-04"]}, {"2026-04": ["2026-Q2"], "2026-Q2": []})


def test_without_the_lock_both_protect_alone(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Control: the same race without the lock; neither sees the other."""
    monkeypatch.setattr(services, "one_at_a_time", lambda municipality: None)
    assert compute_at_once(world, ["2026-04", "2026-Q2"]) == {"2026-04": [], "2026-Q2": []}
