"""factory_boy factories shared by all tests (and usable by later apps' tests)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from nabij.accounts.models import RoleAssignment, User
from nabij.core.models import District, Municipality, Neighbourhood
from nabij.socialmap.models import (
    AMSTERDAM,
    Activity,
    ActivityStatus,
    Domain,
    Organisation,
    ParticipationType,
    Place,
    PlaceKind,
    Sphere,
    TargetGroup,
    Theme,
)

SQUARE = {"type": "Polygon", "coordinates": [[[4.0, 52.0], [4.01, 52.0], [4.01, 52.01], [4.0, 52.01], [4.0, 52.0]]]}


class MunicipalityFactory(factory.django.DjangoModelFactory[Municipality]):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"GM{9000 + n:04d}")
    name = factory.Sequence(lambda n: f"Testgemeente {n}")
    slug = factory.Sequence(lambda n: f"testgemeente-{n}")
    centroid_lat = 52.0
    centroid_lon = 4.5
    population = 50_000


class DistrictFactory(factory.django.DjangoModelFactory[District]):
    class Meta:
        model = District

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"WK{o.municipality.code[2:]}{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Wijk {n}")
    centroid_lat = 52.005
    centroid_lon = 4.005
    boundary = SQUARE
    population = 10_000


class NeighbourhoodFactory(factory.django.DjangoModelFactory[Neighbourhood]):
    class Meta:
        model = Neighbourhood

    district = factory.SubFactory(DistrictFactory)
    municipality = factory.SelfAttribute("district.municipality")
    code = factory.LazyAttributeSequence(lambda o, n: f"BU{o.district.code[2:]}{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Buurt {n}")
    centroid_lat = 52.005
    centroid_lon = 4.005
    boundary = SQUARE
    population = 2_000


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Organisatie {n}")
    sphere = Sphere.OIKOS
    kind = "bewonersinitiatief"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persoon{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Persoon {n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def save_password(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


class RoleAssignmentFactory(factory.django.DjangoModelFactory[RoleAssignment]):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = "resident"


def totp_device_for(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="test", confirmed=True)


class ParticipationTypeFactory(factory.django.DjangoModelFactory[ParticipationType]):
    class Meta:
        model = ParticipationType

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"soort-{n}")
    label_nl = factory.Sequence(lambda n: f"Soort {n}")
    label_en = factory.Sequence(lambda n: f"Type {n}")


class DomainFactory(factory.django.DjangoModelFactory[Domain]):
    class Meta:
        model = Domain

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"domein-{n}")
    label_nl = factory.Sequence(lambda n: f"Domein {n}")


class ThemeFactory(factory.django.DjangoModelFactory[Theme]):
    class Meta:
        model = Theme

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"thema-{n}")
    label_nl = factory.Sequence(lambda n: f"Thema {n}")


class TargetGroupFactory(factory.django.DjangoModelFactory[TargetGroup]):
    class Meta:
        model = TargetGroup

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"groep-{n}")
    name_nl = factory.Sequence(lambda n: f"Doelgroep {n}")
    sensitivity_mask = 0


class PlaceFactory(factory.django.DjangoModelFactory[Place]):
    """A step-free buurthuis; pass `neighbourhood=` to put it in one (same municipality)."""

    class Meta:
        model = Place

    organisation = factory.SubFactory(OrganisationFactory)
    municipality = factory.SelfAttribute("organisation.municipality")
    name = factory.Sequence(lambda n: f"Buurthuis {n}")
    kind = PlaceKind.BUURTHUIS
    street = "Dorpsstraat"
    house_number = factory.Sequence(lambda n: str(n + 1))
    postcode = "1234 AB"
    city = "Alfadorp"
    lat = 52.005
    lon = 4.005
    step_free_entrance = True
    wheelchair_accessible = True
    accessible_toilet = True


class ActivityFactory(factory.django.DjangoModelFactory[Activity]):
    """A published weekly drop-in with a host and no barriers in its facts.

    Made directly, not through the services: its `barrier_mask` is what you pass (default 0).
    """

    class Meta:
        model = Activity

    organisation = factory.SubFactory(OrganisationFactory)
    municipality = factory.SelfAttribute("organisation.municipality")
    place = factory.SubFactory(PlaceFactory, organisation=factory.SelfAttribute("..organisation"))
    participation_type = factory.SubFactory(
        ParticipationTypeFactory, municipality=factory.SelfAttribute("..municipality")
    )
    title = factory.Sequence(lambda n: f"Activiteit {n}")
    description = "Samen koffie drinken en praten."
    who_welcomes_you = "Gastvrouw Anja"
    dtstart = dt.datetime(2025, 1, 7, 10, 0, tzinfo=AMSTERDAM)
    duration = dt.timedelta(hours=2)
    rrule = "FREQ=WEEKLY;BYDAY=TU"
    status = ActivityStatus.PUBLISHED
    barrier_mask = 0
