"""Fixtures of the group tests: the world of tests/groups/helpers.py and a client per persona."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from nabij.testing.personas import Personas, login
from tests.conftest import SocialMap
from tests.groups.helpers import World, build_world, matrix_user


@pytest.fixture
def world(personas: Personas, socialmap: SocialMap, scope_a: None) -> World:
    return build_world(personas, socialmap)


@pytest.fixture
def client_as(world: World) -> Callable[[str], Client]:
    """A logged-in client for a matrix name (see helpers.matrix_user); `anonymous` is not logged in."""

    def make(name: str) -> Client:
        user, second_factor = matrix_user(world, name)
        client = Client()
        return client if user is None else login(client, user, second_factor=second_factor)

    return make
