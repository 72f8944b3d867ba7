"""`nabij import_areas FILE [--dry-run] [--municipality GM0599]`: the CBS wijk- en buurtkaart."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from nabij.core.cli import read_input
from nabij.core.services import AreaImportError, areas_import
from nabij.core.taskqueue import ConsoleProgress


class Command(BaseCommand):
    help = (
        "Importeer gemeenten, wijken en buurten uit de CBS wijk- en buurtkaart (GeoJSON in WGS 84, of CSV "
        "met LAT en LON). Bestaande gebieden worden bijgewerkt op CBS-code. Een bestand met fouten geeft "
        "een overzicht per regel en slaat niets op. Zie docs/import_areas.md."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="GeoJSON- of CSV-bestand")
        parser.add_argument("--dry-run", action="store_true", help="alleen controleren en tellen, niets opslaan")
        parser.add_argument(
            "--municipality",
            metavar="GM0000",
            help="alleen deze gemeente importeren uit een landelijk bestand",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        data = read_input(path)
        # On a terminal only (tqdm's None), and never with --verbosity 0.
        progress = ConsoleProgress(disable=None if options["verbosity"] else True)
        try:
            result = areas_import(
                actor=None,
                data=data,
                filename=path.name,
                municipality_code=options["municipality"],
                dry_run=options["dry_run"],
                progress=progress,
            )
        except AreaImportError as exc:
            progress.close()
            self.stderr.write(exc.report())
            raise CommandError(f"{path.name} is niet geïmporteerd.") from exc
        progress.close()
        self.stdout.write(result.summary())
