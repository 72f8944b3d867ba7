"""A task runs in the tenant scope of its own run, whatever scope its caller is in."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django_scopes import scope

from nabij.core.models import District, TaskRun, TaskStatus
from nabij.core.taskqueue import Progress, enqueue, fail_lost_runs, task
from nabij.testing.factories import DistrictFactory
from nabij.testing.personas import Personas


@task("tests.count_districts")
def count_districts(*, progress: Progress) -> dict[str, Any]:
    return {"codes": sorted(District.objects.values_list("code", flat=True))}


@task("tests.crash")
def crash(*, progress: Progress) -> None:
    raise RuntimeError("SELECT secret FROM somewhere")


def test_sync_task_sees_its_own_municipality_not_the_callers(personas: Personas) -> None:
    DistrictFactory.create(municipality=personas.municipality_b, code="WK000202")
    with scope(municipality=personas.municipality_a):
        run = enqueue("tests.count_districts", municipality=personas.municipality_b)
    assert run.status == TaskStatus.DONE, run.error
    assert run.result == {"codes": ["WK000201", "WK000202"]}


def test_task_without_municipality_sees_no_tenant_data(personas: Personas) -> None:
    with scope(municipality=personas.municipality_a):
        run = enqueue("tests.count_districts")
    assert run.result == {"codes": []}


def test_unexpected_failure_shows_a_plain_message_and_keeps_details_for_staff(db: None) -> None:
    run = enqueue("tests.crash")
    assert run.status == TaskStatus.FAILED
    assert "SELECT" not in run.message
    assert "Er ging iets mis" in run.message
    assert "RuntimeError: SELECT secret FROM somewhere" in run.error


def test_queue_unreachable_marks_the_run_failed(
    personas: Personas, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.NABIJ_TASK_BACKEND = "rq"
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    with django_capture_on_commit_callbacks(execute=True):
        run = enqueue("tests.count_districts", municipality=personas.municipality_a)
    run.refresh_from_db()
    assert run.status == TaskStatus.FAILED
    assert "kon niet worden gestart" in run.message


def test_runs_lost_with_their_worker_are_marked_failed(db: None) -> None:
    now = timezone.now()
    lost = TaskRun.objects.create(
        name="tests.crash", status=TaskStatus.RUNNING, started_at=now - timedelta(hours=3), timeout_seconds=3600
    )
    busy = TaskRun.objects.create(
        name="tests.crash", status=TaskStatus.RUNNING, started_at=now - timedelta(hours=3), timeout_seconds=86400
    )
    fresh = TaskRun.objects.create(name="tests.crash", status=TaskStatus.QUEUED)
    forgotten = TaskRun.objects.create(name="tests.crash", status=TaskStatus.QUEUED)
    TaskRun.objects.filter(pk=forgotten.pk).update(created_at=now - timedelta(days=2))

    assert fail_lost_runs() == 2
    statuses = {run.pk: run.status for run in TaskRun.objects.all()}
    assert statuses[lost.pk] == statuses[forgotten.pk] == TaskStatus.FAILED
    assert statuses[busy.pk] == TaskStatus.RUNNING and statuses[fresh.pk] == TaskStatus.QUEUED
    assert "afgebroken" in TaskRun.objects.get(pk=lost.pk).message
    assert fail_lost_runs() == 0
