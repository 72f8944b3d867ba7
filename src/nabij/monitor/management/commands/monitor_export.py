"""`nabij monitor_export --municipality CODE --period P --out FILE.csv`: a stored snapshot as CSV.

The same CSV as the dashboard's download and the API (see `nabij.monitor.exports`). The file is
written next to its target and moved into place at the end, so a failure leaves no half-written file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scope

from nabij.core.cli import municipality_option
from nabij.core.models import Municipality
from nabij.monitor.exports import write_snapshot_csv
from nabij.monitor.periods import PeriodError, parse_period
from nabij.monitor.selectors import published_snapshot, snapshots_of


class Command(BaseCommand):
    help = "Exporteer de cijfers van een momentopname van de monitor als CSV (lange vorm)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", required=True, help="CBS-gemeentecode, bijvoorbeeld GM0599")
        parser.add_argument("--period", required=True, help="periode: 2026, 2026-Q3 of 2026-07")
        parser.add_argument("--out", required=True, help="CSV-bestand om te schrijven; - schrijft naar de uitvoer")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = municipality_option(options["municipality"])
        try:
            period = parse_period(options["period"]).code
        except PeriodError as error:
            raise CommandError(str(error)) from None
        with scope(municipality=municipality):
            snapshot = published_snapshot(municipality, period)
            if snapshot is None:
                raise CommandError(self._no_snapshot(municipality, period))
            if options["out"] == "-":
                count = write_snapshot_csv(snapshot, self.stdout)
                return
            count = self._write_file(Path(options["out"]), lambda out: write_snapshot_csv(snapshot, out))
        self.stderr.write(f"{count} waarden van {municipality.name} {period} geschreven naar {options['out']}.")

    @staticmethod
    def _no_snapshot(municipality: Municipality, period: str) -> str:
        existing = snapshots_of(municipality).filter(period=period).first()
        if existing is not None:
            return (
                f"De momentopname van {municipality.name} voor {period} is niet klaar (status: {existing.status}). "
                f"Wacht tot hij klaar is, of bereken hem opnieuw met nabij monitor_snapshot."
            )
        return (
            f"Er is geen momentopname van {municipality.name} voor {period}. "
            f"Bereken die eerst: nabij monitor_snapshot --municipality {municipality.code} --period {period}"
        )

    @staticmethod
    def _write_file(target: Path, write: Any) -> int:
        directory = target.resolve().parent
        if not directory.is_dir():
            raise CommandError(f"De map {directory} bestaat niet.")
        handle, temporary = tempfile.mkstemp(prefix=".monitor-export-", suffix=".csv", dir=directory)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                count: int = write(out)
            # mkstemp makes the file private; give it the permissions a plain open() would.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return count
