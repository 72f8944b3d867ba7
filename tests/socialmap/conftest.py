"""The social map's fixtures: municipality A's catalogues, an organisation and its organiser."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django_scopes import scope

from nabij.accounts.models import Role, User
from nabij.socialmap.models import Organisation
from nabij.socialmap.services import catalogue_ensure_defaults
from nabij.testing.factories import OrganisationFactory, RoleAssignmentFactory, UserFactory
from nabij.testing.personas import Personas


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
