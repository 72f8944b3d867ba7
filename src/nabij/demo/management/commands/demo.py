"""`nabij demo [--port 8000] [--no-serve]`: try Nabij with the demo municipality, without any set-up."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from nabij.core.models import Municipality
from nabij.core.taskqueue import ConsoleProgress
from nabij.demo.generator import DemoRefused, generate_demo
from nabij.demo.logins import DEMO_MUNICIPALITY_CODE, DEMO_PASSWORD, demo_logins

DEMO_SEED = 1


class Command(BaseCommand):
    help = (
        "Probeer Nabij: maak de database bij, maak de demogemeente Voorbeeldstad als er nog geen gemeente "
        "is, toon een demo-account voor elke rol en start de website op 127.0.0.1."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="poort van de website (standaard 8000)")
        parser.add_argument(
            "--no-serve", action="store_true", help="alles klaarzetten en de accounts tonen, maar niet starten"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        port = options["port"]
        if not 0 < port < 65536:
            raise CommandError(f"Poort {port} bestaat niet: kies een getal van 1 tot 65535.")
        if settings.PRODUCTION:
            raise CommandError(
                "`nabij demo` is voor uitproberen op je eigen computer, niet voor productie (NABIJ_ENV=production)."
            )
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=max(0, verbosity - 1))

        if Municipality.objects.exists():
            self.stdout.write("Er staat al een gemeente in de database; de demogemeente wordt niet opnieuw gemaakt.")
        else:
            self.stdout.write("De demogemeente Voorbeeldstad wordt gemaakt…")
            progress = ConsoleProgress(disable=None if verbosity else True)
            try:
                generate_demo(scale="small", seed=DEMO_SEED, progress=progress)
            except DemoRefused as exc:
                raise CommandError(str(exc)) from exc
            finally:
                progress.close()

        municipality = Municipality.objects.filter(code=DEMO_MUNICIPALITY_CODE).first()
        if municipality is None:
            first = Municipality.objects.order_by("name").first()
            self.stdout.write(
                "Deze database heeft geen Voorbeeldstad, dus ook geen demo-accounts."
                + (f" Ga naar http://127.0.0.1:{port}/{first.slug}/" if first else "")
            )
        else:
            self._print_logins(f"http://127.0.0.1:{port}/{municipality.slug}/")

        if options["no_serve"]:
            return
        # No reloader: it would start this command, and so migrate, a second time in a child process.
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)

    def _print_logins(self, url: str) -> None:
        logins = demo_logins()
        email_width = max(len(login.email) for login in logins)
        role_width = max(len(login.role) for login in logins)
        lines = [
            "",
            f"Voorbeeldstad: {url}",
            "",
            f"Demo-accounts (wachtwoord voor allemaal: {DEMO_PASSWORD})",
            f"{'rol':<{role_width}}  {'e-mailadres':<{email_width}}  wat deze rol doet",
        ]
        for login in logins:
            note = " (*)" if login.needs_authenticator else ""
            lines.append(f"{login.role:<{role_width}}  {login.email:<{email_width}}  {login.description}{note}")
        lines += [
            "",
            "(*) Deze rol ziet persoonsgegevens van anderen. Bij de eerste keer dat je zo'n pagina opent, "
            "stel je een authenticator-app in (bijvoorbeeld FreeOTP of Google Authenticator) en log je "
            "daarna in met een code uit die app.",
            "",
        ]
        self.stdout.write("\n".join(lines))
