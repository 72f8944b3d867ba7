"""A small world whose coverage is worked out by hand (tests of coverage, what-if and their pages).

Positions are given in metres on the projection the monitor uses (around A's centre, 52.0 N 4.5 E)
and turned into lat/lon, so the 100 m grid's cell centres are at 50, 150, 250, ... metres.
Walking distance 650 m with detour factor 1.3: a straight-line reach of exactly 500 m.

    Alfadorp GM0001
    ├── Centrum Alfa WK000101
    │   ├── Oude Haven BU00010101: a strip x 0..1000, y 0..100 → 10 grid points (x = 50..950), 2001 residents
    │   └── Molenbuurt BU00010102: no boundary, centroid (3000, 50), 300 residents
    └── Noord WK000102
        ├── Klein BU00010201: 40 x 40 m at (5000..5040): no grid point inside → centroid (5020, 5020), 50 residents
        └── Hofje BU00010202: square 10000..10500 with a hole 10100..10400 → 25 - 9 = 16 points, 1001 residents

Activities (published, active today unless said otherwise):
    A1 ontmoeten at (0, 50), no barriers              → Oude Haven x = 50..450 (5 points)
    A2 ontmoeten at (1000, 50), barrier cost          → Oude Haven x = 550..950 (5 points)
    A3 bewegen at (3000, 400), barrier registration   → Molenbuurt (350 m)
    A4 bewegen at (10250, 10250), no barriers         → all of Hofje (farthest point 283 m)
    A5 ontmoeten online (no place), no barriers       → nobody
    A6 ontmoeten at (5020, 5020), draft               → nobody (not published)
    A7 bewegen at (5020, 5420), barrier cost          → Klein (400 m)
Target groups: `gevoelig` (cost, and the relational `distance`, which never counts), `iedereen` (none).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.test import Client
from django_scopes import scopes_disabled

from nabij.accounts.models import Role, User
from nabij.core.models import District, Municipality, Neighbourhood
from nabij.monitor.coverage import Projection
from nabij.monitor.models import MonitorSettings
from nabij.socialmap.models import (
    Activity,
    ActivityStatus,
    Barrier,
    Organisation,
    ParticipationType,
    Place,
    TargetGroup,
)
from nabij.testing.factories import (
    ActivityFactory,
    DistrictFactory,
    NeighbourhoodFactory,
    OrganisationFactory,
    PlaceFactory,
    RoleAssignmentFactory,
    UserFactory,
)
from nabij.testing.personas import Personas, login

COST, REGISTRATION, DISTANCE = 1 << 0, 1 << 1, 1 << 9
GM, CENTRUM, NOORD = "GM0001", "WK000101", "WK000102"
HAVEN, MOLEN, KLEIN, HOFJE = "BU00010101", "BU00010102", "BU00010201", "BU00010202"


def projection(municipality: Municipality) -> Projection:
    return Projection(municipality.centroid_lat, municipality.centroid_lon)


def latlon(proj: Projection, x: float, y: float) -> tuple[float, float]:
    lat, lon = proj.to_latlon(x, y)
    return float(lat), float(lon)


def ring(proj: Projection, x0: float, y0: float, x1: float, y1: float) -> list[list[float]]:
    corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
    return [[latlon(proj, x, y)[1], latlon(proj, x, y)[0]] for x, y in corners]


def polygon(proj: Projection, *rings: tuple[float, float, float, float]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [ring(proj, *r) for r in rings]}


@dataclass
class CoverageWorld:
    personas: Personas
    settings: MonitorSettings
    organisation: Organisation
    other_organisation: Organisation
    ontmoeten: ParticipationType
    bewegen: ParticipationType
    places: dict[str, Place]
    activities: dict[str, Activity]
    analyst: User
    organiser: User

    @property
    def a(self) -> Municipality:
        return self.personas.municipality_a


def build_coverage_world(personas: Personas) -> CoverageWorld:
    """Needs A's scope."""
    a = personas.municipality_a
    proj = projection(a)
    haven = personas.neighbourhood_a
    haven.boundary = polygon(proj, (0, 0, 1000, 100))
    haven.centroid_lat, haven.centroid_lon = latlon(proj, 500, 50)
    haven.population = 2001
    haven.save()
    molen_lat, molen_lon = latlon(proj, 3000, 50)
    NeighbourhoodFactory.create(
        district=personas.district_a,
        code=MOLEN,
        name="Molenbuurt",
        boundary=None,
        centroid_lat=molen_lat,
        centroid_lon=molen_lon,
        population=300,
    )
    noord: District = DistrictFactory.create(municipality=a, code=NOORD, name="Noord", population=1051)
    klein_lat, klein_lon = latlon(proj, 5020, 5020)
    NeighbourhoodFactory.create(
        district=noord,
        code=KLEIN,
        name="Klein",
        boundary=polygon(proj, (5000, 5000, 5040, 5040)),
        centroid_lat=klein_lat,
        centroid_lon=klein_lon,
        population=50,
    )
    hofje_lat, hofje_lon = latlon(proj, 10250, 10250)
    NeighbourhoodFactory.create(
        district=noord,
        code=HOFJE,
        name="Hofje",
        boundary=polygon(proj, (10000, 10000, 10500, 10500), (10100, 10100, 10400, 10400)),
        centroid_lat=hofje_lat,
        centroid_lon=hofje_lon,
        population=1001,
    )
    ontmoeten = ParticipationType.objects.create(municipality=a, code="ontmoeten", label_nl="Ontmoeten", position=0)
    bewegen = ParticipationType.objects.create(
        municipality=a, code="bewegen", label_nl="Bewegen", label_en="Exercise", position=1
    )
    Barrier.objects.create(municipality=a, code="cost", bit=0, label_nl="Kosten", label_en="Cost")
    Barrier.objects.create(municipality=a, code="registration", bit=1, label_nl="Aanmelden", label_en="Sign-up")
    Barrier.objects.create(
        municipality=a, code="distance", bit=9, label_nl="Afstand", label_en="Distance", relational=True
    )
    TargetGroup.objects.create(
        municipality=a,
        code="gevoelig",
        name_nl="Gevoelig voor kosten",
        name_en="Cost-sensitive",
        sensitivity_mask=COST | DISTANCE,
    )
    TargetGroup.objects.create(municipality=a, code="iedereen", name_nl="Iedereen", name_en="Everyone")
    organisation = OrganisationFactory.create(municipality=a, name="Buurthuis De Linde")
    other = OrganisationFactory.create(municipality=a, name="Sportclub Vooruit")
    hoods = {n.code: n for n in Neighbourhood.objects.filter(municipality=a)}

    def place(name: str, x: float, y: float, hood: str, of: Organisation = organisation) -> Place:
        lat, lon = latlon(proj, x, y)
        return PlaceFactory.create(organisation=of, name=name, lat=lat, lon=lon, neighbourhood=hoods[hood])

    places = {
        "west": place("Haven West", 0, 50, HAVEN),
        "oost": place("Haven Oost", 1000, 50, HAVEN),
        "molen": place("De Molen", 3000, 400, MOLEN, other),
        "hofje": place("Hofjeshuis", 10250, 10250, HOFJE, other),
        "klein": place("Klein Huis", 5020, 5020, KLEIN),
        "veld": place("Sportveld", 5020, 5420, KLEIN, other),
    }

    def activity(name: str, kind: ParticipationType, where: Place | None, mask: int, **extra: Any) -> Activity:
        of = where.organisation if where is not None else organisation
        return ActivityFactory.create(
            organisation=of, place=where, participation_type=kind, barrier_mask=mask, title=name, **extra
        )

    activities = {
        "A1": activity("A1", ontmoeten, places["west"], 0, action_perspective="warme_plek"),
        "A2": activity("A2", ontmoeten, places["oost"], COST, action_perspective="warme_plek"),
        "A3": activity("A3", bewegen, places["molen"], REGISTRATION),
        "A4": activity("A4", bewegen, places["hofje"], 0),
        "A5": activity("A5", ontmoeten, None, 0),
        "A6": activity("A6", ontmoeten, places["klein"], 0, status=ActivityStatus.DRAFT),
        "A7": activity("A7", bewegen, places["veld"], COST),
    }
    analyst = UserFactory.create(email="analist@alfadorp.test", display_name="Ans Analist")
    RoleAssignmentFactory.create(user=analyst, municipality=a, role=Role.ANALYST)
    organiser = UserFactory.create(email="organisator@linde.test", display_name="Olga Organisator")
    RoleAssignmentFactory.create(user=organiser, municipality=a, role=Role.ORGANISER, organisation=organisation)
    settings = MonitorSettings.objects.create(municipality=a, walk_metres=650, detour_factor=1.3)
    return CoverageWorld(
        personas=personas,
        settings=settings,
        organisation=organisation,
        other_organisation=other,
        ontmoeten=ontmoeten,
        bewegen=bewegen,
        places=places,
        activities=activities,
        analyst=analyst,
        organiser=organiser,
    )


def client_for(world: CoverageWorld, name: str) -> Client:
    """A client logged in as a persona of the world (`anonymous`: not logged in); `_no_2fa` without the
    second factor in the session."""
    personas = world.personas
    users = {
        "resident": (personas.resident, True),
        "organiser": (world.organiser, False),
        "professional": (personas.professional, True),
        "outsider": (personas.outsider, True),  # a professional of Betastad
        "coordinator": (personas.coordinator, True),
        "coordinator_no_2fa": (personas.coordinator, False),
        "analyst": (world.analyst, False),
        "admin": (personas.admin, True),
    }
    if name == "anonymous":
        return Client()
    user, second_factor = users[name]
    with scopes_disabled():
        return login(Client(), user, second_factor=second_factor)
