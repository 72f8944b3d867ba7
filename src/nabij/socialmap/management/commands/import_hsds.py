"""`nabij import_hsds DIR --municipality GM0599 [--dry-run]`: HSDS 3.0 data into the social map."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope

from nabij.core.cli import municipality_option
from nabij.socialmap.hsds.importer import HsdsImportError, import_hsds
from nabij.socialmap.hsds.plan import Defaults
from nabij.socialmap.models import OrganisationKind, Sphere


class Command(BaseCommand):
    help = (
        "Lees HSDS 3.0-gegevens (de export van Nabij, of die van een andere uitgever) in de sociale kaart van "
        "een gemeente. Bestaande organisaties, plekken en activiteiten worden bijgewerkt op id. Bij een fout "
        "wordt niets opgeslagen en krijg je per bestand, record en veld te zien wat er mis is. Zie docs/hsds.md."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("directory", metavar="MAP", help="map met de HSDS-bestanden (.json of .csv)")
        parser.add_argument("--municipality", required=True, metavar="GM0000", help="CBS-gemeentecode")
        parser.add_argument("--dry-run", action="store_true", help="alleen controleren en tellen, niets opslaan")
        defaults = Defaults()
        parser.add_argument(
            "--default-participation-type",
            default=defaults.participation_type,
            metavar="CODE",
            help=f"soort deelname voor een dienst zonder (standaard {defaults.participation_type})",
        )
        parser.add_argument(
            "--default-sphere",
            default=defaults.sphere,
            choices=Sphere.values,
            help=f"sfeer voor een organisatie zonder (standaard {defaults.sphere})",
        )
        parser.add_argument(
            "--default-kind",
            default=defaults.kind,
            choices=OrganisationKind.values,
            help=f"soort organisatie voor een organisatie zonder (standaard {defaults.kind})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = municipality_option(options["municipality"])
        directory = Path(options["directory"])
        if not directory.exists():
            raise CommandError(f"De map {directory} bestaat niet.")
        if not directory.is_dir():
            raise CommandError(f"{directory} is geen map. Geef de map met de HSDS-bestanden.")
        defaults = Defaults(
            participation_type=options["default_participation_type"],
            sphere=options["default_sphere"],
            kind=options["default_kind"],
        )
        try:
            with scope(municipality=municipality):
                result = import_hsds(
                    municipality=municipality, directory=directory, defaults=defaults, dry_run=options["dry_run"]
                )
        except HsdsImportError as error:
            raise CommandError(error.report()) from error
        self.stdout.write(result.summary())
