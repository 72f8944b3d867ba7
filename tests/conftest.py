"""Fixtures shared by every test: the personas, logged-in clients for each of them, and the
social map of municipality A (catalogues, two organisations and their organisers)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django_scopes import scope

from nabij.accounts.models import Role, User
from nabij.socialmap.models import Organisation
from nabij.socialmap.services import catalogue_ensure_defaults
from nabij.testing.factories import OrganisationFactory, RoleAssignmentFactory, UserFactory
from nabij.testing.personas import Personas, build_personas, login


@pytest.fixture(autouse=True)
def dutch_by_default() -> Iterator[None]:
    """Each test starts in Dutch: a request in English leaves its language active in the thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def personas(db: None) -> Personas:
    return build_personas()


@pytest.fixture
def scope_a(personas: Personas) -> Iterator[None]:
    with scope(municipality=personas.municipality_a):
        yield


def _client_for(personas: Personas, name: str, second_factor: bool = True) -> Client:
    return login(Client(), getattr(personas, name), second_factor=second_factor)


@pytest.fixture
def resident_client(personas: Personas) -> Client:
    return _client_for(personas, "resident")


@pytest.fixture
def professional_client(personas: Personas) -> Client:
    return _client_for(personas, "professional")


@pytest.fixture
def coordinator_client(personas: Personas) -> Client:
    return _client_for(personas, "coordinator")


@pytest.fixture
def outsider_client(personas: Personas) -> Client:
    return _client_for(personas, "outsider")


@dataclass
class SocialMap:
    organisation: Organisation
    other_organisation: Organisation
    organiser: User  # organiser of `organisation`
    other_organiser: User  # organiser of `other_organisation`, same municipality


@pytest.fixture
def socialmap(personas: Personas, scope_a: None) -> SocialMap:
    a = personas.municipality_a
    catalogue_ensure_defaults(municipality=a)
    with scope(municipality=personas.municipality_b):
        catalogue_ensure_defaults(municipality=personas.municipality_b)
    organisation = OrganisationFactory.create(municipality=a, name="Buurthuis De Linde")
    other = OrganisationFactory.create(municipality=a, name="Sportclub Vooruit")

    def organiser(email: str, of: Organisation) -> User:
        user = UserFactory.create(email=email)
        RoleAssignmentFactory.create(user=user, municipality=a, role=Role.ORGANISER, organisation=of)
        return user

    return SocialMap(
        organisation=organisation,
        other_organisation=other,
        organiser=organiser("organisator@linde.test", organisation),
        other_organiser=organiser("organisator@vooruit.test", other),
    )


def services_required() -> bool:
    """In CI a missing Redis or Chromium is a failure, not a skip."""
    return os.environ.get("NABIJ_REQUIRE_SERVICES", "") == "1" or os.environ.get("CI", "") == "true"
