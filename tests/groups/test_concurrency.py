"""Joining under concurrent requests: real threads, each with its own database connection.

Only PostgreSQL can show this: SQLite lets one writer in at a time, so there is no race to lose
(and `select_for_update` is a no-op there). CI runs the suite on PostgreSQL too. The rule itself
is tested deterministically in test_services.py::test_the_capacity_rule.

To make a lost race likely rather than lucky, every thread pauses between counting the members
and inserting its membership; `test_without_the_lock_the_rule_breaks` shows that this set-up
does break the rule when the row lock is taken away, so the first test can fail.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django_scopes import scope, scopes_disabled

from nabij.groups import services
from nabij.groups.models import Group, Membership
from nabij.people.models import ResidentProfile
from nabij.socialmap.services import catalogue_ensure_defaults
from nabij.testing.factories import ActivityFactory, OrganisationFactory
from nabij.testing.personas import Personas
from tests.groups.helpers import profile

pytestmark = pytest.mark.django_db(transaction=True)

CAPACITY = 3
THREADS = 10
PAUSE = 0.3  # seconds between counting and inserting, in every thread


@pytest.fixture(autouse=True)
def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent joins need PostgreSQL: SQLite has a single writer and no row locks (CI runs both).")


@pytest.fixture
def slow_count(monkeypatch: pytest.MonkeyPatch) -> None:
    original = services._current_members

    def counted_then_pause(group: Group) -> int:
        count = original(group)
        time.sleep(PAUSE)
        return count

    monkeypatch.setattr(services, "_current_members", counted_then_pause)


@pytest.fixture
def setting(personas: Personas) -> Iterator[tuple[Group, list[ResidentProfile]]]:
    a = personas.municipality_a
    with scope(municipality=a):
        catalogue_ensure_defaults(municipality=a)
        activity = ActivityFactory.create(organisation=OrganisationFactory.create(municipality=a))
        group = Group.objects.create(municipality=a, name="Kleine groep", capacity=CAPACITY)
        group.activities.set([activity])
        people = [profile(a, f"Persoon {i}", "contact") for i in range(THREADS)]
    yield group, people


def run_at_once(work: list[Callable[[], str]]) -> Counter[str]:
    """Start every callable at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(work))
    results: list[str] = []
    lock = threading.Lock()

    def run(job: Callable[[], str]) -> None:
        try:
            barrier.wait()
            outcome = job()
        except Exception as error:  # reported in the assertion
            outcome = f"error: {error!r}"
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


def join(group: Group, who: ResidentProfile) -> Callable[[], str]:
    def job() -> str:
        with scope(municipality=group.municipality):
            try:
                services.group_join(actor=None, group=Group.objects.get(pk=group.pk), profile=who)
            except services.GroupFullError:
                return "full"
            except ValidationError as error:
                return str(getattr(error, "code", "invalid"))
        return "joined"

    return job


def members(group: Group) -> int:
    with scopes_disabled():
        return Membership.objects.filter(group=group, left_at__isnull=True).count()


def test_capacity_holds_under_concurrent_joins(setting: Any, slow_count: None) -> None:
    group, people = setting
    outcomes = run_at_once([join(group, who) for who in people])
    # 10 people, 3 places: exactly 3 get in, 7 hear the group is full; nothing else happens.
    assert outcomes == Counter({"joined": CAPACITY, "full": THREADS - CAPACITY})
    assert members(group) == CAPACITY


def test_the_same_person_twice_at_once_joins_once(setting: Any) -> None:
    group, people = setting
    outcomes = run_at_once([join(group, people[0]) for _ in range(4)])
    assert outcomes == Counter({"joined": 1, "already_member": 3})
    assert members(group) == 1


def test_without_the_lock_the_rule_breaks(setting: Any, slow_count: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The control: the same race with the row lock removed lets too many in."""

    def unlocked(group: Group) -> Group:
        group.refresh_from_db()
        return group

    monkeypatch.setattr(services, "_locked", unlocked)
    group, people = setting
    outcomes = run_at_once([join(group, who) for who in people])
    assert outcomes["joined"] > CAPACITY
    assert members(group) > CAPACITY
