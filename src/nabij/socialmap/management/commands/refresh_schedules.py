"""`nabij refresh_schedules [--municipality CODE]`: move each activity's next date on (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scope, scopes_disabled

from nabij.core.models import Municipality
from nabij.socialmap.services import activities_refresh_schedule


class Command(BaseCommand):
    help = "Zet de volgende datum van activiteiten door als die voorbij is (dagelijks draaien)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", help="CBS-code van één gemeente, zoals GM0599; leeg: alle gemeenten")

    def handle(self, *args: Any, **options: Any) -> None:
        with scopes_disabled():
            municipalities = Municipality.objects.order_by("code")
            if options["municipality"]:
                municipalities = municipalities.filter(code=options["municipality"])
                if not municipalities.exists():
                    raise CommandError(f"Gemeente {options['municipality']} bestaat niet.")
            chosen = list(municipalities)
        for municipality in chosen:
            with scope(municipality=municipality):
                count = activities_refresh_schedule(municipality=municipality)
            self.stdout.write(f"{municipality.code} {municipality.name}: {count} activiteiten bijgewerkt.")
