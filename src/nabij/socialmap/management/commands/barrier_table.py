"""`nabij barrier_table`: participation type x number of barriers for a target group, as CSV or a table."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from nabij.core.cli import municipality_option
from nabij.core.models import District, Municipality, Neighbourhood
from nabij.socialmap.models import AMSTERDAM, TargetGroup
from nabij.socialmap.selectors import BARRIER_TABLE_COLUMNS, barrier_table, write_barrier_table_csv


class Command(BaseCommand):
    help = "Drempeltabel: soort deelname x aantal drempels voor een doelgroep (0, 1, 2, 3, 4+)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", required=True, help="CBS-gemeentecode, bijvoorbeeld GM0599")
        parser.add_argument("--group", required=True, help="code van de doelgroep, bijvoorbeeld epa")
        # Not an argparse group: its error would be in English.
        parser.add_argument("--district", help="CBS-wijkcode (WK...)")
        parser.add_argument("--neighbourhood", help="CBS-buurtcode (BU...)")
        parser.add_argument("--date", help="peildatum JJJJ-MM-DD (standaard vandaag)")
        parser.add_argument("--format", choices=["csv", "table"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["district"] and options["neighbourhood"]:
            raise CommandError("Kies --district of --neighbourhood, niet allebei.")
        day = self._day(options["date"])
        municipality = municipality_option(options["municipality"])
        with scope(municipality=municipality):
            group = TargetGroup.objects.filter(code=options["group"]).first()
            if group is None:
                raise CommandError(f"Onbekende doelgroep in {municipality.name}: {options['group']}.")
            district = neighbourhood = None
            if options["district"]:
                district = self._area(District, options["district"], municipality, "wijk")
            if options["neighbourhood"]:
                neighbourhood = self._area(Neighbourhood, options["neighbourhood"], municipality, "buurt")
            rows = barrier_table(
                municipality=municipality, target_group=group, day=day, district=district, neighbourhood=neighbourhood
            )
        if options["format"] == "csv":
            write_barrier_table_csv(rows, self.stdout)
            return
        header = ["Soort deelname", *BARRIER_TABLE_COLUMNS]
        lines = [[row.label, *map(str, row.counts)] for row in rows]
        width = max(len(cells[0]) for cells in [header, *lines])
        self.stdout.write(f"Drempeltabel voor {group.name_nl}, {municipality.name}, {day.isoformat()}")
        for cells in [header, *lines]:
            self.stdout.write(cells[0].ljust(width) + "".join(cell.rjust(6) for cell in cells[1:]))

    @staticmethod
    def _day(value: str | None) -> dt.date:
        if not value:
            return timezone.now().astimezone(AMSTERDAM).date()
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"Ongeldige datum: {value}. Gebruik JJJJ-MM-DD, bijvoorbeeld 2025-06-01.") from None

    @staticmethod
    def _area(model: Any, code: str, municipality: Municipality, noun: str) -> Any:
        with scopes_disabled():
            area = model.objects.filter(code=code.strip().upper()).select_related("municipality").first()
        if area is None:
            raise CommandError(f"Onbekende {noun}: {code}.")
        if area.municipality_id != municipality.pk:
            raise CommandError(
                f"De {noun} {area.code} hoort bij {area.municipality.name}, niet bij {municipality.name}."
            )
        return area
