"""Demo step of the social map: the places where organisations hold their activities.

Each organisation gets the kinds of places it would run (a sports club a sports park, a library
a library), in its own district, at an address with a postcode of the neighbourhood and a point
inside the neighbourhood's boundary. Accessibility is often unknown: nobody checked yet.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from nabij.core.models import District, Neighbourhood
from nabij.demo.logins import DEMO_MUNICIPALITY_NAME
from nabij.demo.names import BUILDING_NOUNS, CHURCH_SAINTS, NameGenerator, street_name
from nabij.demo.registry import DemoContext, step
from nabij.socialmap.demo.organisations import demo_uid, organisation_districts
from nabij.socialmap.models import POSTCODE_EXCLUDED_LETTERS, Organisation, Place, PlaceKind

Kind = PlaceKind
Ring = list[tuple[float, float]]  # (lon, lat), closed

# The first postcode of the demo city; neighbourhoods get the next ones in code order.
FIRST_POSTCODE = 3511
# F, I, O, Q, U and Y are not used in Dutch postcodes, nor the pairs SA, SD and SS.
POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
# A place keeps this far (in degrees, about 20 m) from its neighbourhood's edge, so it is clearly inside.
EDGE_MARGIN = 0.0002


@dataclass(frozen=True)
class PlaceSpec:
    kind: PlaceKind
    name: str  # with {buurt}, {wijk}, {de}, {plek}, {kerk} or {org}


def _specs(*pairs: tuple[PlaceKind, str]) -> tuple[PlaceSpec, ...]:
    return tuple(PlaceSpec(kind, name) for kind, name in pairs)


# By the first word of the organisation's name: the first place always, the others by chance.
PLANS: dict[str, tuple[PlaceSpec, ...]] = {
    "Gemeente": _specs(
        (Kind.OVERIG, "Stadswinkel {wijk}"), (Kind.SPORTHAL, "Sporthal {plek}"), (Kind.BUITEN, "Stadspark {plek}")
    ),
    "GGZ": _specs(
        (Kind.INLOOPHUIS, "Inloophuis {de}"),
        (Kind.ZORGLOCATIE, "GGZ-centrum {plek}"),
        (Kind.HORECA, "Herstelcafé {de}"),
    ),
    "Maatjes": _specs(
        (Kind.BUURTHUIS, "Maatjeshuis {de}"),
    ),
    "Wijkteam": _specs((Kind.BUURTHUIS, "Buurthuis {de}"), (Kind.ZORGLOCATIE, "Gezondheidscentrum {plek}")),
    "Bewonersinitiatief": _specs(
        (Kind.BUURTHUIS, "Buurthuis {de}"), (Kind.BUITEN, "Buurtplein {buurt}"), (Kind.TUIN, "Buurttuin {plek}")
    ),
    "Repair": _specs((Kind.BUURTHUIS, "Buurthuis {de}"), (Kind.KERK, "{kerk}kerk"), (Kind.SCHOOL, "Basisschool {de}")),
    "Taalcafé": _specs((Kind.BUURTHUIS, "Buurthuis {de}"), (Kind.HORECA, "Buurtcafé {de}")),
    "Speeltuinvereniging": _specs((Kind.BUITEN, "Speeltuin {de}"), (Kind.BUURTHUIS, "Speeltuingebouw {de}")),
    "Volkstuinvereniging": _specs(
        (Kind.TUIN, "Volkstuinpark {plek}"),
    ),
    "Buurtvereniging": _specs((Kind.BUURTHUIS, "Buurthuis {de}"), (Kind.BUITEN, "Buurtplein {buurt}")),
    "Sportvereniging": _specs((Kind.SPORTPARK, "Sportpark {plek}"), (Kind.SPORTHAL, "Sporthal {plek}")),
    "Ontmoetingskerk": _specs((Kind.KERK, "{kerk}kerk"), (Kind.BUURTHUIS, "Kerkelijk centrum {de}")),
    "Energiecoöperatie": _specs((Kind.OVERIG, "Energieloket {wijk}"), (Kind.BUURTHUIS, "Buurthuis {de}")),
    "Zorgcoöperatie": _specs((Kind.BUURTHUIS, "Huiskamer {buurt}"), (Kind.OVERIG, "Zorgpunt {wijk}")),
    "Jongerenwerk": _specs(
        (Kind.BUURTHUIS, "Jongerencentrum {de}"), (Kind.SPORTHAL, "Sportzaal {plek}"), (Kind.BUITEN, "Trapveld {buurt}")
    ),
    "Wijkverpleging": _specs((Kind.ZORGLOCATIE, "Gezondheidscentrum {plek}"), (Kind.BUURTHUIS, "Buurthuis {de}")),
    "Bibliotheek": _specs((Kind.BIBLIOTHEEK, "Bibliotheek {wijk}"), (Kind.SCHOOL, "Bibliotheek op school {de}")),
    "Bakkerij": _specs(
        (Kind.WINKEL, "{org}"),
    ),
    "Fietsenmaker": _specs(
        (Kind.WINKEL, "{org}"),
    ),
    "Supermarkt": _specs(
        (Kind.WINKEL, "{org}"),
    ),
    "Kringloopwinkel": _specs((Kind.WINKEL, "{org}"), (Kind.OVERIG, "Werkplaats {plek}")),
    "Buurtrestaurant": _specs(
        (Kind.HORECA, "{org}"),
    ),
    "Zorgboerderij": _specs((Kind.OVERIG, "{org}"), (Kind.TUIN, "Pluktuin {plek}")),
}
CENTRAL_LIBRARY = _specs(
    (Kind.BIBLIOTHEEK, "Centrale Bibliotheek {plek}"),
)
# City-wide organisations with a place in every district: the welfare organisation's community
# centres and the housing corporation's meeting rooms carry much of a city's social life.
IN_EVERY_DISTRICT: dict[str, PlaceSpec] = {
    "Welzijn": PlaceSpec(Kind.BUURTHUIS, "Wijkcentrum {wijk}"),
    "Woningcorporatie": PlaceSpec(Kind.BUURTHUIS, "Ontmoetingsruimte {plek}"),
}
FALLBACK = _specs(
    (Kind.BUURTHUIS, "Buurthuis {de}"),
)

# Per kind: the chance that anyone checked the accessibility, and that it is wheelchair accessible then.
ACCESSIBILITY: dict[str, tuple[float, float]] = {
    Kind.BUURTHUIS: (0.8, 0.8),
    Kind.BIBLIOTHEEK: (0.95, 0.95),
    Kind.INLOOPHUIS: (0.7, 0.6),
    Kind.SPORTPARK: (0.7, 0.75),
    Kind.SPORTHAL: (0.85, 0.85),
    Kind.KERK: (0.7, 0.45),
    Kind.SCHOOL: (0.75, 0.8),
    Kind.ZORGLOCATIE: (0.95, 0.95),
    Kind.TUIN: (0.6, 0.5),
    Kind.HORECA: (0.6, 0.45),
    Kind.WINKEL: (0.6, 0.6),
    Kind.BUITEN: (0.5, 0.7),
    Kind.OVERIG: (0.6, 0.7),
}


def postcode_digits(neighbourhoods: list[Neighbourhood]) -> dict[int, int]:
    """The four digits of each neighbourhood's postcodes, by neighbourhood pk: fixed by its code."""
    ordered = sorted(neighbourhoods, key=lambda n: n.code)
    return {n.pk: FIRST_POSTCODE + number for number, n in enumerate(ordered)}


def postcode_letters(rng: random.Random) -> str:
    while True:
        letters = rng.choice(POSTCODE_LETTERS) + rng.choice(POSTCODE_LETTERS)
        if letters not in POSTCODE_EXCLUDED_LETTERS:
            return letters


def inside(lon: float, lat: float, ring: Ring) -> bool:
    """Ray casting: a ray east from the point crosses the ring's edges an odd number of times."""
    result = False
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
            result = not result
    return result


def point_in(rng: random.Random, neighbourhood: Neighbourhood) -> tuple[float, float]:
    """(lat, lon) uniformly inside the neighbourhood's boundary, clear of its edges."""
    boundary = neighbourhood.boundary or {}
    if boundary.get("type") != "Polygon":
        return neighbourhood.centroid_lat, neighbourhood.centroid_lon
    ring: Ring = [(float(p[0]), float(p[1])) for p in boundary["coordinates"][0]]
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    for _attempt in range(500):
        lon, lat = round(rng.uniform(min(lons), max(lons)), 6), round(rng.uniform(min(lats), max(lats)), 6)
        if all(
            inside(lon + dx, lat + dy, ring)
            for dx, dy in ((0, 0), (EDGE_MARGIN, 0), (-EDGE_MARGIN, 0), (0, EDGE_MARGIN), (0, -EDGE_MARGIN))
        ):
            return lat, lon
    return neighbourhood.centroid_lat, neighbourhood.centroid_lon


def _accessibility(rng: random.Random, kind: str) -> dict[str, bool | None]:
    checked, accessible = ACCESSIBILITY.get(kind, (0.6, 0.7))
    if rng.random() >= checked:
        return {"step_free_entrance": None, "wheelchair_accessible": None, "accessible_toilet": None}
    wheelchair = rng.random() < accessible
    toilet: bool | None = rng.random() < (0.85 if wheelchair else 0.2)
    if kind == Kind.BUITEN or rng.random() < 0.15:
        toilet = None  # outdoors, or nobody looked
    return {
        "step_free_entrance": True if wheelchair else rng.random() < 0.4,
        "wheelchair_accessible": wheelchair,
        "accessible_toilet": toilet,
    }


@dataclass
class _Placer:
    ctx: DemoContext
    names: NameGenerator
    by_district: dict[int, list[Neighbourhood]]
    digits: dict[int, int]

    def neighbourhood(self, district: District, organisation: Organisation | None = None) -> Neighbourhood:
        candidates = self.by_district[district.pk]
        if organisation is not None:
            # "Repair Café Wilgenhof-Noord" meets in Wilgenhof-Noord.
            named = [n for n in candidates if n.name in organisation.name]
            if named:
                return named[0]
        # Where people live: a business park gets few places.
        weights = [max(n.population, 1) ** 0.5 for n in candidates]
        return self.ctx.rng.choices(candidates, weights=weights)[0]

    def name(self, spec: PlaceSpec, organisation: Organisation, district: District, where: Neighbourhood) -> str:
        rng = self.ctx.rng

        def make() -> str:
            return spec.name.format(
                buurt=where.name,
                wijk=district.name,
                de=f"De {rng.choice(BUILDING_NOUNS)}",
                plek=self.names.compound_unregistered(),
                kerk=rng.choice(CHURCH_SAINTS),
                org=organisation.name,
            )

        for _attempt in range(40):
            name = make()
            if name not in self.names.used:
                break
        else:
            # A big city runs out of "Buurthuis De ..." names: say which neighbourhood's it is.
            base = f"{make()} {where.name}"
            name, number = base, 1
            while name in self.names.used:
                number += 1
                name = f"{base} {number}"
        self.names.used.add(name)
        return name

    def place(self, organisation: Organisation, spec: PlaceSpec, district: District, first: bool) -> Place:
        rng = self.ctx.rng
        where = self.neighbourhood(district, organisation if first else None)
        lat, lon = point_in(rng, where)
        number = str(rng.randint(1, 220)) + (rng.choice("abc") if rng.random() < 0.1 else "")
        return Place(
            municipality=self.ctx.municipality,
            organisation=organisation,
            uid=demo_uid(rng),
            name=self.name(spec, organisation, district, where),
            kind=spec.kind,
            street=street_name(rng, where.name),
            house_number=number,
            postcode=f"{self.digits[where.pk]} {postcode_letters(rng)}",
            city=DEMO_MUNICIPALITY_NAME,
            lat=lat,
            lon=lon,
            neighbourhood=where,
            **_accessibility(rng, spec.kind),
        )


@step(order=25, name="places", label="Plekken")
def places(ctx: DemoContext) -> None:
    rng = ctx.rng
    districts: list[District] = ctx.get("districts")
    neighbourhoods: list[Neighbourhood] = ctx.get("neighbourhoods")
    placer = _Placer(
        ctx=ctx,
        names=NameGenerator(rng),
        by_district={d.pk: [n for n in neighbourhoods if n.district_id == d.pk] for d in districts},
        digits=postcode_digits(neighbourhoods),
    )
    centre = next((d for d in districts if d.name == "Centrum"), districts[0])
    homes = organisation_districts(ctx)
    ctx.progress.start(len(homes))
    created: list[Place] = []
    for organisation, home in homes:
        first_word = organisation.name.split()[0]
        if home is None and first_word in IN_EVERY_DISTRICT:
            spec = IN_EVERY_DISTRICT[first_word]
            created += [placer.place(organisation, spec, district, first=False) for district in districts]
        else:
            specs = CENTRAL_LIBRARY if home is None and first_word == "Bibliotheek" else PLANS.get(first_word, FALLBACK)
            # One place mostly, three at most; the first is what the organisation is known for.
            count = min(len(specs), rng.choices((1, 2, 3), weights=(5, 3, 2))[0])
            chosen = [specs[0], *rng.sample(specs[1:], k=count - 1)]
            created += [
                placer.place(organisation, spec, home or centre, first=number == 0)
                for number, spec in enumerate(chosen)
            ]
        ctx.progress.advance()
    Place.objects.bulk_create(created, batch_size=500)
    ctx.add("places", created)
