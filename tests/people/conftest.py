"""Fixtures of the people tests: profiles with known consents, and one persona per role.

- `bea`: the resident persona's own profile in A, consent for support, referral and monitoring
  (not contact);
- `kees`: a profile in A without an account, consent for contact only;
- `bob`: a profile in B (the outsider's municipality), consent for support;
- personas for the roles the shared fixtures lack: supporter, analyst, another resident.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django_scopes import scope

from nabij.accounts.models import Role, User
from nabij.people import services
from nabij.people.models import ResidentProfile
from nabij.testing.factories import RoleAssignmentFactory, UserFactory
from nabij.testing.personas import Personas
from tests.conftest import SocialMap


@dataclass
class People:
    bea: ResidentProfile
    kees: ResidentProfile
    bob: ResidentProfile
    other_resident: User
    supporter: User
    analyst: User
    organiser: User


def _person(email: str, name: str, personas: Personas, role: Role) -> User:
    user = UserFactory.create(email=email, display_name=name)
    RoleAssignmentFactory.create(user=user, municipality=personas.municipality_a, role=role)
    return user


@pytest.fixture
def people(personas: Personas, socialmap: SocialMap, scope_a: None) -> People:
    a = personas.municipality_a
    bea = services.profile_create(
        actor=None,
        municipality=a,
        consents=[("support", "de bewoner zelf"), ("referral", "de bewoner zelf"), ("monitoring", "de bewoner zelf")],
        user=personas.resident,
        name="Bea",
        neighbourhood=personas.neighbourhood_a,
        birth_year_band="1950-1959",
        isolation_type="social_and_personal",
        barrier_mask=0b11,
        interests=["wandelen", "koken"],
        languages=["nl", "tr"],
        availability=["mo-morning", "we-afternoon"],
        preferred_types=["ontmoeten"],
        requires_vog=True,
        support_wanted_since=dt.datetime(2025, 1, 6, 9, 0, tzinfo=dt.UTC),
    )
    kees = services.profile_create(
        actor=None, municipality=a, consents=[("contact", "mentor J. de Vries")], name="Kees"
    )
    with scope(municipality=personas.municipality_b):
        bob = services.profile_create(
            actor=None,
            municipality=personas.municipality_b,
            consents=[("support", "de bewoner zelf")],
            name="Bob",
            neighbourhood=personas.neighbourhood_b,
        )
    return People(
        bea=bea,
        kees=kees,
        bob=bob,
        other_resident=_person("buurvrouw@alfadorp.test", "Betty Buurvrouw", personas, Role.RESIDENT),
        supporter=_person("maatje@alfadorp.test", "Mo Maatje", personas, Role.SUPPORTER),
        analyst=_person("analist@alfadorp.test", "Anna Analist", personas, Role.ANALYST),
        organiser=socialmap.organiser,
    )
