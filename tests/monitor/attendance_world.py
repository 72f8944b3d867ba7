"""The small world of the attendance tests (services, CSV, pages, API).

Municipality A (Alfadorp) with the shared personas and social map, plus:
- activities of Buurthuis De Linde (organiser: `socialmap.organiser`): `koffie` (published, weekly on
  Tuesday from 7 January 2025), `concept` (a draft), `ended` (ran until 30 June 2025);
  of Sportclub Vooruit (organiser: `socialmap.other_organiser`): `voetbal` (published);
- profiles: `ann` and `bas` consent to monitoring, `cor` only to contact, `dirk` revoked his monitoring
  consent; in municipality B `bob` consents to monitoring (his key is never named in A);
- an analyst of A; an activity `beta` in B.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django_scopes import scope

from nabij.accounts.models import Role, User
from nabij.core.models import Municipality
from nabij.people import services as people_services
from nabij.people.models import ResidentProfile
from nabij.socialmap.models import Activity, ActivityStatus
from nabij.socialmap.services import catalogue_ensure_defaults
from nabij.testing.factories import ActivityFactory, OrganisationFactory, RoleAssignmentFactory, UserFactory
from nabij.testing.personas import Personas
from tests.conftest import SocialMap

SELF = "de bewoner zelf"
FIRST_TUESDAY = dt.date(2025, 1, 7)
DAY = dt.date(2025, 3, 4)  # a Tuesday the koffie-ochtend met
UNKNOWN_KEY = "00000000-0000-4000-8000-000000000000"


def profile(municipality: Municipality, name: str, *consents: str) -> ResidentProfile:
    return people_services.profile_create(
        actor=None, municipality=municipality, consents=[(purpose, SELF) for purpose in consents], name=name
    )


@dataclass
class World:
    personas: Personas
    socialmap: SocialMap
    koffie: Activity
    concept: Activity
    ended: Activity
    voetbal: Activity
    ann: ResidentProfile
    bas: ResidentProfile
    cor: ResidentProfile
    dirk: ResidentProfile
    bob: ResidentProfile
    analyst: User
    beta: Activity

    @property
    def a(self) -> Municipality:
        return self.personas.municipality_a

    @property
    def organiser(self) -> User:
        return self.socialmap.organiser

    @property
    def other_organiser(self) -> User:
        return self.socialmap.other_organiser


def build_world(personas: Personas, socialmap: SocialMap) -> World:
    """Call inside scope(municipality=A) (the `scope_a` fixture, which `socialmap` uses)."""
    a, b = personas.municipality_a, personas.municipality_b
    linde, vooruit = socialmap.organisation, socialmap.other_organisation
    koffie = ActivityFactory.create(organisation=linde, title="Koffie-ochtend")
    concept = ActivityFactory.create(organisation=linde, title="Nog een concept", status=ActivityStatus.DRAFT)
    ended = ActivityFactory.create(organisation=linde, title="Wintercursus", active_until=dt.date(2025, 6, 30))
    voetbal = ActivityFactory.create(organisation=vooruit, title="Voetbal voor iedereen")
    ann = profile(a, "Ann Aanwezig", "monitoring", "contact")
    bas = profile(a, "Bas Bezoeker", "monitoring")
    cor = profile(a, "Cor Contact", "contact")
    dirk = profile(a, "Dirk Ingetrokken", "monitoring", "contact")
    people_services.consent_revoke(actor=None, profile=dirk, purpose="monitoring")
    analyst = UserFactory.create(email="analist@alfadorp.test", display_name="Anna Analist")
    RoleAssignmentFactory.create(user=analyst, municipality=a, role=Role.ANALYST)
    with scope(municipality=b):
        catalogue_ensure_defaults(municipality=b)
        bob = profile(b, "Bob Buiten", "monitoring")
        beta = ActivityFactory.create(organisation=OrganisationFactory.create(municipality=b), title="Beta-koffie")
    return World(personas, socialmap, koffie, concept, ended, voetbal, ann, bas, cor, dirk, bob, analyst, beta)
