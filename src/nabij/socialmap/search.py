"""Finding activities: full-text search, every filter, sorting, and the "activities for me" ranking.

Everything is decided in SQL, so a page or API call costs one query for the results plus a few for
the catalogues, whatever the size of the municipality:

- text: PostgreSQL's `dutch` configuration on the GIN-indexed document of migration 0006, ranked
  with ts_rank_cd; on SQLite the FTS5 table of the same migration, ranked with bm25() and matched
  on word prefixes (FTS5 has no Dutch stemmer, so "wandel" finds "wandelen" and "wandeling").
- distance: straight line on a local flat projection (fine within a city) times `DETOUR_FACTOR`,
  the usual allowance for walking along streets rather than as the crow flies.
- barriers: `barrier_mask & person_mask` (docs/barriers.md).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Sqrt
from django.db.models.lookups import Exact, GreaterThan, LessThanOrEqual
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from nabij.core.models import Municipality, Neighbourhood
from nabij.socialmap.models import (
    AMSTERDAM,
    PERSPECTIVE_FOR_ISOLATION,
    ActionPerspective,
    Activity,
    ActivityStatus,
    Barrier,
    Domain,
    IsolationType,
    ParticipationType,
    Theme,
    barrier_count_expression,
    barriers_by_code,
)

__all__ = [
    "DETOUR_FACTOR",
    "NEARBY_M",
    "ActivityFilter",
    "IsolationType",
    "Point",
    "Sort",
    "Suggestion",
    "activities_for_me",
    "search_activities",
]

Sort = Literal["relevance", "distance", "date"]
SORTS: tuple[Sort, ...] = ("relevance", "distance", "date")

# Walking along streets is about 1.3 times the straight line in a Dutch city.
DETOUR_FACTOR = 1.3
# Walking distance (m) within which an activity is "in de buurt": beyond it, `distance` is a barrier.
NEARBY_M = 1_000
# Suggestions look no further than this walking distance when a location is given.
SUGGESTION_RADIUS_M = 5_000
METRES_PER_DEGREE = 6_371_008.8 * math.pi / 180  # mean Earth radius


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


@dataclass(frozen=True)
class ActivityFilter:
    """What a visitor asks for. Codes are the municipality's catalogue codes."""

    text: str = ""
    participation_types: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    perspectives: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()
    neighbourhoods: frozenset[str] = frozenset()  # CBS BU codes
    weekdays: frozenset[int] = frozenset()  # ISO: 1 = Monday .. 7 = Sunday
    time_from: dt.time | None = None  # starts at or after (local time)
    time_until: dt.time | None = None  # starts at or before
    free: bool = False  # free, or with a free option
    without_barriers: frozenset[str] = frozenset()  # barriers that stop this person
    near: Point | None = None
    max_distance_m: int | None = None  # walking distance
    on: dt.date | None = None  # active on this day; None is today
    sort: Sort = "relevance"


@dataclass(frozen=True)
class Suggestion:
    activity: Activity
    distance_m: float | None
    barriers: tuple[str, ...]  # the person's barriers this activity has
    lifted: tuple[str, ...]  # the person's barriers it has that a supporter lifts by going along
    reason: str  # one line, B1
    score: float
    next_dates: list[dt.datetime] = field(default_factory=list)
    activity_barriers: tuple[str, ...] = ()  # all the activity's barriers, in catalogue (bit) order


def today() -> dt.date:
    return dt.datetime.now(tz=AMSTERDAM).date()


# ---------------------------------------------------------------------------------------------
# Expressions
# ---------------------------------------------------------------------------------------------


def distance_expression(near: Point) -> ExpressionWrapper:
    """Walking distance in metres from `near` to the activity's place (NULL without a place)."""
    kx = METRES_PER_DEGREE * math.cos(math.radians(near.lat))
    dx = (F("place__lon") - Value(near.lon)) * Value(kx)
    dy = (F("place__lat") - Value(near.lat)) * Value(METRES_PER_DEGREE)
    return ExpressionWrapper(Sqrt(dx * dx + dy * dy) * Value(DETOUR_FACTOR), output_field=FloatField())


def _closer_than(near: Point, metres: float) -> LessThanOrEqual:
    """Walking distance ≤ `metres`, compared squared: no square root per row in the WHERE clause."""
    kx = METRES_PER_DEGREE * math.cos(math.radians(near.lat))
    dx = (F("place__lon") - Value(near.lon)) * Value(kx)
    dy = (F("place__lat") - Value(near.lat)) * Value(METRES_PER_DEGREE)
    straight = metres / DETOUR_FACTOR
    return LessThanOrEqual(dx * dx + dy * dy, Value(straight * straight))


def walking_distance_m(near: Point, lat: float, lon: float) -> float:
    """The same walking distance as `distance_expression`, in Python."""
    dx = (lon - near.lon) * METRES_PER_DEGREE * math.cos(math.radians(near.lat))
    dy = (lat - near.lat) * METRES_PER_DEGREE
    return math.hypot(dx, dy) * DETOUR_FACTOR


def _within(near: Point, metres: float) -> Q:
    """The bounding box of a walking radius: cheap, indexable, and a superset of the circle."""
    straight = metres / DETOUR_FACTOR
    dlat = straight / METRES_PER_DEGREE
    dlon = straight / (METRES_PER_DEGREE * math.cos(math.radians(near.lat)))
    return Q(
        place__lat__gte=near.lat - dlat,
        place__lat__lte=near.lat + dlat,
        place__lon__gte=near.lon - dlon,
        place__lon__lte=near.lon + dlon,
    )


# Must stay identical to the index expression of migration 0006, or PostgreSQL will not use it.
_PG_DOCUMENT = (
    "setweight(to_tsvector('dutch'::regconfig, coalesce({t}.title, '')), 'A') || "
    "setweight(to_tsvector('dutch'::regconfig, coalesce({t}.description, '') || ' ' || "
    "coalesce({t}.what_to_expect, '') || ' ' || coalesce({t}.who_welcomes_you, '')), 'B')"
).format(t='"socialmap_activity"')
_WORD = re.compile(r"\w+", re.UNICODE)


def _fts5_query(text: str) -> str:
    """Every word as a quoted prefix term: user input can never be FTS5 syntax."""
    return " ".join(f'"{word}"*' for word in _WORD.findall(text.lower()))


def _text_search(text: str) -> tuple[Any, Any]:
    """The condition that matches `text`, and the `rank` expression (higher is better)."""
    # The SQL below is built from constants only; the visitor's text is always a parameter.
    if connection.vendor == "postgresql":
        # Every word as a stemmed prefix, all required: 'voetbal' also finds 'voetballen' (stem
        # 'voetball'), which the Dutch stemmer alone would miss; the same rule as on SQLite.
        words = _WORD.findall(text.lower())
        if not words:
            return Q(pk__in=[]), Value(0.0, output_field=FloatField())
        terms = " & ".join(f"{word}:*" for word in words)
        query = "to_tsquery('dutch'::regconfig, %s)"
        matches = RawSQL(f"({_PG_DOCUMENT}) @@ {query}", [terms], output_field=BooleanField())  # noqa: S611
        rank = RawSQL(f"ts_rank_cd({_PG_DOCUMENT}, {query})", [terms], output_field=FloatField())  # noqa: S611
        return matches, rank
    match = _fts5_query(text)
    if not match:
        return Q(pk__in=[]), Value(0.0, output_field=FloatField())
    fts = "socialmap_activity_fts"
    matches = RawSQL(  # noqa: S611
        f'"socialmap_activity"."id" IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)',  # noqa: S608
        [match],
        output_field=BooleanField(),
    )
    # bm25() is lower for better matches; title words weigh three times the body's.
    rank = RawSQL(  # noqa: S611
        f'(SELECT -bm25({fts}, 3.0, 1.0) FROM {fts} WHERE {fts} MATCH %s AND rowid = "socialmap_activity"."id")',  # noqa: S608
        [match],
        output_field=FloatField(),
    )
    return matches, rank


# ---------------------------------------------------------------------------------------------
# Validation of codes
# ---------------------------------------------------------------------------------------------


def _check_codes(model: Any, municipality: Municipality, codes: Iterable[str], message: str) -> None:
    codes = set(codes)
    if not codes:
        return
    known = set(model.objects.filter(municipality=municipality, code__in=codes).values_list("code", flat=True))
    unknown = sorted(codes - known)
    if unknown:
        raise ValidationError(message % {"codes": ", ".join(unknown)})


def _validate(municipality: Municipality, filters: ActivityFilter, barriers: dict[str, Barrier]) -> None:
    _check_codes(ParticipationType, municipality, filters.participation_types, _("Onbekende soort: %(codes)s."))
    _check_codes(Domain, municipality, filters.domains, _("Onbekend domein: %(codes)s."))
    _check_codes(Theme, municipality, filters.themes, _("Onbekend thema: %(codes)s."))
    _check_codes(Neighbourhood, municipality, filters.neighbourhoods, _("Onbekende buurt: %(codes)s."))
    unknown = sorted(set(filters.perspectives) - set(ActionPerspective.values))
    if unknown:
        raise ValidationError(_("Onbekend handelingsperspectief: %(codes)s.") % {"codes": ", ".join(unknown)})
    unknown = sorted(set(filters.without_barriers) - set(barriers))
    if unknown:
        raise ValidationError(_("Onbekende drempel: %(codes)s.") % {"codes": ", ".join(unknown)})
    if any(day not in range(1, 8) for day in filters.weekdays):
        raise ValidationError(_("Een dag is een getal van 1 (maandag) tot en met 7 (zondag)."))
    if filters.max_distance_m is not None and filters.max_distance_m <= 0:
        raise ValidationError(_("De afstand moet groter zijn dan 0 meter."))
    if filters.max_distance_m is not None and filters.near is None:
        raise ValidationError(_("Geef ook een plek op om vanaf te meten."))
    if filters.time_from and filters.time_until and filters.time_from > filters.time_until:
        raise ValidationError(_("De begintijd ligt na de eindtijd."))
    if filters.sort not in SORTS:
        raise ValidationError(_("Sorteer op relevantie, afstand of datum."))
    if filters.sort == "distance" and filters.near is None:
        raise ValidationError(_("Sorteren op afstand kan alleen als je een plek opgeeft."))


def _person_mask(barriers: dict[str, Barrier], codes: Iterable[str]) -> int:
    """The stored part of a person's barriers; the relational `distance` is handled by distance."""
    return sum(barriers[code].mask for code in set(codes) if code in barriers and not barriers[code].relational)


def _wants_nearby(barriers: dict[str, Barrier], codes: Iterable[str]) -> bool:
    return any(code in barriers and barriers[code].relational for code in codes)


# ---------------------------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------------------------


def search_activities(
    municipality: Municipality,
    filters: ActivityFilter,
    *,
    catalogue: dict[str, Barrier] | None = None,
    related: bool = True,
) -> QuerySet[Activity]:
    """Published activities active on the day, filtered and sorted, annotated with `distance_m` and `rank`.

    Raises ValidationError (Dutch) for unknown codes or contradictory input. `catalogue`: the
    municipality's barriers by code, when the caller has read them already. `related`: load
    each activity's place, organisation and type with it (not needed to rank ids).
    """
    barriers = catalogue if catalogue is not None else barriers_by_code(municipality)
    _validate(municipality, filters, barriers)
    day = filters.on or today()
    # Conditions and annotations are collected and applied at once: every filter() call copies
    # the query, and building it is a large part of the cost of a search.
    conditions: list[Any] = [
        Q(municipality=municipality, status=ActivityStatus.PUBLISHED),
        Q(active_from__isnull=True) | Q(active_from__lte=day),
        Q(active_until__isnull=True) | Q(active_until__gte=day),
    ]
    annotations: dict[str, Any] = {"rank": Value(0.0, output_field=FloatField())}
    if filters.text.strip():
        matches, annotations["rank"] = _text_search(filters.text.strip())
        conditions.append(matches)
    if filters.participation_types:
        conditions.append(Q(participation_type__code__in=filters.participation_types))
    if filters.perspectives:
        conditions.append(Q(action_perspective__in=filters.perspectives))
    # Exists rather than a join: an activity in two of the wanted domains must appear once.
    if filters.domains:
        through: Any = Activity.domains.through
        conditions.append(Exists(through.objects.filter(activity_id=OuterRef("pk"), domain__code__in=filters.domains)))
    if filters.themes:
        through = Activity.themes.through
        conditions.append(Exists(through.objects.filter(activity_id=OuterRef("pk"), theme__code__in=filters.themes)))
    if filters.neighbourhoods:
        conditions.append(Q(place__neighbourhood__code__in=filters.neighbourhoods))
    if filters.weekdays:
        wanted = sum(1 << (day - 1) for day in filters.weekdays)
        conditions.append(GreaterThan(F("weekdays_mask").bitand(wanted), 0))
    if filters.time_from:
        conditions.append(Q(start_minute__gte=filters.time_from.hour * 60 + filters.time_from.minute))
    if filters.time_until:
        conditions.append(Q(start_minute__lte=filters.time_until.hour * 60 + filters.time_until.minute))
    if filters.free:
        conditions.append(Q(cost_cents=0) | Q(has_free_option=True))
    mask = _person_mask(barriers, filters.without_barriers)
    if mask:
        conditions.append(Exact(F("barrier_mask").bitand(mask), 0))
    max_distance = filters.max_distance_m
    if filters.near is not None and _wants_nearby(barriers, filters.without_barriers):
        max_distance = min(max_distance or NEARBY_M, NEARBY_M)
    if filters.near is not None:
        annotations["distance_m"] = distance_expression(filters.near)
        if max_distance is not None:
            conditions += [_within(filters.near, max_distance), _closer_than(filters.near, max_distance)]
    else:
        annotations["distance_m"] = Value(None, output_field=FloatField())
    activities = Activity.objects.annotate(**annotations).filter(*conditions).order_by(*_ordering(filters))
    if related:
        activities = activities.select_related(
            "place", "place__neighbourhood", "organisation", "participation_type"
        ).defer("place__neighbourhood__boundary")  # a large JSON document that no result shows
    return activities


def _ordering(filters: ActivityFilter) -> list[Any]:
    soonest = F("next_start").asc(nulls_last=True)
    if filters.sort == "distance":
        return [F("distance_m").asc(nulls_last=True), soonest, "title", "pk"]
    if filters.sort == "date":
        return [soonest, "title", "pk"]
    if filters.text.strip():
        return [F("rank").desc(), soonest, "title", "pk"]
    if filters.near is not None:
        return [F("distance_m").asc(nulls_last=True), soonest, "title", "pk"]
    return [soonest, "title", "pk"]


# ---------------------------------------------------------------------------------------------
# "Activities for me"
# ---------------------------------------------------------------------------------------------

# What a suggestion shows (its page, the API, the wayfinder's card): loading no more keeps it fast.
SUGGESTION_FIELDS = (
    "uid",
    "title",
    "municipality_id",
    "status",
    "action_perspective",
    "who_welcomes_you",
    "cost_cents",
    "has_free_option",
    "barrier_mask",
    "dtstart",
    "duration",
    "rrule",
    "exdates",
    "active_from",
    "active_until",
    "next_start",
    "organisation__uid",
    "organisation__name",
    "participation_type__code",
    "participation_type__label_nl",
    "participation_type__label_en",
    "place__uid",
    "place__name",
    "place__street",
    "place__house_number",
    "place__postcode",
    "place__city",
    "place__lat",
    "place__lon",
    "place__neighbourhood__code",
    "place__neighbourhood__name",
)

# Score weights (lower is better): one barrier outweighs a mismatched perspective and 2 km of walking.
BARRIER_WEIGHT = 3.0
PERSPECTIVE_WEIGHT = 1.5
KM_WEIGHT = 1.0


def activities_for_me(
    municipality: Municipality,
    *,
    barriers: frozenset[str],
    near: Point | None,
    isolation_type: str | None,
    lifted: frozenset[str] = frozenset(),
    filters: ActivityFilter | None = None,
    limit: int = 20,
) -> list[Suggestion]:
    """The `limit` best activities for a person, best first, each with a one-line reason.

    Fewer of the person's barriers is better (those a supporter lifts by going along do not count),
    then an action perspective that fits the isolation type (DESIGN.md §2), then a shorter walk.
    Activities without an upcoming date are left out. Nothing about the person is stored.
    """
    catalogue = barriers_by_code(municipality)
    unknown = sorted((set(barriers) | set(lifted)) - set(catalogue))
    if unknown:
        raise ValidationError(_("Onbekende drempel: %(codes)s.") % {"codes": ", ".join(unknown)})
    if isolation_type and isolation_type not in IsolationType.values:
        raise ValidationError(_("Onbekende soort isolement: %(code)s.") % {"code": isolation_type})
    if limit < 1 or limit > 100:
        raise ValidationError(_("Vraag 1 tot en met 100 suggesties."))
    base = replace(filters or ActivityFilter(), without_barriers=frozenset(), near=near, sort="relevance")
    if near is not None and base.max_distance_m is None:
        base = replace(base, max_distance_m=SUGGESTION_RADIUS_M)
    counted = _person_mask(catalogue, barriers) & ~_person_mask(catalogue, lifted)
    wanted = PERSPECTIVE_FOR_ISOLATION.get(isolation_type or "")
    score: Any = barrier_count_expression(counted) * Value(BARRIER_WEIGHT)
    if wanted:
        score = score + Case(
            When(action_perspective=wanted, then=Value(0.0)),
            default=Value(PERSPECTIVE_WEIGHT),
            output_field=FloatField(),
        )
    if near is not None:
        score = score + F("distance_m") / Value(1000.0) * Value(KM_WEIGHT)
    # Rank on a narrow projection first: sorting thousands of full rows (with their joined place,
    # organisation and texts) costs far more than sorting their ids, scores and distances.
    ranked = list(
        search_activities(municipality, base, catalogue=catalogue, related=False)
        .filter(next_start__isnull=False)
        .annotate(score=ExpressionWrapper(score, output_field=FloatField()))
        .order_by("score", F("next_start").asc(), "title", "pk")
        .values_list("pk", "score", "distance_m")[:limit]
    )
    by_pk = {
        activity.pk: activity
        for activity in Activity.objects.filter(pk__in=[pk for pk, _score, _distance in ranked])
        .select_related("place", "place__neighbourhood", "organisation", "participation_type")
        .only(*SUGGESTION_FIELDS)
    }
    activities = []
    for pk, row_score, distance in ranked:
        activity = by_pk[pk]
        activity.score, activity.distance_m = row_score, distance  # type: ignore[attr-defined]
        activities.append(activity)
    nearby_matters = _wants_nearby(catalogue, barriers)
    now = dt.datetime.now(tz=AMSTERDAM)
    suggestions = []
    for activity in activities:
        present = [
            code
            for code in sorted(barriers)
            if not catalogue[code].relational and activity.barrier_mask & catalogue[code].mask
        ]
        distance = getattr(activity, "distance_m", None)
        if nearby_matters and (distance is None or distance > NEARBY_M) and activity.place_id is not None:
            present.append(next(code for code in sorted(barriers) if catalogue[code].relational))
        has = tuple(code for code in present if code not in lifted)
        lifted_here = tuple(code for code in present if code in lifted)
        suggestions.append(
            Suggestion(
                activity=activity,
                distance_m=distance,
                barriers=has,
                lifted=lifted_here,
                reason=_reason(activity, has, lifted_here, distance, wanted, catalogue),
                score=float(getattr(activity, "score", 0.0)),
                next_dates=activity.next_occurrences(3, after=now),
                activity_barriers=tuple(
                    b.code for b in sorted(catalogue.values(), key=lambda b: b.bit) if activity.barrier_mask & b.mask
                ),
            )
        )
    return suggestions


def _reason(
    activity: Activity,
    has: tuple[str, ...],
    lifted: tuple[str, ...],
    distance: float | None,
    wanted: str | None,
    catalogue: dict[str, Barrier],
) -> str:
    """One line in B1 that says why this suggestion comes where it does."""
    parts: list[str] = []
    if not has:
        parts.append(_("Geen drempels voor jou"))
    elif len(has) == 1:
        parts.append(_("Eén drempel voor jou: %(barrier)s") % {"barrier": _label(catalogue[has[0]])})
    else:
        parts.append(_("%(count)d drempels voor jou") % {"count": len(has)})
    if lifted:
        parts.append(_("je maatje gaat mee, dus %(barriers)s telt niet") % {"barriers": _listing(lifted, catalogue)})
    if wanted and activity.action_perspective == wanted:
        parts.append(
            _("een %(perspective)s past bij wat je zoekt") % {"perspective": activity.get_action_perspective_display()}
        )
    if distance is not None:
        parts.append(_("%(metres)s lopen") % {"metres": format_distance(distance)})
    sentence = ", ".join(parts)
    return sentence[0].upper() + sentence[1:] + "."


def _label(barrier: Barrier) -> str:
    return barrier.label(get_language() or "nl").lower()


def _listing(codes: Iterable[str], catalogue: dict[str, Barrier]) -> str:
    return _(" en ").join(_label(catalogue[code]) for code in codes)


def format_distance(metres: float) -> str:
    """'350 m' under a kilometre, '1,4 km' above: rounded as people say it, at least 50 m."""
    rounded = max(50, round(metres / 50) * 50)
    if rounded < 1000:
        return f"{rounded:.0f} m"
    return f"{number_format(round(metres / 1000, 1), decimal_pos=1)} km"  # 1,4 km in Dutch, 1.4 km in English
