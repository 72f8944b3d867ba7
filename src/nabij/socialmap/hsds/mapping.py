"""How Nabij's social map maps onto HSDS 3.0, both ways: ids, taxonomies, facts, status, address, cost.

Pure functions and data, no database. docs/hsds.md describes every choice made here.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from nabij.socialmap.models import ActivityStatus, Commitment, SignUpChannel

# Namespace of every id Nabij derives (taxonomies and terms); never change it, ids depend on it.
NAMESPACE = uuid.UUID("9e24da50-5f73-4f33-ac47-af6f60f7ddaa")
TAXONOMY_URI = "https://nabij.nl/hsds/taxonomies/"
TAXONOMY_VERSION = "1"


def canonical_id(value: Any) -> str | None:
    """The lower-case hyphenated form of a UUID, or None when `value` is not one."""
    if not isinstance(value, str):
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def child_id(owner: str | uuid.UUID, name: str) -> str:
    """The id of something that belongs to `owner` (a schedule, an address, an attribute...).

    A UUID version 5 in the owner's id as namespace: the same owner and name give the same id in
    every export, so export → import → export is identical.
    """
    return str(uuid.uuid5(uuid.UUID(str(owner)), name))


def taxonomy_id(name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"taxonomy/{name}"))


def term_id(taxonomy: str, code: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"taxonomy/{taxonomy}/{code}"))


# ---------------------------------------------------------------------------------------------
# Taxonomies
# ---------------------------------------------------------------------------------------------

BARRIERS = "nabij-barriers"
PARTICIPATION_TYPES = "nabij-participation-types"
DOMAINS = "nabij-domains"
THEMES = "nabij-themes"
ACTION_PERSPECTIVES = "nabij-action-perspectives"
SPHERES = "nabij-spheres"
ORGANISATION_KINDS = "nabij-organisation-kinds"
PLACE_KINDS = "nabij-place-kinds"
NEIGHBOURHOODS = "nabij-neighbourhoods"
FACTS = "nabij-facts"


@dataclass(frozen=True)
class Taxonomy:
    name: str
    link_type: str  # the attribute's link_type: what the term says about the entity
    description: str


TAXONOMIES: tuple[Taxonomy, ...] = (
    Taxonomy(
        BARRIERS,
        "barrier",
        "Nabij barriers (drempels): what can keep someone from joining an activity. A service has an attribute "
        "for every barrier it has; a dataset that publishes this taxonomy says the list is complete.",
    ),
    Taxonomy(
        PARTICIPATION_TYPES,
        "participation_type",
        "Nabij participation types (soort deelname): what someone does at an activity. One per service.",
    ),
    Taxonomy(DOMAINS, "domain", "Domains of the Dutch social basis (sociale basis) an activity belongs to."),
    Taxonomy(THEMES, "theme", "Themes: free, curated tags of a municipality."),
    Taxonomy(
        ACTION_PERSPECTIVES,
        "action_perspective",
        "Action perspective (handelingsperspectief) an activity offers: omgevingsinitiatief, mild werkverband "
        "or warme plek.",
    ),
    Taxonomy(SPHERES, "sphere", "The sphere of an organisation (de drie O's): oikos, overheid or ondernemingen."),
    Taxonomy(ORGANISATION_KINDS, "organisation_kind", "The kind of organisation (soort organisatie)."),
    Taxonomy(PLACE_KINDS, "place_kind", "The kind of place (soort plek) of a location."),
    Taxonomy(
        NEIGHBOURHOODS,
        "neighbourhood",
        "The CBS neighbourhood (buurt) a location lies in; the term code is the CBS buurtcode (BU + 8 digits).",
    ),
    Taxonomy(
        FACTS,
        "fact",
        "Facts of Nabij that HSDS has no field for. The term code names the fact, the attribute's value holds it.",
    ),
)
TAXONOMY_BY_NAME = {t.name: t for t in TAXONOMIES}


# ---------------------------------------------------------------------------------------------
# Facts: values without an HSDS field, carried as attribute values of the `nabij-facts` taxonomy
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    code: str  # also the model field it comes from, where there is one
    entity: str  # the HSDS table it is attached to (link_entity)
    kind: str  # text, int, bool, bool3, choice, duration, rrule, date
    label_nl: str
    description: str  # English: what the value holds
    choices: tuple[str, ...] = ()
    default: Any = None


FACT_LIST: tuple[Fact, ...] = (
    Fact("what_to_expect", "service", "text", "Wat kun je verwachten", "Text: what to expect.", default=""),
    Fact("who_welcomes_you", "service", "text", "Wie ontvangt je", "Text: who welcomes newcomers.", default=""),
    Fact("capacity", "service", "int", "Aantal plaatsen", "Whole number: the number of places."),
    Fact("expected_group_size", "service", "int", "Verwachte groepsgrootte", "Whole number: expected group size."),
    Fact(
        "registration_required",
        "service",
        "bool",
        "Vooraf aanmelden of intake nodig",
        "true: sign-up or intake needed in advance.",
        default=False,
    ),
    Fact(
        "sign_up_channel",
        "service",
        "choice",
        "Zo meld je je aan",
        "How to sign up: in_person, phone or online_only.",
        choices=tuple(SignUpChannel.values),
        default=SignUpChannel.IN_PERSON.value,
    ),
    Fact(
        "commitment",
        "service",
        "choice",
        "Verplichting",
        "Commitment: drop_in, series or membership.",
        choices=tuple(Commitment.values),
        default=Commitment.DROP_IN.value,
    ),
    Fact("level_required", "service", "bool", "Ervaring of niveau nodig", "true: a level is required.", default=False),
    Fact(
        "dutch_language_required",
        "service",
        "bool",
        "Goed Nederlands nodig",
        "true: good Dutch is required.",
        default=False,
    ),
    Fact(
        "rrule",
        "schedule",
        "rrule",
        "Herhaalregel (RRULE)",
        "The exact RFC 5545 RRULE, when the HSDS schedule fields cannot hold it.",
    ),
    Fact(
        "duration",
        "schedule",
        "duration",
        "Duur",
        "ISO 8601 duration (PT26H), when opens_at and closes_at cannot hold it.",
    ),
    Fact("exdate", "schedule", "date", "Gaat niet door op", "A date (YYYY-MM-DD) it does not take place; one each."),
    Fact("step_free_entrance", "location", "bool3", "Drempelvrije ingang", "true or false; absent: unknown."),
    Fact("wheelchair_accessible", "location", "bool3", "Rolstoeltoegankelijk", "true or false; absent: unknown."),
    Fact("accessible_toilet", "location", "bool3", "Toegankelijk toilet", "true or false; absent: unknown."),
    Fact("street", "location", "text", "Straat", "The street, when address_1 cannot be split.", default=""),
    Fact("house_number", "location", "text", "Huisnummer", "The house number, when address_1 cannot be split."),
    Fact("archived", "organization", "bool", "Gearchiveerd", "true: archived; absent: not archived.", default=False),
    Fact("archived", "location", "bool", "Gearchiveerd", "true: archived; absent: not archived.", default=False),
)
FACTS_BY_KEY = {(f.entity, f.code): f for f in FACT_LIST}
FACT_CODES = sorted({f.code for f in FACT_LIST})


def encode_fact(fact: Fact, value: Any) -> str | None:
    """The attribute value for `value`, or None when nothing needs saying (the default, or unknown)."""
    if fact.kind == "bool3":
        return None if value is None else ("true" if value else "false")
    if fact.kind == "bool":
        return "true" if value else None
    if value is None or value == fact.default or value == "":
        return None
    return str(value)


def decode_fact(fact: Fact, text: Any) -> Any:
    """The value of a fact attribute; ValueError with a Dutch reason when it is not valid."""
    value = "" if text is None else str(text).strip()
    if fact.kind in ("bool", "bool3"):
        if value.lower() not in ("true", "false"):
            raise ValueError(_("Geef true of false, niet %(value)r.") % {"value": value})
        return value.lower() == "true"
    if fact.kind == "int":
        if not value.isdigit():
            raise ValueError(_("Geef een heel getal van 0 of meer, niet %(value)r.") % {"value": value})
        return int(value)
    if fact.kind == "choice":
        if value not in fact.choices:
            raise ValueError(
                _("Onbekende waarde %(value)r. Kies uit: %(choices)s.")
                % {"value": value, "choices": ", ".join(fact.choices)}
            )
        return value
    if fact.kind == "duration":
        return parse_duration(value)
    if fact.kind == "date":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(_("Geef een datum als JJJJ-MM-DD, niet %(value)r.") % {"value": value})
        return value
    return value


DURATION = re.compile(r"^P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?$")


def format_duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + (f"{secs}S" if secs else "")
    return text if text != "PT" else "PT0S"


def parse_duration(text: str) -> int:
    """Seconds of an ISO 8601 duration in days, hours, minutes and seconds (PT2H30M)."""
    match = DURATION.match(text.strip().upper())
    if not match or text.strip().upper() in ("P", "PT"):
        raise ValueError(_("Geef een duur volgens ISO 8601, zoals PT2H30M, niet %(value)r.") % {"value": text})
    d, h, m, s = (int(match.group(k) or 0) for k in "dhms")
    return ((d * 24 + h) * 60 + m) * 60 + s


# ---------------------------------------------------------------------------------------------
# Service status
# ---------------------------------------------------------------------------------------------

STATUS_TO_HSDS = {
    ActivityStatus.PUBLISHED.value: "active",
    ActivityStatus.DRAFT.value: "inactive",
    ActivityStatus.ARCHIVED.value: "defunct",
}
STATUS_FROM_HSDS = {
    "active": ActivityStatus.PUBLISHED.value,
    "inactive": ActivityStatus.DRAFT.value,
    "defunct": ActivityStatus.ARCHIVED.value,
    # Exists, but does not run now: not offered until someone looks at it.
    "temporarily closed": ActivityStatus.DRAFT.value,
}


# ---------------------------------------------------------------------------------------------
# Address: HSDS has one address line; Nabij a street and a house number
# ---------------------------------------------------------------------------------------------

ADDRESS_LINE = re.compile(r"^(?P<street>.*\S)\s+(?P<number>\d+(?:[\s\-/]?[A-Za-z0-9]{1,4})*)$")


def join_address(street: str, number: str) -> str:
    return " ".join(part for part in (street.strip(), number.strip()) if part)


def split_address(line: str) -> tuple[str, str]:
    """('Dorpsstraat', '12 A') from 'Dorpsstraat 12 A'; a line without a number is all street."""
    match = ADDRESS_LINE.match(line.strip())
    if not match:
        return line.strip(), ""
    return match.group("street"), match.group("number")


# ---------------------------------------------------------------------------------------------
# Cost: HSDS cost options
# ---------------------------------------------------------------------------------------------

COST_OPTION = "Meedoen"
FREE_OPTION = "Gratis mogelijkheid"


def amount_of(cents: int) -> int | float:
    return cents // 100 if cents % 100 == 0 else cents / 100


def euros(cents: int) -> str:
    return f"{cents / 100:.2f}".replace(".", ",")


def cost_options(service_id: str, cost_cents: int, has_free_option: bool) -> list[dict[str, Any]]:
    """One option with the cost (0 when free), and a second one of 0 when there is a free option."""
    options = [
        {
            "id": child_id(service_id, "cost_option"),
            "service_id": service_id,
            "option": COST_OPTION,
            "currency": "EUR",
            "amount": amount_of(cost_cents),
        }
    ]
    if has_free_option:
        options.append(
            {
                "id": child_id(service_id, "cost_option/free"),
                "service_id": service_id,
                "option": FREE_OPTION,
                "currency": "EUR",
                "amount": 0,
            }
        )
    return options


def fees_description(cost_cents: int, has_free_option: bool) -> str:
    if not cost_cents:
        return _("Meedoen is gratis.")
    text = _("Meedoen kost € %(euros)s.") % {"euros": euros(cost_cents)}
    if has_free_option:
        text += " " + _("Er is ook een gratis mogelijkheid.")
    return text


def cost_from_options(options: Iterable[Mapping[str, Any]]) -> tuple[int, bool, list[str]]:
    """(cost_cents, has_free_option, notes): the highest amount is the cost; a free option is a
    second option of 0. Options without an amount are left out; a currency other than EUR is noted."""
    amounts: list[float] = []
    notes: list[str] = []
    for option in options:
        amount = option.get("amount")
        if not isinstance(amount, int | float) or isinstance(amount, bool) or amount < 0:
            continue
        amounts.append(float(amount))
        currency = str(option.get("currency") or "EUR").upper()
        if currency != "EUR":
            notes.append(
                _("Bedrag %(amount)s in %(currency)s overgenomen als euro's.")
                % {"amount": amount, "currency": currency}
            )
    if not amounts:
        return 0, False, notes
    cost = round(max(amounts) * 100)
    return cost, len(amounts) >= 2 and min(amounts) == 0, notes


# ---------------------------------------------------------------------------------------------
# Geometry: which neighbourhood holds a point
# ---------------------------------------------------------------------------------------------


def _in_ring(ring: list[list[float]], lon: float, lat: float) -> bool:
    inside = False
    for (x0, y0, *_r0), (x1, y1, *_r1) in itertools.pairwise(ring):
        if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def boundary_contains(boundary: Mapping[str, Any] | None, lat: float, lon: float) -> bool:
    """Whether a GeoJSON Polygon or MultiPolygon holds the point (holes respected)."""
    if not boundary:
        return False
    kind = boundary.get("type")
    polygons = [boundary.get("coordinates")] if kind == "Polygon" else boundary.get("coordinates") or []
    if kind not in ("Polygon", "MultiPolygon"):
        return False
    for polygon in polygons:
        if polygon and _in_ring(polygon[0], lon, lat) and not any(_in_ring(hole, lon, lat) for hole in polygon[1:]):
            return True
    return False
