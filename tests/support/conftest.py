"""Fixtures for the support tests: two supporters with accounts in municipality A, neighbourhoods
at known walking distances, and a helper that makes consenting participants through the people
services (as a professional would)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from nabij.accounts.models import Role, User
from nabij.core.models import Neighbourhood
from nabij.people.models import ResidentProfile, availability_mask
from nabij.people.services import profile_create
from nabij.socialmap.search import DETOUR_FACTOR, METRES_PER_DEGREE
from nabij.support.models import Supporter, VogStatus
from nabij.support.services import supporter_create
from nabij.testing.factories import NeighbourhoodFactory, RoleAssignmentFactory, UserFactory
from nabij.testing.personas import Personas, login
from tests.conftest import SocialMap

TUESDAY_AFTERNOON = availability_mask(["tu-afternoon"])
MONDAY_MORNING = availability_mask(["mo-morning"])


def north_of(neighbourhood: Neighbourhood, walking_m: float) -> float:
    return neighbourhood.centroid_lat + walking_m / DETOUR_FACTOR / METRES_PER_DEGREE


@dataclass
class SupportWorld:
    personas: Personas
    socialmap: SocialMap
    home: Neighbourhood  # Oude Haven (personas)
    nearby: Neighbourhood  # 650 m walking north of Oude Haven
    far: Neighbourhood  # 6 km walking north
    supporter_user: User
    supporter: Supporter  # Sanne: VOG, room for two, Arabic, gardening, Tuesday afternoon
    other_supporter_user: User
    other_supporter: Supporter  # Olaf: no VOG, room for one, Dutch, Monday morning
    make_profile: Callable[..., ResidentProfile]


def supporter_account(personas: Personas, email: str, name: str) -> User:
    user = UserFactory.create(email=email, display_name=name)
    RoleAssignmentFactory.create(user=user, municipality=personas.municipality_a, role=Role.SUPPORTER)
    return user


@pytest.fixture
def support(personas: Personas, socialmap: SocialMap) -> SupportWorld:
    return build_support_world(personas, socialmap)


def build_support_world(personas: Personas, socialmap: SocialMap) -> SupportWorld:
    """Call inside municipality A's scope, with the social map's catalogues in place."""
    a = personas.municipality_a
    home = personas.neighbourhood_a
    nearby = NeighbourhoodFactory.create(
        district=personas.district_a,
        code="BU00010102",
        name="Nieuwe Werf",
        centroid_lat=north_of(home, 650),
        centroid_lon=home.centroid_lon,
    )
    far = NeighbourhoodFactory.create(
        district=personas.district_a,
        code="BU00010103",
        name="Verre Polder",
        centroid_lat=north_of(home, 6_000),
        centroid_lon=home.centroid_lon,
    )
    sanne = supporter_account(personas, "sanne@alfadorp.test", "Sanne Steun")
    olaf = supporter_account(personas, "olaf@alfadorp.test", "Olaf Ander")
    year_ago = timezone.localdate() - dt.timedelta(days=365)
    supporter = supporter_create(
        actor=None,
        municipality=a,
        name="Sanne Steun",
        user=sanne,
        vog_status=VogStatus.ISSUED,
        vog_issued_on=year_ago,
        capacity=2,
        availability=TUESDAY_AFTERNOON | MONDAY_MORNING,
        languages=["nl", "ar"],
        interests=["tuinieren", "koken"],
        neighbourhood=nearby,
    )
    other = supporter_create(
        actor=None,
        municipality=a,
        name="Olaf Ander",
        user=olaf,
        capacity=1,
        availability=MONDAY_MORNING,
        languages=["nl"],
        interests=["voetbal"],
        neighbourhood=home,
    )

    def make_profile(
        name: str = "Fatima", *, purposes: tuple[str, ...] = ("support",), **fields: Any
    ) -> ResidentProfile:
        values: dict[str, Any] = {
            "name": name,
            "neighbourhood": home,
            "availability": TUESDAY_AFTERNOON,
            "languages": ["ar", "nl"],
            "interests": ["tuinieren"],
            "requires_vog": True,
            "support_wanted_since": timezone.now() - dt.timedelta(days=30),
        }
        values.update(fields)
        return profile_create(
            actor=None,
            municipality=a,
            consents=[(purpose, "de bewoner zelf") for purpose in purposes],
            **values,
        )

    return SupportWorld(
        personas=personas,
        socialmap=socialmap,
        home=home,
        nearby=nearby,
        far=far,
        supporter_user=sanne,
        supporter=supporter,
        other_supporter_user=olaf,
        other_supporter=other,
        make_profile=make_profile,
    )


@pytest.fixture
def supporter_client(support: SupportWorld) -> Client:
    return login(Client(), support.supporter_user, second_factor=False)


@pytest.fixture
def other_supporter_client(support: SupportWorld) -> Client:
    return login(Client(), support.other_supporter_user, second_factor=False)


@pytest.fixture
def organiser_client(support: SupportWorld) -> Client:
    return login(Client(), support.socialmap.organiser, second_factor=False)


@pytest.fixture
def coordinator_without_2fa(personas: Personas) -> Client:
    return login(Client(), personas.coordinator, second_factor=False)


@pytest.fixture
def professional_without_2fa(personas: Personas) -> Client:
    return login(Client(), personas.professional, second_factor=False)
