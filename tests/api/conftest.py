"""Fixtures for the API tests."""

from __future__ import annotations

import pytest

from nabij.testing.personas import Personas
from tests.api.helpers import token_for


@pytest.fixture
def coordinator_token(personas: Personas) -> str:
    return token_for(personas.coordinator)
