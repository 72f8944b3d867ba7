"""The personas every test suite shares.

Municipality A (GM0001, "alfa") has a resident, a professional and a coordinator;
municipality B (GM0002, "beta") has a professional: the outsider, who must never see A's data.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from nabij.accounts.models import Role, User
from nabij.core.models import District, Municipality, Neighbourhood
from nabij.testing.factories import (
    DistrictFactory,
    MunicipalityFactory,
    NeighbourhoodFactory,
    RoleAssignmentFactory,
    UserFactory,
    totp_device_for,
)


@dataclass
class Personas:
    municipality_a: Municipality
    municipality_b: Municipality
    district_a: District
    neighbourhood_a: Neighbourhood
    district_b: District
    neighbourhood_b: Neighbourhood
    resident: User
    professional: User
    coordinator: User
    outsider: User
    admin: User


def build_personas() -> Personas:
    with scopes_disabled():
        a = MunicipalityFactory.create(code="GM0001", name="Alfadorp", slug="alfadorp")
        b = MunicipalityFactory.create(code="GM0002", name="Betastad", slug="betastad")
        district_a = DistrictFactory.create(municipality=a, code="WK000101", name="Centrum Alfa")
        district_b = DistrictFactory.create(municipality=b, code="WK000201", name="Centrum Beta")
        neighbourhood_a = NeighbourhoodFactory.create(district=district_a, code="BU00010101", name="Oude Haven")
        neighbourhood_b = NeighbourhoodFactory.create(district=district_b, code="BU00020101", name="Nieuwe Haven")

        def person(email: str, name: str, municipality: Municipality, role: Role) -> User:
            user = UserFactory.create(email=email, display_name=name)
            RoleAssignmentFactory.create(user=user, municipality=municipality, role=role)
            return user

        return Personas(
            municipality_a=a,
            municipality_b=b,
            district_a=district_a,
            neighbourhood_a=neighbourhood_a,
            district_b=district_b,
            neighbourhood_b=neighbourhood_b,
            resident=person("bewoner@alfadorp.test", "Bea Bewoner", a, Role.RESIDENT),
            professional=person("professional@alfadorp.test", "Piet Professional", a, Role.PROFESSIONAL),
            coordinator=person("coordinator@alfadorp.test", "Cor Coördinator", a, Role.COORDINATOR),
            outsider=person("professional@betastad.test", "Otto Buitenstaander", b, Role.PROFESSIONAL),
            admin=person("beheerder@alfadorp.test", "Ada Beheerder", a, Role.ADMIN),
        )


def login(client: Client, user: User, *, second_factor: bool = True) -> Client:
    """Log a persona in; with `second_factor`, the session has passed TOTP as a real login would."""
    client.force_login(user)
    if second_factor:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or totp_device_for(user)
        session = client.session
        # The key django_otp.login() writes; OTPMiddleware reads it back on each request.
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client
