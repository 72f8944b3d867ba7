"""`nabij grant_role`: give or take a role in a municipality from the command line, audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scope

from nabij.accounts import services
from nabij.accounts.models import Role, RoleAssignment, User
from nabij.core.cli import municipality_option
from nabij.socialmap.models import Organisation


class Command(BaseCommand):
    help = (
        "Geef iemand een rol in een gemeente, of neem die rol weer af (--revoke). "
        "De wijziging komt in het auditlog, met 'systeem' als wie."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="e-mailadres van een bestaand account")
        parser.add_argument("--municipality", required=True, metavar="GM0000", help="CBS-gemeentecode")
        parser.add_argument("--role", required=True, choices=Role.values, help="de rol")
        parser.add_argument("--organisation", metavar="NAAM", help="organisatie (alleen voor de rol organiser)")
        parser.add_argument("--revoke", action="store_true", help="de rol afnemen in plaats van geven")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email=options["email"].strip().lower()).first()
        if user is None:
            raise CommandError(f"Er is geen account met e-mailadres {options['email']}.")
        municipality = municipality_option(options["municipality"])
        with scope(municipality=municipality):
            organisation = None
            if options["organisation"]:
                organisation = Organisation.objects.filter(name=options["organisation"]).first()
                if organisation is None:
                    raise CommandError(f"Organisatie {options['organisation']!r} bestaat niet in {municipality.name}.")
            if options["revoke"]:
                assignment = RoleAssignment.objects.filter(
                    user=user, role=options["role"], organisation=organisation
                ).first()
                if assignment is None:
                    raise CommandError(f"{user.email} heeft de rol {options['role']} niet in {municipality.name}.")
                services.role_revoke(actor=None, assignment=assignment)
                self.stdout.write(f"Rol {options['role']} afgenomen van {user.email} in {municipality.name}.")
                return
            try:
                services.role_grant(
                    actor=None, user=user, municipality=municipality, role=options["role"], organisation=organisation
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"{user.email} heeft nu de rol {options['role']} in {municipality.name}.")
