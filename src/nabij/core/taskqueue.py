"""One small interface for long work: run in-process (embedded default) or on an RQ worker.

A task is a function registered with @task("app.name"). It receives a `Progress` and
keyword arguments that are JSON-serialisable, and returns a JSON-serialisable result.
Views call `enqueue()` and redirect to the task's progress page; commands call
`run_inline()` with a console progress bar.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
import traceback
from collections.abc import Callable
from datetime import timedelta
from typing import IO, TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from nabij.core.models import Municipality, TaskRun, TaskStatus

if TYPE_CHECKING:
    from rq import Queue, Worker
    from rq.job import Job

logger = logging.getLogger(__name__)


class Progress(Protocol):
    def start(self, total: int, message: str = "") -> None: ...
    def advance(self, amount: int = 1, message: str | None = None) -> None: ...


TaskFunction = Callable[..., Any]
_REGISTRY: dict[str, TaskFunction] = {}


def task(name: str) -> Callable[[TaskFunction], TaskFunction]:
    def register(func: TaskFunction) -> TaskFunction:
        if name in _REGISTRY and _REGISTRY[name] is not func:
            raise ValueError(f"Task {name!r} is registered twice.")
        _REGISTRY[name] = func
        return func

    return register


def get_task(name: str) -> TaskFunction:
    if name not in _REGISTRY:
        # Tasks register when their app's tasks module is imported.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tasks")
    try:
        return _REGISTRY[name]
    except KeyError:
        raise LookupError(f"No task named {name!r}.") from None


class NullProgress:
    def start(self, total: int, message: str = "") -> None:
        pass

    def advance(self, amount: int = 1, message: str | None = None) -> None:
        pass


class ConsoleProgress:
    """A progress bar on the command line (tqdm), quiet when output is not a terminal."""

    def __init__(self, stream: IO[str] | None = None, disable: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.disable = disable
        self._bar: Any = None

    def start(self, total: int, message: str = "") -> None:
        from tqdm import tqdm

        self.close()
        self._bar = tqdm(total=total, desc=message, file=self.stream, disable=self.disable, leave=True)

    def advance(self, amount: int = 1, message: str | None = None) -> None:
        if self._bar is None:
            return
        if message:
            self._bar.set_description_str(message, refresh=False)
        self._bar.update(amount)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


class TaskRunProgress:
    """Writes progress to the TaskRun row, at most twice a second so it never dominates the work."""

    interval = 0.5

    def __init__(self, run: TaskRun) -> None:
        self.run = run
        self._last_write = 0.0

    def start(self, total: int, message: str = "") -> None:
        self.run.progress_total = total
        self.run.progress_done = 0
        self.run.message = message[:300]
        self._write(force=True)

    def advance(self, amount: int = 1, message: str | None = None) -> None:
        self.run.progress_done += amount
        if message is not None:
            self.run.message = message[:300]
        self._write()

    def _write(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last_write >= self.interval:
            TaskRun.objects.filter(pk=self.run.pk).update(
                progress_done=self.run.progress_done,
                progress_total=self.run.progress_total,
                message=self.run.message,
            )
            self._last_write = now


class TeeProgress:
    def __init__(self, *targets: Progress) -> None:
        self.targets = targets

    def start(self, total: int, message: str = "") -> None:
        for target in self.targets:
            target.start(total, message)

    def advance(self, amount: int = 1, message: str | None = None) -> None:
        for target in self.targets:
            target.advance(amount, message)


class TaskError(Exception):
    """A failure the user can act on (a bad file, a missing setting), not a bug.

    The message is shown as is, in Dutch; `result` is kept on the TaskRun so a page can show
    details, such as an import's report row by row.
    """

    def __init__(self, message: str, result: Any = None) -> None:
        super().__init__(message)
        self.result = result


# A hung job must not hold a worker for ever; long tasks pass a larger timeout (seconds).
DEFAULT_TIMEOUT = 2 * 60 * 60


def enqueue(
    name: str,
    *,
    label: str = "",
    created_by: Any = None,
    municipality: Municipality | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    **kwargs: Any,
) -> TaskRun:
    """Record a TaskRun and start it: inline with the sync backend, on the queue with rq."""
    get_task(name)  # fail now, in the caller, on an unknown task
    run = TaskRun.objects.create(
        name=name,
        label=label,
        kwargs=kwargs,
        created_by=created_by,
        municipality=municipality,
        timeout_seconds=timeout,
    )
    if settings.NABIJ_TASK_BACKEND == "rq":
        # Only after commit: a worker must never pick up a run it cannot see yet.
        transaction.on_commit(lambda: _send_to_queue(run, timeout))
    else:
        # The caller may be inside a transaction (a view, a test): a savepoint keeps a failing
        # task from breaking it, and the connection must stay open, so this is not execute().
        _claim_and_run(str(run.pk), savepoint=True)
        run.refresh_from_db()
    return run


def _send_to_queue(run: TaskRun, timeout: int) -> None:
    try:
        _rq_queue().enqueue(execute, str(run.pk), job_timeout=timeout)
    except Exception:
        # Redis down: say so on the run, rather than leaving it "queued" for ever.
        logger.exception("Could not queue task run %s", run.pk)
        TaskRun.objects.filter(pk=run.pk, status=TaskStatus.QUEUED).update(
            status=TaskStatus.FAILED,
            error="the task queue (Redis) could not be reached",
            message=str(_("De taak kon niet worden gestart. Probeer het later opnieuw.")),
            finished_at=timezone.now(),
        )


# A queued run that no worker took within a day will not be taken: its job is gone.
QUEUED_TOO_LONG = timedelta(days=1)
LOST_MARGIN = timedelta(minutes=10)


def fail_lost_runs() -> int:
    """Mark runs whose worker died (killed, machine restarted) as failed, so nobody waits for ever.

    Workers call this when they start; it is safe to run any time, from any process.
    """
    now = timezone.now()
    lost = 0
    for run in TaskRun.objects.filter(status=TaskStatus.RUNNING).only("pk", "started_at", "timeout_seconds"):
        if run.started_at and run.started_at + timedelta(seconds=run.timeout_seconds) + LOST_MARGIN < now:
            lost += TaskRun.objects.filter(pk=run.pk, status=TaskStatus.RUNNING).update(
                status=TaskStatus.FAILED,
                error="lost: still running after its timeout; the worker probably stopped",
                message=str(_("De taak is afgebroken. Start haar opnieuw.")),
                finished_at=now,
            )
    lost += TaskRun.objects.filter(status=TaskStatus.QUEUED, created_at__lt=now - QUEUED_TOO_LONG).update(
        status=TaskStatus.FAILED,
        error="lost: queued for more than a day without a worker taking it",
        message=str(_("De taak is nooit gestart. Start haar opnieuw.")),
        finished_at=now,
    )
    return lost


def run_inline(name: str, progress: Progress | None = None, **kwargs: Any) -> Any:
    """Run a task in this process without a TaskRun row (management commands)."""
    return get_task(name)(progress=progress or NullProgress(), **kwargs)


def execute(run_id: str) -> None:
    """Entry point of a worker: run one TaskRun to its end.

    A worker is a long-lived process outside any request, so it does what Django's request
    signals do elsewhere: drop stale connections before, and close its own after, the work.
    """
    close_old_connections()
    try:
        _claim_and_run(run_id, savepoint=False)
    finally:
        connections.close_all()


def _claim_and_run(run_id: str, *, savepoint: bool) -> None:
    # Claim with a conditional UPDATE, so a job delivered twice (a worker lost and restarted)
    # never runs the same import twice.
    claimed = TaskRun.objects.filter(pk=run_id, status=TaskStatus.QUEUED).update(
        status=TaskStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        logger.warning("Task run %s is not queued (any more); skipped", run_id)
        return
    run = TaskRun.objects.get(pk=run_id)
    try:
        # Without a savepoint (worker), progress written during the task is committed at once
        # and so visible to the page that polls it.
        # A task runs in its own run's tenant scope, never in its caller's: the same task must
        # see the same data on the sync backend (inside a request) and on a worker (no scope).
        with (
            transaction.atomic() if savepoint else contextlib.nullcontext(),
            scope(municipality=run.municipality if run.municipality_id else []),
        ):
            result = get_task(run.name)(progress=TaskRunProgress(run), **run.kwargs)
    except TaskError as exc:
        logger.info("Task %s (%s) stopped: %s", run.name, run.pk, exc)
        TaskRun.objects.filter(pk=run.pk).update(
            status=TaskStatus.FAILED,
            error=str(exc),
            message=str(exc)[:300],
            result=exc.result,
            finished_at=timezone.now(),
        )
    except Exception as exc:
        logger.exception("Task %s (%s) failed", run.name, run.pk)
        # The details (which may hold SQL or data) stay in the log and the admin; the page
        # that shows the run gets a plain message.
        TaskRun.objects.filter(pk=run.pk).update(
            status=TaskStatus.FAILED,
            error="".join(traceback.format_exception_only(exc)).strip(),
            message=str(_("Er ging iets mis bij deze taak. Een beheerder kan de details zien.")),
            finished_at=timezone.now(),
        )
    else:
        TaskRun.objects.filter(pk=run.pk).update(
            status=TaskStatus.DONE,
            result=result,
            progress_done=run.progress_total,
            finished_at=timezone.now(),
        )


def redis_connection() -> Any:
    from redis import Redis

    return Redis.from_url(settings.REDIS_URL)


def _rq_queue(name: str | None = None) -> Any:
    from rq import Queue

    return Queue(name or settings.NABIJ_TASK_QUEUE, connection=redis_connection())


def worker_class() -> type[Worker]:
    """RQ's forking worker, made safe for Django's database connections.

    The worker forks a child per job. A connection the parent holds at that moment would be
    shared by both processes: their queries interleave on one socket, and the child closing
    it on exit ends the parent's session. So the parent closes its connections before each
    fork and the child opens its own.
    """
    # Imported here: rq takes a quarter of a second to import, which web processes need not pay.
    from rq import Worker

    class NabijWorker(Worker):
        def fork_work_horse(self, job: Job, queue: Queue) -> None:
            connections.close_all()
            super().fork_work_horse(job, queue)

    return NabijWorker
