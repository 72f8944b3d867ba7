"""The demo logins: one account per role, all with the same, published password."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from nabij.accounts.models import SECOND_FACTOR_ROLES, Role

DEMO_MUNICIPALITY_CODE = "GM9999"
DEMO_MUNICIPALITY_NAME = "Voorbeeldstad"
DEMO_MUNICIPALITY_SLUG = "voorbeeldstad"
DEMO_EMAIL_DOMAIN = "voorbeeldstad.nl"
# Published in the README and printed by `nabij demo`: this is why the demo refuses production.
DEMO_PASSWORD = "nabij-demo-wachtwoord"

ROLE_DESCRIPTIONS: dict[str, Promise] = {
    Role.RESIDENT: _("bewoner: zoekt activiteiten zonder drempels, een maatje of een groep"),
    Role.SUPPORTER: _("maatje of vrijwilliger: gaat mee naar een activiteit en blijft in contact"),
    Role.ORGANISER: _("organisator: zet activiteiten van de eigen organisatie op de sociale kaart"),
    Role.PROFESSIONAL: _("professional (wijkteam): draagt bewoners warm over, met hun toestemming"),
    Role.COORDINATOR: _("coördinator: stuurt op de gedeelde monitor, leest het auditlog"),
    Role.ANALYST: _("analist: werkt met de monitor en cijfers, zonder persoonsgegevens"),
    Role.ADMIN: _("beheerder: beheert rollen en instellingen van de gemeente"),
}


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    description: str

    @property
    def needs_authenticator(self) -> bool:
        return self.role in SECOND_FACTOR_ROLES


def demo_email(role: str, suffix: str = "") -> str:
    """`resident@voorbeeldstad.nl`; extra accounts of a role get a plus suffix: `resident+0001@...`."""
    local = f"{role}+{suffix}" if suffix else role
    return f"{local}@{DEMO_EMAIL_DOMAIN}"


def demo_logins() -> list[DemoLogin]:
    return [DemoLogin(str(role), demo_email(str(role)), str(ROLE_DESCRIPTIONS[role])) for role in Role]
