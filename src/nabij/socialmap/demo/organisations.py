"""Demo step of the social map: organisations from all three spheres (de drie O's)."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from dataclasses import dataclass

from nabij.core.models import District, Neighbourhood
from nabij.demo.names import DE_NOUNS, SURNAMES, NameGenerator
from nabij.demo.registry import DemoContext, step
from nabij.socialmap.models import Organisation, OrganisationKind, Sphere
from nabij.socialmap.services import catalogue_ensure_defaults

Kind = OrganisationKind


@dataclass(frozen=True)
class Template:
    sphere: Sphere
    kind: OrganisationKind
    name: str  # with {buurt}, {wijk}, {achternaam}, {plek} or {de}
    description: str


CITY_WIDE = (
    Template(
        Sphere.OVERHEID,
        Kind.GEMEENTE,
        "Gemeente Voorbeeldstad",
        "De gemeente: zorgt voor de wijkteams, subsidies voor bewonersinitiatieven en de openbare ruimte.",
    ),
    Template(
        Sphere.OVERHEID,
        Kind.WELZIJN,
        "Welzijn Voorbeeldstad",
        "Opbouwwerkers en sociaal werkers helpen bewoners om mee te doen en samen iets te beginnen.",
    ),
    Template(
        Sphere.OVERHEID,
        Kind.BIBLIOTHEEK,
        "Bibliotheek Voorbeeldstad",
        "Lezen, leren en elkaar ontmoeten. Met taalspreekuur en hulp bij digitale zaken.",
    ),
    Template(
        Sphere.OVERHEID,
        Kind.ZORG,
        "GGZ Voorbeeldstad",
        "Hulp bij psychische problemen, met inloop en ervaringsdeskundigen.",
    ),
    Template(
        Sphere.OIKOS,
        Kind.VERENIGING,
        "Maatjes Voorbeeldstad",
        "Vrijwilligers die een tijd met iemand optrekken: samen koffie drinken, samen ergens heen.",
    ),
    Template(
        Sphere.ONDERNEMINGEN,
        Kind.OVERIG,
        "Woningcorporatie Thuisbasis",
        "Verhuurt betaalbare woningen en stelt ruimtes beschikbaar voor buurtactiviteiten.",
    ),
)

PER_DISTRICT = {
    Sphere.OIKOS: (
        Template(
            Sphere.OIKOS,
            Kind.BEWONERSINITIATIEF,
            "Bewonersinitiatief {buurt}",
            "Buren die samen de buurt gezelliger en groener maken. Iedereen kan aanschuiven.",
        ),
        Template(
            Sphere.OIKOS,
            Kind.BEWONERSINITIATIEF,
            "Repair Café {buurt}",
            "Samen spullen repareren, met koffie en een praatje. Je hoeft niets te kunnen.",
        ),
        Template(
            Sphere.OIKOS,
            Kind.BEWONERSINITIATIEF,
            "Taalcafé {buurt}",
            "Nederlands oefenen in een rustige sfeer. Er is altijd iemand die je ontvangt.",
        ),
        Template(
            Sphere.OIKOS,
            Kind.VERENIGING,
            "Speeltuinvereniging {de}",
            "Vrijwilligers houden de speeltuin open en organiseren activiteiten voor kinderen.",
        ),
        Template(
            Sphere.OIKOS,
            Kind.VERENIGING,
            "Volkstuinvereniging {plek}",
            "Moestuinieren met elkaar. Nieuwe leden krijgen een maatje dat wegwijs maakt.",
        ),
        Template(
            Sphere.OIKOS,
            Kind.VERENIGING,
            "Buurtvereniging {buurt}",
            "Organiseert de straatbarbecue, de kerstmarkt en de wekelijkse koffieochtend.",
        ),
        Template(
            Sphere.OIKOS,
            Kind.VERENIGING,
            "Sportvereniging {plek}",
            "Voetbal, tafeltennis en bewegen voor alle leeftijden. Kom een keer gratis meedoen.",
        ),
        Template(
            Sphere.OIKOS,
            Kind.OVERIG,
            "Ontmoetingskerk {wijk}",
            "Een kerk met open deuren: koffie, een maaltijd en een luisterend oor, voor iedereen.",
        ),
        Template(
            Sphere.OIKOS,
            Kind.COOPERATIE,
            "Energiecoöperatie {wijk}",
            "Bewoners wekken samen zonne-energie op en helpen elkaar het huis te verduurzamen.",
        ),
        Template(
            Sphere.OIKOS,
            Kind.COOPERATIE,
            "Zorgcoöperatie {wijk}",
            "Bewoners helpen elkaar met boodschappen, kleine klussen en vervoer naar de dokter.",
        ),
    ),
    Sphere.OVERHEID: (
        Template(
            Sphere.OVERHEID,
            Kind.WELZIJN,
            "Jongerenwerk {wijk}",
            "Jongerenwerkers met een inloop, sport en hulp bij school en werk.",
        ),
        Template(
            Sphere.OVERHEID,
            Kind.ZORG,
            "Wijkverpleging {wijk}",
            "Wijkverpleegkundigen die thuis zorg geven en weten wat er in de buurt te doen is.",
        ),
        Template(
            Sphere.OVERHEID,
            Kind.BIBLIOTHEEK,
            "Bibliotheek {wijk}",
            "Een vestiging van de bibliotheek met een leestafel en een digicafé.",
        ),
    ),
    Sphere.ONDERNEMINGEN: (
        Template(
            Sphere.ONDERNEMINGEN,
            Kind.BEDRIJF,
            "Bakkerij {achternaam}",
            "Buurtbakker die brood van gisteren geeft aan de voedselbank en stageplekken biedt.",
        ),
        Template(
            Sphere.ONDERNEMINGEN,
            Kind.BEDRIJF,
            "Fietsenmaker {achternaam}",
            "Repareert fietsen en leert bewoners op zaterdag zelf een band plakken.",
        ),
        Template(
            Sphere.ONDERNEMINGEN,
            Kind.BEDRIJF,
            "Supermarkt {plek}",
            "Sponsort buurtactiviteiten en heeft een koffiehoek voor ouderen.",
        ),
        Template(
            Sphere.ONDERNEMINGEN,
            Kind.SOCIALE_ONDERNEMING,
            "Kringloopwinkel {wijk}",
            "Tweedehands spullen en werkplekken voor mensen die weer willen beginnen.",
        ),
        Template(
            Sphere.ONDERNEMINGEN,
            Kind.SOCIALE_ONDERNEMING,
            "Buurtrestaurant {de}",
            "Samen eten voor een klein bedrag, gekookt door bewoners die het vak leren.",
        ),
        Template(
            Sphere.ONDERNEMINGEN,
            Kind.ZORGBOERDERIJ,
            "Zorgboerderij {plek}",
            "Dagbesteding op de boerderij: dieren verzorgen en samen buiten werken.",
        ),
    ),
}
# Most of a neighbourhood's social infrastructure is its residents' own (seed 002).
SPHERE_MIX = (Sphere.OIKOS, Sphere.OIKOS, Sphere.ONDERNEMINGEN, Sphere.OIKOS, Sphere.OVERHEID, Sphere.ONDERNEMINGEN)


def _new_organisation(
    ctx: DemoContext, district: District, sphere: Sphere, names: NameGenerator, made: Counter[str]
) -> Organisation:
    """An organisation of this sphere in this district, under a name not used yet."""
    buurten = [n for n in ctx.get("neighbourhoods") if isinstance(n, Neighbourhood) and n.district_id == district.pk]
    # Templates in random order, the kinds and templates made least so far first: even a small town
    # has a shop as well as a social enterprise. One that names only the district ("Bibliotheek
    # Centrum") can be used once per district, so the next one gets a turn.
    shuffled = ctx.rng.sample(PER_DISTRICT[sphere], k=len(PER_DISTRICT[sphere]))
    for template in sorted(shuffled, key=lambda t: (made[t.kind], made[t.name])):
        for _attempt in range(10):
            name = template.name.format(
                buurt=ctx.rng.choice(buurten).name,
                wijk=district.name,
                achternaam=ctx.rng.choice(SURNAMES),
                plek=names.compound_unregistered(),
                de=f"De {ctx.rng.choice(DE_NOUNS)}",
            )
            if name not in names.used:
                names.used.add(name)
                made.update((template.kind, template.name))
                return Organisation(
                    municipality=ctx.municipality,
                    name=name,
                    sphere=template.sphere,
                    kind=template.kind,
                    description=template.description,
                )
    raise RuntimeError("Ran out of demo organisation names; add templates to nabij.socialmap.demo.")


@step(order=20, name="organisations", label="Organisaties")
def organisations(ctx: DemoContext) -> None:
    municipality = ctx.municipality
    # The barrier, participation type, domain and target group catalogues (no random numbers used).
    # Part of this step, which runs after the geography step, rather than a step of its own.
    catalogue_ensure_defaults(municipality=municipality)
    districts: list[District] = ctx.get("districts")
    names = NameGenerator(ctx.rng)
    created = [
        Organisation(municipality=municipality, name=t.name, sphere=t.sphere, kind=t.kind, description=t.description)
        for t in CITY_WIDE
    ]
    names.used.update(o.name for o in created)
    made: Counter[str] = Counter()
    for district in districts:
        # District names are unique, so their wijkteams' names are too.
        names.used.add(f"Wijkteam {district.name}")
        created.append(
            Organisation(
                municipality=municipality,
                name=f"Wijkteam {district.name}",
                sphere=Sphere.OVERHEID,
                kind=Kind.WIJKTEAM,
                description="Sociaal werkers en wijkverpleegkundigen: één plek voor hulp, dichtbij huis.",
            )
        )
        for number in range(ctx.scale.organisations_per_district - 1):
            created.append(_new_organisation(ctx, district, SPHERE_MIX[number % len(SPHERE_MIX)], names, made))
    for organisation in created:
        organisation.uid = demo_uid(ctx.rng)
    Organisation.objects.bulk_create(created, batch_size=500)
    ctx.add("organisations", created)


def demo_uid(rng: random.Random) -> uuid.UUID:
    """A version 4 UUID from the step's own random numbers: the same seed gives the same public ids."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def organisation_districts(ctx: DemoContext) -> list[tuple[Organisation, District | None]]:
    """Each organisation with its home district (None: city-wide), from the order this step made them in."""
    organisations: list[Organisation] = ctx.get("organisations")
    districts: list[District] = ctx.get("districts")
    per_district = ctx.scale.organisations_per_district
    if len(organisations) != len(CITY_WIDE) + per_district * len(districts):
        raise RuntimeError("The organisations are not in the order the organisations step makes them in.")
    homes: list[District | None] = [None] * len(CITY_WIDE)
    for district in districts:
        homes += [district] * per_district
    return list(zip(organisations, homes, strict=True))
