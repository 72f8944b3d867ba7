"""Recording one session from several places at once: real threads, each with its own connection.

Only PostgreSQL can show this: SQLite lets one writer in at a time, so there is no race to lose
(and `select_for_update` is a no-op there). CI runs the suite on PostgreSQL too.

Every thread pauses between looking the session up and writing it, so a lost race is likely rather
than lucky; `test_without_the_lock_the_rule_breaks` shows that this set-up does break without the
activity's row lock, so the first test can fail.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection, connections
from django_scopes import scope, scopes_disabled

from nabij.monitor.models import Attendance, AttendanceSession
from nabij.monitor.services import attendance as services
from nabij.socialmap.models import Activity
from nabij.testing.personas import Personas
from tests.conftest import SocialMap
from tests.monitor.attendance_world import DAY, World, build_world

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6
PAUSE = 0.3  # seconds between looking the session up and writing it, in every thread


@pytest.fixture(autouse=True)
def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent recording needs PostgreSQL: SQLite has a single writer and no row locks.")


@pytest.fixture
def world(personas: Personas, socialmap: SocialMap) -> Iterator[World]:
    yield build_world(personas, socialmap)


@pytest.fixture
def slow_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    original = services._session_of

    def looked_up_then_pause(activity: Activity, on: Any) -> AttendanceSession | None:
        found = original(activity, on)
        time.sleep(PAUSE)
        return found

    monkeypatch.setattr(services, "_session_of", looked_up_then_pause)


def run_at_once(work: list[Callable[[], str]]) -> Counter[str]:
    barrier = threading.Barrier(len(work))
    results: list[str] = []
    lock = threading.Lock()

    def run(job: Callable[[], str]) -> None:
        try:
            barrier.wait()
            outcome = job()
        except Exception as error:  # reported in the assertion
            outcome = f"error: {type(error).__name__}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return Counter(results)


def recording(world: World, count: int) -> Callable[[], str]:
    def job() -> str:
        with scope(municipality=world.a):
            result = services.attendance_record(
                actor=None,
                activity=Activity.objects.get(pk=world.koffie.pk),
                on=DAY,
                anonymous_count=count,
                participant_keys=[world.ann.key, world.bas.key],
            )
        return "created" if result.created else "replaced"

    return job


def test_one_session_however_many_record_it_at_once(world: World, slow_lookup: None) -> None:
    outcomes = run_at_once([recording(world, count) for count in range(THREADS)])
    assert outcomes == Counter({"created": 1, "replaced": THREADS - 1})
    with scopes_disabled():
        session = AttendanceSession.objects.get()
        # The last one in wins, whole: its count, and the two named rows exactly once.
        assert session.anonymous_count in range(THREADS)
        assert session.named_count == 2
        assert Attendance.objects.filter(session=session).count() == 2


def test_without_the_lock_the_rule_breaks(world: World, slow_lookup: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The control: without the row lock, racing recordings collide on the unique constraint."""
    monkeypatch.setattr(services, "_lock", lambda activity: None)
    outcomes = run_at_once([recording(world, count) for count in range(THREADS)])
    assert outcomes["error: IntegrityError"] >= 1
