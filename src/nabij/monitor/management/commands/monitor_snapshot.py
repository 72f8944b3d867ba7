"""`nabij monitor_snapshot --municipality CODE --period 2026-Q3`: compute and store a snapshot.

Without --period: the last complete quarter (what a daily or quarterly cron job runs). With
--queue the work goes to the background worker instead of this process.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from nabij.core.cli import municipality_option
from nabij.core.models import Municipality
from nabij.core.taskqueue import ConsoleProgress
from nabij.monitor.periods import PeriodError, last_complete_quarter, parse_period
from nabij.monitor.services.snapshots import snapshot_compute, snapshot_enqueue


class Command(BaseCommand):
    help = "Bereken alle indicatoren van de monitor voor een periode en bewaar ze als momentopname."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", help="CBS-code van één gemeente, zoals GM0599; leeg: alle gemeenten")
        parser.add_argument(
            "--period", help="2026 (jaar), 2026-Q3 (kwartaal) of 2026-07 (maand); leeg: het laatste hele kwartaal"
        )
        parser.add_argument("--queue", action="store_true", help="laat de achtergrondwerker het werk doen")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = (
                parse_period(options["period"]) if options["period"] else last_complete_quarter(timezone.localdate())
            )
        except PeriodError as error:
            raise CommandError(str(error)) from error
        if options["municipality"]:
            chosen = [municipality_option(options["municipality"])]
        else:
            with scopes_disabled():
                chosen = list(Municipality.objects.order_by("code"))
        for municipality in chosen:
            with scope(municipality=municipality):
                if options["queue"]:
                    run = snapshot_enqueue(actor=None, municipality=municipality, period=period.code)
                    self.stdout.write(f"{municipality.code} {period.code}: taak {run.pk} ({run.status}).")
                    continue
                progress = ConsoleProgress(disable=None if options["verbosity"] else True)
                try:
                    snapshot = snapshot_compute(actor=None, municipality=municipality, period=period, progress=progress)
                except ValidationError as error:
                    raise CommandError("; ".join(error.messages)) from error
                finally:
                    progress.close()
                values = snapshot.values.all()
                self.stdout.write(
                    f"{municipality.code} {period.code}: {values.count()} waarden, "
                    f"{values.filter(suppressed=True).count()} afgeschermd, {snapshot.seconds} s."
                )
