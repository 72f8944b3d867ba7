"""Fixtures shared by every test: the personas and logged-in clients for each of them."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django_scopes import scope

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


def services_required() -> bool:
    """In CI a missing Redis or Chromium is a failure, not a skip."""
    return os.environ.get("NABIJ_REQUIRE_SERVICES", "") == "1" or os.environ.get("CI", "") == "true"
