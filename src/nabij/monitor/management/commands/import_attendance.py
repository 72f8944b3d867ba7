"""`nabij import_attendance FILE --municipality GM0599 [--dry-run]`: attendance from a CSV file."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope

from nabij.core.cli import municipality_option, read_input
from nabij.monitor.attendance_csv import AttendanceImportError, attendance_import


class Command(BaseCommand):
    help = (
        "Lees aanwezigheid in uit een CSV-bestand (UTF-8, ; of , als scheidingsteken) voor één gemeente, "
        "met de kolommen activity,date,anonymous_count,participant_keys. Alles of niets: een bestand met "
        "fouten geeft een overzicht per regel en kolom en slaat niets op. Zie docs/attendance.md."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="CSV-bestand met bijeenkomsten")
        parser.add_argument("--municipality", metavar="GM0000", required=True, help="CBS-code van de gemeente")
        parser.add_argument("--dry-run", action="store_true", help="alleen controleren, niets opslaan")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = municipality_option(options["municipality"])
        path = Path(options["file"])
        data = read_input(path)
        try:
            # The command acts as the system (actor None), like the other imports: the operator ran it.
            with scope(municipality=municipality):
                result = attendance_import(actor=None, municipality=municipality, data=data, dry_run=options["dry_run"])
        except AttendanceImportError as exc:
            self.stderr.write(exc.report())
            raise CommandError(f"{path.name} is niet ingelezen.") from exc
        self.stdout.write(result.summary())
