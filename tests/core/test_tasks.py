"""Background tasks: the sync backend, a real RQ worker on Redis, and `nabij worker`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import translation
from django_scopes import scopes_disabled

from nabij.core.models import Municipality, Neighbourhood, TaskRun, TaskStatus
from nabij.core.taskqueue import Progress, TaskError, enqueue, execute, task
from tests.conftest import services_required

AREAS = Path(__file__).resolve().parent.parent / "fixtures" / "areas"
GEOJSON = AREAS / "rivierstede.geojson"
BAD_CSV = AREAS / "rivierstede_fouten.csv"

RUNS: list[str] = []


@pytest.fixture(autouse=True)
def dutch() -> Iterator[None]:
    """The messages are asserted in Dutch, whatever language an earlier test left active."""
    with translation.override("nl"):
        yield


@task("tests.count_runs")
def count_runs(*, progress: Progress, word: str) -> int:
    RUNS.append(word)
    return len(RUNS)


@task("tests.broken")
def broken(*, progress: Progress) -> None:
    Municipality.objects.create(code="GM0997", name="Halfdorp", slug="halfdorp", centroid_lat=52, centroid_lon=5)
    raise RuntimeError("stuk")


@task("tests.refused")
def refused(*, progress: Progress) -> None:
    raise TaskError("Dit kan zo niet.", result={"why": "test"})


def test_import_runs_through_the_sync_backend_with_progress(db: None, settings: Any) -> None:
    settings.NABIJ_TASK_BACKEND = "sync"
    run = enqueue("core.import_areas", label="Buurten van Rivierstede", path=str(GEOJSON))

    assert run.status == TaskStatus.DONE, run.error
    assert run.result["neighbourhoods"] == {"created": 3, "updated": 0, "unchanged": 0}
    assert run.result["municipality_codes"] == ["GM0998"]
    assert run.started_at is not None and run.finished_at is not None
    # Progress was recorded on the run; its last phase saves 1 gemeente, 2 wijken and 3 buurten.
    assert run.progress_total == 6
    assert run.progress_done == run.progress_total
    assert run.percent == 100
    assert run.message == "Gebieden opslaan"
    with scopes_disabled():
        assert Neighbourhood.objects.count() == 3


def test_bad_file_fails_the_run_with_a_dutch_message_and_the_rows(db: None) -> None:
    run = enqueue("core.import_areas", path=str(BAD_CSV))

    assert run.status == TaskStatus.FAILED
    assert run.message == "Het bestand heeft 4 fouten; er is niets opgeslagen."
    assert run.result["problems"][0] == {
        "row": 3,
        "unit": "regel",
        "column": "BU_CODE",
        "message": "Buurtcode 'BU0998012' klopt niet: gebruik BU en 8 cijfers, bijvoorbeeld BU05990101.",
    }
    assert not Municipality.objects.exists()


def test_missing_file_fails_the_run_with_a_dutch_message(db: None, tmp_path: Path) -> None:
    run = enqueue("core.import_areas", path=str(tmp_path / "weg.geojson"))
    assert run.status == TaskStatus.FAILED
    assert run.message.startswith("Het bestand weg.geojson kan niet worden gelezen")


def test_task_error_keeps_its_result(db: None) -> None:
    run = enqueue("tests.refused")
    assert (run.status, run.message, run.error, run.result) == (
        TaskStatus.FAILED,
        "Dit kan zo niet.",
        "Dit kan zo niet.",
        {"why": "test"},
    )


def test_failing_task_inside_a_transaction_leaves_the_caller_usable(db: None) -> None:
    with transaction.atomic():
        run = enqueue("tests.broken")
        # The task's own writes are undone; the caller's transaction and connection still work.
        assert run.status == TaskStatus.FAILED
        assert run.error == "RuntimeError: stuk"
        assert not Municipality.objects.filter(code="GM0997").exists()
        assert TaskRun.objects.filter(pk=run.pk).exists()


def test_a_run_delivered_twice_runs_once(transactional_db: None) -> None:
    RUNS.clear()
    run = enqueue("tests.count_runs", word="een")
    execute(str(run.pk))  # as a second delivery of the same job would
    run.refresh_from_db()
    assert RUNS == ["een"]
    assert run.result == 1


@pytest.fixture
def redis_url() -> Iterator[str]:
    from redis import Redis
    from redis.exceptions import RedisError

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    try:
        Redis.from_url(url, socket_connect_timeout=2).ping()
    except RedisError as exc:
        message = f"Redis op {url} is niet bereikbaar ({exc}): start Redis of zet REDIS_URL."
        if services_required():
            pytest.fail(message)
        pytest.skip(message)
    yield url


@pytest.fixture
def rq_queue(redis_url: str, settings: Any) -> Iterator[str]:
    """A queue of this test's own, removed afterwards; the settings send tasks to it."""
    from redis import Redis
    from rq import Queue

    name = f"nabij-test-{uuid.uuid4().hex}"
    settings.NABIJ_TASK_BACKEND = "rq"
    settings.REDIS_URL = redis_url
    settings.NABIJ_TASK_QUEUE = name
    yield name
    Queue(name, connection=Redis.from_url(redis_url)).empty()
    Queue(name, connection=Redis.from_url(redis_url)).delete(delete_jobs=True)


@pytest.mark.redis
def test_import_runs_on_a_real_rq_worker(transactional_db: None, rq_queue: str, redis_url: str) -> None:
    from redis import Redis
    from rq import Queue, SimpleWorker

    redis = Redis.from_url(redis_url)
    run = enqueue("core.import_areas", path=str(GEOJSON))
    assert run.status == TaskStatus.QUEUED
    queue = Queue(rq_queue, connection=redis)
    assert queue.count == 1

    handlers = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    try:
        worked = SimpleWorker([queue], connection=redis).work(burst=True, logging_level="WARNING")
    finally:
        # The worker installs its own handlers; pytest's must come back.
        signal.signal(signal.SIGINT, handlers[0])
        signal.signal(signal.SIGTERM, handlers[1])

    assert worked
    run.refresh_from_db()
    assert run.status == TaskStatus.DONE, run.error
    assert run.result["neighbourhoods"]["created"] == 3
    assert run.progress_done == run.progress_total > 0
    assert queue.count == 0


def _database_url() -> str:
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return (
        f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )


@pytest.mark.redis
def test_nabij_worker_command_forks_a_job_per_task(
    transactional_db: None, rq_queue: str, redis_url: str, tmp_path: Path
) -> None:
    """The production worker, in its own process: the job runs in a forked child that opens its own
    database connection. Needs a database another process can open, so PostgreSQL."""
    if connection.vendor != "postgresql":
        pytest.skip("the test database on SQLite lives in memory; another process cannot open it")
    run = enqueue("core.import_areas", path=str(GEOJSON))

    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "NABIJ_ENV": "test",
        "SECRET_KEY": "test-only-secret-key-for-the-worker-process",
    }
    completed = subprocess.run(
        [sys.executable, "-m", "nabij", "worker", "--burst", "--queue", rq_queue],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    assert f"wacht op taken in wachtrij '{rq_queue}'" in completed.stdout
    run.refresh_from_db()
    assert run.status == TaskStatus.DONE, run.error
    assert Municipality.objects.filter(code="GM0998").exists()


def test_worker_needs_redis_url(settings: Any) -> None:
    settings.REDIS_URL = ""
    with pytest.raises(CommandError, match="REDIS_URL is niet ingesteld"):
        call_command("worker", "--burst")


def test_worker_reports_unreachable_redis(settings: Any) -> None:
    settings.REDIS_URL = "redis://:geheim@127.0.0.1:1/0"
    with pytest.raises(CommandError, match="niet bereikbaar") as raised:
        call_command("worker", "--burst")
    assert "geheim" not in str(raised.value)
