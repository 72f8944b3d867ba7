"""`nabij worker [--burst] [--queue NAME]`: run background tasks from the Redis queue (RQ)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.module_loading import autodiscover_modules
from redis.exceptions import RedisError

from nabij.core.taskqueue import fail_lost_runs, redis_connection, worker_class

LOG_LEVELS = {0: "WARNING", 1: "INFO", 2: "DEBUG", 3: "DEBUG"}


class Command(BaseCommand):
    help = (
        "Voer achtergrondtaken uit (imports, rapporten, matching) uit de Redis-wachtrij. "
        "Nodig wanneer de webprocessen NABIJ_TASK_BACKEND=rq gebruiken; start er zoveel als nodig."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--burst", action="store_true", help="stop zodra de wachtrij leeg is (voor scripts en tests)"
        )
        parser.add_argument(
            "--queue",
            default=None,
            metavar="NAAM",
            help="de wachtrij (standaard: de waarde van NABIJ_TASK_QUEUE)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.REDIS_URL:
            raise CommandError(
                "REDIS_URL is niet ingesteld. De worker haalt taken uit Redis: zet bijvoorbeeld "
                "REDIS_URL=redis://127.0.0.1:6379/0, en NABIJ_TASK_BACKEND=rq voor de webprocessen. "
                "Zonder Redis lopen taken in het webproces zelf (NABIJ_TASK_BACKEND=sync) en is geen "
                "worker nodig."
            )
        queue = options["queue"] or settings.NABIJ_TASK_QUEUE
        connection = redis_connection()
        try:
            connection.ping()
        except RedisError as exc:
            # Not the URL itself: it may hold a password.
            raise CommandError(f"Redis (REDIS_URL) is niet bereikbaar: {exc}") from exc

        lost = fail_lost_runs()
        if lost:
            self.stdout.write(f"{lost} taak/taken die een eerdere worker liet liggen, staan nu op mislukt.")
        # Import every app's tasks once here, so each forked job finds them loaded.
        autodiscover_modules("tasks")
        connections.close_all()
        worker = worker_class()([queue], connection=connection)
        self.stdout.write(f"Worker {worker.name} wacht op taken in wachtrij '{queue}'.")
        worker.work(burst=options["burst"], logging_level=LOG_LEVELS.get(options["verbosity"], "INFO"))
