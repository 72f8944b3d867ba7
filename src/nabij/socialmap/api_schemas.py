"""Schemas of the social map API: what goes in and what comes out.

Objects are named by their public `uid`, catalogue entries by their `code`. Barrier codes are
read from the activity's bit mask with the municipality's catalogue, loaded once per request
(`barrier_bits`), so a list never queries the catalogue per row.
"""

# No `from __future__ import annotations`: Ninja resolves these annotations at runtime.

import datetime as dt
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict, StrictBool

from nabij.core.api_types import NeighbourhoodCode
from nabij.core.models import Municipality
from nabij.socialmap.models import (
    AMSTERDAM,
    ActionPerspective,
    Activity,
    ActivityStatus,
    Barrier,
    BarrierSource,
    Commitment,
    OrganisationKind,
    Place,
    PlaceKind,
    SignUpChannel,
    Sphere,
)

NEXT_DATES = 5
MAX_INT = 2_147_483_647  # PositiveIntegerField on PostgreSQL

# --- the barrier catalogue, once per request ---------------------------------------------------

_BITS_ATTRIBUTE = "_nabij_barrier_bits"


def barrier_bits(request: HttpRequest | None, municipality: Municipality | int) -> tuple[tuple[int, str], ...]:
    """(mask, code) of each barrier of the municipality, by bit; cached on the request."""
    cached = getattr(request, _BITS_ATTRIBUTE, None) if request is not None else None
    if cached is None:
        cached = tuple(
            (1 << bit, code)
            for bit, code in Barrier.objects.filter(municipality=municipality)
            .order_by("bit")
            .values_list("bit", "code")
        )
        if request is not None:
            setattr(request, _BITS_ATTRIBUTE, cached)
    return cached


def codes_of(mask: int, bits: tuple[tuple[int, str], ...]) -> list[str]:
    return [code for bit_mask, code in bits if mask & bit_mask]


def _request_bits(context: Any, municipality_id: int) -> tuple[tuple[int, str], ...]:
    request = (context or {}).get("request")
    return barrier_bits(request, municipality_id)


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(AMSTERDAM)


# --- references --------------------------------------------------------------------------------


class OrganisationRef(Schema):
    uid: UUID = Field(description="Public id of the organisation.")
    name: str = Field(description="Name of the organisation.")


class PlaceRef(Schema):
    uid: UUID = Field(description="Public id of the place.")
    name: str = Field(description="Name of the place.")
    address: str = Field(description="Street and number, postcode and town in one line; empty if unknown.")
    lat: float | None = Field(description="Latitude in degrees, WGS 84; null if unknown.")
    lon: float | None = Field(description="Longitude in degrees, WGS 84; null if unknown.")
    neighbourhood: str | None = Field(description="CBS code of the neighbourhood (buurtcode), null if unknown.")

    @staticmethod
    def resolve_neighbourhood(obj: Place) -> str | None:
        return obj.neighbourhood.code if obj.neighbourhood_id else None  # type: ignore[union-attr]


# --- organisations -----------------------------------------------------------------------------


class OrganisationOut(Schema):
    uid: UUID = Field(description="Public id of the organisation, stable across exports and imports.")
    name: str = Field(description="Name, unique within the municipality.")
    sphere: Sphere = Field(description="De drie O's: `oikos` (residents), `overheid` or `ondernemingen`.")
    kind: OrganisationKind = Field(description="What kind of organisation it is.")
    description: str = Field(description="What the organisation does.")
    website: str = Field(description="Website, or empty.")
    email: str = Field(description="E-mail address of the organisation, or empty.")
    phone: str = Field(description="Telephone number of the organisation, or empty.")
    archived_at: dt.datetime | None = Field(description="When it was archived; null while it is active.")


class OrganisationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="Name, unique within the municipality (at most 160 characters).")
    sphere: Sphere = Field(description="`oikos`, `overheid` or `ondernemingen`.")
    kind: OrganisationKind = Field(description="What kind of organisation it is.")
    description: str = Field("", description="What the organisation does, in plain Dutch (B1).")
    website: str = Field("", description="Website (https://…).")
    email: str = Field("", description="E-mail address of the organisation.")
    phone: str = Field("", description="Telephone number of the organisation.")


class OrganisationPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, description="New name; leave out to keep it.")
    sphere: Sphere | None = Field(None, description="New sphere; leave out to keep it.")
    kind: OrganisationKind | None = Field(None, description="New kind; leave out to keep it.")
    description: str | None = Field(None, description="New description; leave out to keep it.")
    website: str | None = Field(None, description="New website; leave out to keep it.")
    email: str | None = Field(None, description="New e-mail address; leave out to keep it.")
    phone: str | None = Field(None, description="New telephone number; leave out to keep it.")


# --- places ------------------------------------------------------------------------------------


class PlaceOut(Schema):
    uid: UUID = Field(description="Public id of the place.")
    organisation: OrganisationRef = Field(description="The organisation the place belongs to.")
    name: str = Field(description="Name of the place.")
    kind: PlaceKind = Field(description="What kind of place it is.")
    street: str = Field(description="Street, or empty.")
    house_number: str = Field(description="House number with addition, or empty.")
    postcode: str = Field(description="Dutch postcode as `1234 AB`, or empty.")
    city: str = Field(description="Town, or empty.")
    address: str = Field(description="The address in one line.")
    lat: float | None = Field(description="Latitude in degrees, WGS 84; null if unknown.")
    lon: float | None = Field(description="Longitude in degrees, WGS 84; null if unknown.")
    neighbourhood: str | None = Field(description="CBS code of the neighbourhood, null if unknown.")
    step_free_entrance: bool | None = Field(description="Entrance without steps; null if nobody checked.")
    wheelchair_accessible: bool | None = Field(description="Accessible by wheelchair; null if nobody checked.")
    accessible_toilet: bool | None = Field(description="Has an accessible toilet; null if nobody checked.")
    archived_at: dt.datetime | None = Field(description="When it was archived; null while it is in use.")

    @staticmethod
    def resolve_neighbourhood(obj: Place) -> str | None:
        return obj.neighbourhood.code if obj.neighbourhood_id else None  # type: ignore[union-attr]


class PlaceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="Name of the place (at most 160 characters).")
    kind: PlaceKind = Field(description="What kind of place it is.")
    street: str = Field("", description="Street.")
    house_number: str = Field("", description="House number with addition.")
    postcode: str = Field("", description="Dutch postcode, `1234 AB` or `1234ab`.")
    city: str = Field("", description="Town.")
    lat: float | None = Field(None, description="Latitude in degrees, WGS 84; give both or neither.")
    lon: float | None = Field(None, description="Longitude in degrees, WGS 84; give both or neither.")
    neighbourhood: NeighbourhoodCode | None = Field(None, description="CBS code of the neighbourhood it lies in.")
    step_free_entrance: bool | None = Field(None, description="Entrance without steps; null if not checked.")
    wheelchair_accessible: bool | None = Field(None, description="Accessible by wheelchair; null if not checked.")
    accessible_toilet: bool | None = Field(None, description="Has an accessible toilet; null if not checked.")


class PlacePatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, description="New name; leave out to keep it.")
    kind: PlaceKind | None = Field(None, description="New kind; leave out to keep it.")
    street: str | None = Field(None, description="New street; leave out to keep it.")
    house_number: str | None = Field(None, description="New house number; leave out to keep it.")
    postcode: str | None = Field(None, description="New postcode; leave out to keep it.")
    city: str | None = Field(None, description="New town; leave out to keep it.")
    lat: float | None = Field(None, description="New latitude, null to clear; leave out to keep it.")
    lon: float | None = Field(None, description="New longitude, null to clear; leave out to keep it.")
    neighbourhood: NeighbourhoodCode | None = Field(None, description="New neighbourhood code, null to clear.")
    step_free_entrance: bool | None = Field(None, description="Entrance without steps; null for unknown.")
    wheelchair_accessible: bool | None = Field(None, description="Accessible by wheelchair; null for unknown.")
    accessible_toilet: bool | None = Field(None, description="Has an accessible toilet; null for unknown.")


# --- activities --------------------------------------------------------------------------------


class ScheduleOut(Schema):
    dtstart: dt.datetime = Field(description="The first time, in Europe/Amsterdam with its UTC offset.")
    duration_minutes: int = Field(description="How long each time lasts, in minutes.")
    rrule: str = Field(description="RFC 5545 repeat rule, e.g. `FREQ=WEEKLY;BYDAY=TU`; empty for once.")
    exdates: list[dt.date] = Field(description="Dates on which it does not take place.")
    active_from: dt.date | None = Field(description="First day it runs; null for open.")
    active_until: dt.date | None = Field(description="Last day it runs (inclusive); null for open.")


class ContactOut(Schema):
    email: str = Field(description="E-mail address for questions about this activity, or empty.")
    phone: str = Field(description="Telephone number for questions about this activity, or empty.")


def schedule_of(activity: Activity) -> dict[str, Any]:
    return {
        "dtstart": local(activity.dtstart),
        "duration_minutes": int(activity.duration.total_seconds() // 60),
        "rrule": activity.rrule,
        "exdates": sorted(activity.exception_dates()),
        "active_from": activity.active_from,
        "active_until": activity.active_until,
    }


class ActivityOut(Schema):
    uid: UUID = Field(description="Public id of the activity, the same in HSDS and iCal.")
    title: str = Field(description="Title.")
    description: str = Field(description="What it is, in plain Dutch (B1).")
    what_to_expect: str = Field(description="What a newcomer can expect.")
    who_welcomes_you: str = Field(description="Name or role of who welcomes newcomers; empty if nobody does.")
    organisation: OrganisationRef = Field(description="Who organises it.")
    place: PlaceRef | None = Field(description="Where it happens; null for an online activity.")
    schedule: ScheduleOut = Field(description="When it happens (RFC 5545).")
    next_dates: list[dt.datetime] = Field(
        description=f"The next {NEXT_DATES} start times from now, Europe/Amsterdam; fewer if the schedule ends."
    )
    capacity: int | None = Field(description="Number of places; null for no limit.")
    expected_group_size: int | None = Field(description="How many people usually come; null if unknown.")
    cost_cents: int = Field(description="Cost per time in euro cents; 0 is free.")
    has_free_option: bool = Field(description="Whether there is a way to join for free.")
    registration_required: bool = Field(description="Whether sign-up or an intake is needed in advance.")
    sign_up_channel: SignUpChannel = Field(description="How to sign up.")
    commitment: Commitment = Field(description="What joining commits you to.")
    level_required: bool = Field(description="Whether experience or a level is expected.")
    dutch_language_required: bool = Field(description="Whether good Dutch is needed.")
    participation_type: str = Field(description="Code of the participation type, e.g. `ontmoeten`.")
    domains: list[str] = Field(description="Codes of the domains of the social basis.")
    themes: list[str] = Field(description="Codes of the themes.")
    action_perspective: ActionPerspective | None = Field(description="What it offers; null if not set.")
    barriers: list[str] = Field(description="Codes of the barriers the activity has (its barrier profile).")
    status: ActivityStatus = Field(description="`draft`, `published` or `archived`; the public sees published only.")
    contact: ContactOut = Field(description="Contact for questions about this activity.")

    @staticmethod
    def resolve_schedule(obj: Activity) -> dict[str, Any]:
        return schedule_of(obj)

    @staticmethod
    def resolve_next_dates(obj: Activity) -> list[dt.datetime]:
        return obj.next_occurrences(NEXT_DATES)

    @staticmethod
    def resolve_participation_type(obj: Activity) -> str:
        return obj.participation_type.code

    @staticmethod
    def resolve_domains(obj: Activity) -> list[str]:
        return sorted(d.code for d in obj.domains.all())

    @staticmethod
    def resolve_themes(obj: Activity) -> list[str]:
        return sorted(t.code for t in obj.themes.all())

    @staticmethod
    def resolve_action_perspective(obj: Activity) -> str | None:
        return obj.action_perspective or None

    @staticmethod
    def resolve_barriers(obj: Activity, context: Any) -> list[str]:
        return codes_of(obj.barrier_mask, _request_bits(context, obj.municipality_id))

    @staticmethod
    def resolve_contact(obj: Activity) -> dict[str, str]:
        return {"email": obj.contact_email, "phone": obj.contact_phone}


class ActivityListItem(ActivityOut):
    distance_m: float | None = Field(
        description="Walking distance in metres from `lat`/`lon` (straight line times a detour factor); "
        "null without a location or for an activity without a place."
    )

    @staticmethod
    def resolve_distance_m(obj: Activity) -> float | None:
        distance = getattr(obj, "distance_m", None)
        return None if distance is None else round(float(distance), 1)


class ScheduleIn(Schema):
    model_config = ConfigDict(extra="forbid")

    dtstart: AwareDatetime = Field(
        description="The first time, with its UTC offset, e.g. `2025-03-04T10:00:00+01:00`.",
        examples=["2025-03-04T10:00:00+01:00"],
    )
    duration_minutes: int = Field(120, ge=1, le=10080, description="How long each time lasts, in minutes.")
    rrule: str = Field("", description="RFC 5545 repeat rule without DTSTART, e.g. `FREQ=WEEKLY;BYDAY=TU`.")
    exdates: list[dt.date] = Field([], description="Dates on which it does not take place.")
    active_from: dt.date | None = Field(None, description="First day it runs; leave out for open.")
    active_until: dt.date | None = Field(None, description="Last day it runs (inclusive); leave out for open.")


class SchedulePatch(Schema):
    model_config = ConfigDict(extra="forbid")

    dtstart: AwareDatetime | None = Field(None, description="New first time, with its UTC offset.")
    duration_minutes: int | None = Field(None, ge=1, le=10080, description="New duration in minutes.")
    rrule: str | None = Field(None, description="New repeat rule; empty for once.")
    exdates: list[dt.date] | None = Field(None, description="New list of dates on which it does not take place.")
    active_from: dt.date | None = Field(None, description="New first day; null for open.")
    active_until: dt.date | None = Field(None, description="New last day; null for open.")


class ContactIn(Schema):
    model_config = ConfigDict(extra="forbid")

    email: str = Field("", description="E-mail address for questions about this activity.")
    phone: str = Field("", description="Telephone number for questions about this activity.")


class ContactPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    email: str | None = Field(None, description="New e-mail address; leave out to keep it.")
    phone: str | None = Field(None, description="New telephone number; leave out to keep it.")


class ActivityFacts(Schema):
    """The fields create and change share; every field optional so PATCH can reuse them."""

    model_config = ConfigDict(extra="forbid")

    place: UUID | None = Field(None, description="`uid` of a place of this municipality; null for online.")
    description: str | None = Field(None, description="What it is, in plain Dutch (B1).")
    what_to_expect: str | None = Field(None, description="What a newcomer can expect.")
    who_welcomes_you: str | None = Field(
        None, description="Name or role of who welcomes newcomers; empty means nobody (the `no_host` barrier)."
    )
    capacity: int | None = Field(None, ge=0, le=MAX_INT, description="Number of places; null for no limit.")
    expected_group_size: int | None = Field(
        None, ge=0, le=MAX_INT, description="How many people usually come; above 15 is the `crowded` barrier."
    )
    cost_cents: int | None = Field(None, ge=0, le=MAX_INT, description="Cost per time in euro cents; 0 is free.")
    has_free_option: bool | None = Field(None, description="Whether there is a way to join for free.")
    registration_required: bool | None = Field(None, description="Whether sign-up or an intake is needed.")
    sign_up_channel: SignUpChannel | None = Field(None, description="How to sign up.")
    commitment: Commitment | None = Field(None, description="What joining commits you to.")
    level_required: bool | None = Field(None, description="Whether experience or a level is expected.")
    dutch_language_required: bool | None = Field(None, description="Whether good Dutch is needed.")
    participation_type: str | None = Field(None, description="Code of a participation type of this municipality.")
    domains: list[str] | None = Field(None, description="Codes of domains of the social basis.")
    themes: list[str] | None = Field(None, description="Codes of themes.")
    action_perspective: ActionPerspective | None = Field(None, description="What it offers; null for none.")


class ActivityIn(ActivityFacts):
    organisation: UUID = Field(description="`uid` of the organisation that runs it; you must be allowed to edit it.")
    title: str = Field(description="Title (at most 160 characters).")
    participation_type: str = Field(description="Code of a participation type of this municipality.")
    schedule: ScheduleIn = Field(description="When it happens.")
    contact: ContactIn | None = Field(None, description="Contact for questions about this activity.")
    status: Literal["draft", "published"] = Field(
        "draft", description="`draft` (default) keeps it hidden; `published` shows it at once."
    )


class ActivityPatch(ActivityFacts):
    title: str | None = Field(None, description="New title; leave out to keep it.")
    schedule: SchedulePatch | None = Field(None, description="Schedule fields to change.")
    contact: ContactPatch | None = Field(None, description="Contact fields to change.")


class StatusIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: ActivityStatus = Field(description="`draft`, `published` or `archived`.")


class DrempelscanIn(Schema):
    model_config = ConfigDict(extra="forbid")

    answers: dict[str, StrictBool] = Field(
        description='Per barrier code: present (`true`) or not (`false`), e.g. `{"cost": true, "no_host": false}`. '
        "Barriers left out keep their state. `distance` depends on the person and cannot be answered.",
        examples=[{"cost": True, "no_host": False}],
    )


class DrempelscanItemOut(Schema):
    code: str = Field(description="Barrier code.")
    label: str = Field(description="Name of the barrier (Dutch).")
    present: bool = Field(description="Whether the activity has this barrier now.")
    derived: bool = Field(description="Whether the activity's facts show it (e.g. a cost above zero).")
    suggestion: str = Field(description="For a present barrier: a concrete way to lower it (B1 Dutch); else empty.")


class DrempelscanOut(Schema):
    activity: UUID = Field(description="`uid` of the activity.")
    barriers: list[str] = Field(description="Codes of the barriers the activity has after the scan.")
    items: list[DrempelscanItemOut] = Field(description="Every barrier of the catalogue that can be answered.")


class BarrierChangeOut(Schema):
    at: dt.datetime = Field(description="When the profile changed.")
    source: BarrierSource = Field(
        description="`derived` (from the activity's facts) or `drempelscan` (the organiser's answers)."
    )
    barriers_before: list[str] = Field(description="Barrier codes before the change.")
    barriers_after: list[str] = Field(description="Barrier codes after the change.")
    added: list[str] = Field(description="Barrier codes that were added.")
    removed: list[str] = Field(description="Barrier codes that were removed.")

    @staticmethod
    def resolve_barriers_before(obj: Any, context: Any) -> list[str]:
        return codes_of(obj.old_mask, _request_bits(context, obj.municipality_id))

    @staticmethod
    def resolve_barriers_after(obj: Any, context: Any) -> list[str]:
        return codes_of(obj.new_mask, _request_bits(context, obj.municipality_id))

    @staticmethod
    def resolve_added(obj: Any, context: Any) -> list[str]:
        return codes_of(obj.new_mask & ~obj.old_mask, _request_bits(context, obj.municipality_id))

    @staticmethod
    def resolve_removed(obj: Any, context: Any) -> list[str]:
        return codes_of(obj.old_mask & ~obj.new_mask, _request_bits(context, obj.municipality_id))
