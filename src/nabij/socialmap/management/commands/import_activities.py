"""`nabij import_activities FILE --municipality GM0599 [--dry-run]`: activities from a CSV file."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope

from nabij.core.cli import municipality_option, read_input
from nabij.core.taskqueue import ConsoleProgress
from nabij.socialmap.imports import ActivityImportError, activities_import


class Command(BaseCommand):
    help = (
        "Lees activiteiten in uit een CSV-bestand (UTF-8, ; of , als scheidingsteken) voor één gemeente. "
        "Alles of niets: een bestand met fouten geeft een overzicht per regel en kolom en slaat niets op. "
        "Zie docs/import_activities.md."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="CSV-bestand met activiteiten")
        parser.add_argument("--municipality", metavar="GM0000", required=True, help="CBS-code van de gemeente")
        parser.add_argument("--dry-run", action="store_true", help="alleen controleren, niets opslaan")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = municipality_option(options["municipality"])
        path = Path(options["file"])
        data = read_input(path)
        # On a terminal only (tqdm's None), and never with --verbosity 0.
        progress = ConsoleProgress(disable=None if options["verbosity"] else True)
        try:
            with scope(municipality=municipality):
                result = activities_import(
                    actor=None, municipality=municipality, data=data, dry_run=options["dry_run"], progress=progress
                )
        except ActivityImportError as exc:
            progress.close()
            self.stderr.write(exc.report())
            raise CommandError(f"{path.name} is niet ingelezen.") from exc
        progress.close()
        self.stdout.write(result.summary())
