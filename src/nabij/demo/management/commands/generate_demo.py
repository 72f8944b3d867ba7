"""`nabij generate_demo --scale small|city --seed N`: Voorbeeldstad (GM9999) in the configured database."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from nabij.core.taskqueue import ConsoleProgress
from nabij.demo.generator import DemoRefused, generate_demo
from nabij.demo.logins import DEMO_PASSWORD
from nabij.demo.registry import SCALES


class Command(BaseCommand):
    help = (
        "Maak de verzonnen demogemeente Voorbeeldstad (GM9999): wijken, buurten, organisaties en een "
        "account voor elke rol. Hetzelfde zaadgetal (--seed) geeft dezelfde gemeente. Een tweede keer "
        "kan niet: begin dan met een lege database."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--scale",
            choices=sorted(SCALES),
            default="small",
            help="small: 3 wijken, 12 buurten, 40.000 inwoners; city: 14 wijken, 90 buurten, 650.000 inwoners",
        )
        parser.add_argument("--seed", type=int, default=1, help="zaadgetal voor het toeval (standaard 1)")

    def handle(self, *args: Any, **options: Any) -> None:
        progress = ConsoleProgress(disable=None if options["verbosity"] else True)
        started = time.perf_counter()
        try:
            context = generate_demo(scale=options["scale"], seed=options["seed"], progress=progress)
        except DemoRefused as exc:
            raise CommandError(str(exc)) from exc
        finally:
            progress.close()
        municipality = context.municipality
        self.stdout.write(
            f"{municipality.name} ({municipality.code}) is klaar in {time.perf_counter() - started:.1f} s: "
            f"{municipality.population:,} inwoners".replace(",", ".")
        )
        for kind, count in context.counts().items():
            self.stdout.write(f"  {kind}: {count}")
        self.stdout.write(f"Alle demo-accounts hebben het wachtwoord {DEMO_PASSWORD}; zie `nabij demo --no-serve`.")
