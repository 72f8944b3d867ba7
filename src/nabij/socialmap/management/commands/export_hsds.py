"""`nabij export_hsds --municipality GM0599 --out DIR [--published-only]`: the social map as HSDS 3.0."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope

from nabij.core.cli import municipality_option
from nabij.socialmap.hsds.export import export_hsds


class Command(BaseCommand):
    help = (
        "Schrijf de sociale kaart van een gemeente als HSDS 3.0: organisaties, plekken, activiteiten (diensten), "
        "roosters en drempels, één JSON-bestand per tabel. Zie docs/hsds.md."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--municipality", required=True, metavar="GM0000", help="CBS-gemeentecode")
        parser.add_argument("--out", required=True, metavar="MAP", help="map voor de bestanden (wordt gemaakt)")
        parser.add_argument(
            "--published-only",
            action="store_true",
            help="alleen gepubliceerde activiteiten, en organisaties en plekken die niet gearchiveerd zijn",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = municipality_option(options["municipality"])
        directory = Path(options["out"])
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} is een bestand, geen map.")
        try:
            with scope(municipality=municipality):
                result = export_hsds(
                    municipality=municipality, directory=directory, published_only=options["published_only"]
                )
        except OSError as error:
            raise CommandError(f"De bestanden kunnen niet in {directory} worden geschreven: {error}") from error
        self.stdout.write(result.summary())
