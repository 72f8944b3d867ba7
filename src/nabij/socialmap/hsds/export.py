"""`export_hsds`: a municipality's social map as HSDS 3.0, one JSON file per table.

Layout (docs/hsds.md): `organizations.json`, `services.json` (one per activity), `locations.json`,
`addresses.json`, `accessibility.json`, `phones.json`, `schedules.json`, `service_at_location.json`,
`cost_options.json`, `attributes.json`, `taxonomies.json`, `taxonomy_terms.json`. Each holds a JSON
array of flat records, sorted by id, with the fields in the order of the HSDS schema. Every id is a
Nabij `uid` or derived from one (UUID 5), so the same data always gives the same files.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from nabij.core.models import Municipality
from nabij.socialmap.hsds import mapping as m
from nabij.socialmap.hsds import schemas
from nabij.socialmap.hsds.schedules import export_schedule
from nabij.socialmap.models import (
    ActionPerspective,
    Activity,
    ActivityStatus,
    Barrier,
    Domain,
    Organisation,
    OrganisationKind,
    ParticipationType,
    Place,
    PlaceKind,
    Sphere,
    Theme,
)

FILES: tuple[tuple[str, str], ...] = (
    ("organization", "organizations.json"),
    ("service", "services.json"),
    ("location", "locations.json"),
    ("address", "addresses.json"),
    ("accessibility", "accessibility.json"),
    ("phone", "phones.json"),
    ("schedule", "schedules.json"),
    ("service_at_location", "service_at_location.json"),
    ("cost_option", "cost_options.json"),
    ("attribute", "attributes.json"),
    ("taxonomy", "taxonomies.json"),
    ("taxonomy_term", "taxonomy_terms.json"),
)


@dataclass
class ExportResult:
    directory: Path
    counts: dict[str, int] = field(default_factory=dict)  # file name -> records

    def summary(self) -> str:
        lines = [_("HSDS 3.0 geschreven naar %(dir)s:") % {"dir": self.directory}]
        lines += [f"- {name}: {count}" for name, count in self.counts.items()]
        return "\n".join(lines)


def _ordered(table: str, record: dict[str, Any]) -> dict[str, Any]:
    return {name: record[name] for name in schemas.properties(table) if name in record}


def _yes_no(value: bool | None) -> str:
    return _("onbekend") if value is None else (_("ja") if value else _("nee"))


class _Builder:
    def __init__(self, municipality: Municipality, published_only: bool) -> None:
        self.municipality = municipality
        self.published_only = published_only
        self.tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.neighbourhoods: dict[str, str] = {}

    def add(self, table: str, record: dict[str, Any]) -> None:
        self.tables[table].append(_ordered(table, record))

    def attribute(self, entity: str, owner: str, taxonomy: str, code: str, value: str | None = None) -> None:
        name = f"{taxonomy}/{code}" + (f"/{value}" if code == "exdate" else "")
        record = {
            "id": m.child_id(owner, name),
            "link_id": owner,
            "taxonomy_term_id": m.term_id(taxonomy, code),
            "link_type": m.TAXONOMY_BY_NAME[taxonomy].link_type,
            "link_entity": entity,
        }
        if value is not None:
            record["value"] = value
        self.add("attribute", record)

    def fact(self, entity: str, owner: str, code: str, value: Any) -> None:
        encoded = m.encode_fact(m.FACTS_BY_KEY[(entity, code)], value)
        if encoded is not None:
            self.attribute(entity, owner, m.FACTS, code, encoded)

    def build(self) -> dict[str, list[dict[str, Any]]]:
        activities = list(
            Activity.objects.filter(municipality=self.municipality)
            .filter(Q(status=ActivityStatus.PUBLISHED) if self.published_only else Q())
            .select_related("organisation", "place", "participation_type")
            .prefetch_related("domains", "themes")
        )
        organisations = Organisation.objects.filter(municipality=self.municipality)
        places = Place.objects.filter(municipality=self.municipality).select_related("organisation", "neighbourhood")
        if self.published_only:
            organisations = organisations.filter(
                Q(archived_at__isnull=True) | Q(pk__in={a.organisation_id for a in activities})
            )
            places = places.filter(Q(archived_at__isnull=True) | Q(pk__in={a.place_id for a in activities}))
        for organisation in organisations:
            self.organisation(organisation)
        for place in places:
            self.place(place)
        barriers = {b.code: b for b in Barrier.objects.filter(municipality=self.municipality)}
        for activity in activities:
            self.activity(activity, barriers)
        self.taxonomies()
        return {table: sorted(self.tables.get(table, []), key=lambda r: r["id"]) for table, _name in FILES}

    def organisation(self, organisation: Organisation) -> None:
        uid = str(organisation.uid)
        record: dict[str, Any] = {"id": uid, "name": organisation.name, "description": organisation.description}
        if organisation.email:
            record["email"] = organisation.email
        if organisation.website:
            record["website"] = organisation.website
        self.add("organization", record)
        if organisation.phone:
            self.add("phone", {"id": m.child_id(uid, "phone"), "organization_id": uid, "number": organisation.phone})
        self.attribute("organization", uid, m.SPHERES, organisation.sphere)
        self.attribute("organization", uid, m.ORGANISATION_KINDS, organisation.kind)
        self.fact("organization", uid, "archived", organisation.archived_at is not None)

    def place(self, place: Place) -> None:
        uid = str(place.uid)
        record: dict[str, Any] = {
            "id": uid,
            "location_type": "physical",
            "organization_id": str(place.organisation.uid),
            "name": place.name,
        }
        if place.lat is not None and place.lon is not None:
            record["latitude"], record["longitude"] = place.lat, place.lon
        self.add("location", record)
        line = m.join_address(place.street, place.house_number)
        if line or place.postcode or place.city:
            self.add(
                "address",
                {
                    "id": m.child_id(uid, "address"),
                    "location_id": uid,
                    "address_1": line,
                    "city": place.city,
                    "state_province": "",
                    "postal_code": place.postcode,
                    "country": "NL",
                    "address_type": "physical",
                },
            )
            if m.split_address(line) != (place.street.strip(), place.house_number.strip()):
                self.fact("location", uid, "street", place.street)
                self.fact("location", uid, "house_number", place.house_number)
        facts = {
            "step_free_entrance": (_("Drempelvrije ingang"), place.step_free_entrance),
            "wheelchair_accessible": (_("Rolstoeltoegankelijk"), place.wheelchair_accessible),
            "accessible_toilet": (_("Toegankelijk toilet"), place.accessible_toilet),
        }
        if any(value is not None for _label, value in facts.values()):
            self.add(
                "accessibility",
                {
                    "id": m.child_id(uid, "accessibility"),
                    "location_id": uid,
                    "description": " ".join(f"{label}: {_yes_no(value)}." for label, value in facts.values()),
                },
            )
        for code, (_label, value) in facts.items():
            self.fact("location", uid, code, value)
        self.attribute("location", uid, m.PLACE_KINDS, place.kind)
        if place.neighbourhood is not None:
            self.neighbourhoods[place.neighbourhood.code] = place.neighbourhood.name
            self.attribute("location", uid, m.NEIGHBOURHOODS, place.neighbourhood.code)
        self.fact("location", uid, "archived", place.archived_at is not None)

    def activity(self, activity: Activity, barriers: dict[str, Barrier]) -> None:
        uid = str(activity.uid)
        record: dict[str, Any] = {
            "id": uid,
            "organization_id": str(activity.organisation.uid),
            "name": activity.title,
            "description": activity.description,
            "status": m.STATUS_TO_HSDS[activity.status],
            "fees_description": m.fees_description(activity.cost_cents, activity.has_free_option),
        }
        if activity.contact_email:
            record["email"] = activity.contact_email
        self.add("service", record)
        if activity.contact_phone:
            self.add("phone", {"id": m.child_id(uid, "phone"), "service_id": uid, "number": activity.contact_phone})
        for option in m.cost_options(uid, activity.cost_cents, activity.has_free_option):
            self.add("cost_option", option)
        if activity.place is not None:
            self.add(
                "service_at_location",
                {
                    "id": m.child_id(uid, "service_at_location"),
                    "service_id": uid,
                    "location_id": str(activity.place.uid),
                },
            )
        schedule_id = m.child_id(uid, "schedule")
        schedule = export_schedule(
            schedule_id=schedule_id,
            service_id=uid,
            dtstart=activity.dtstart,
            duration=activity.duration,
            rrule=activity.rrule,
            exdates=[str(day) for day in activity.exdates or []],
            active_from=activity.active_from,
            active_until=activity.active_until,
        )
        self.add("schedule", schedule.record)
        for code, value in schedule.facts:
            self.attribute("schedule", schedule_id, m.FACTS, code, value)
        self.attribute("service", uid, m.PARTICIPATION_TYPES, activity.participation_type.code)
        for barrier in barriers.values():
            if activity.barrier_mask & barrier.mask and not barrier.relational:
                self.attribute("service", uid, m.BARRIERS, barrier.code)
        for domain in activity.domains.all():
            self.attribute("service", uid, m.DOMAINS, domain.code)
        for theme in activity.themes.all():
            self.attribute("service", uid, m.THEMES, theme.code)
        if activity.action_perspective:
            self.attribute("service", uid, m.ACTION_PERSPECTIVES, activity.action_perspective)
        for fact in m.FACT_LIST:
            if fact.entity == "service":
                self.fact("service", uid, fact.code, getattr(activity, fact.code))

    def taxonomies(self) -> None:
        for taxonomy in m.TAXONOMIES:
            self.add(
                "taxonomy",
                {
                    "id": m.taxonomy_id(taxonomy.name),
                    "name": taxonomy.name,
                    "description": taxonomy.description,
                    "uri": m.TAXONOMY_URI + taxonomy.name,
                    "version": m.TAXONOMY_VERSION,
                },
            )
        for taxonomy_name, terms in self.terms().items():
            for code, (name, description) in terms.items():
                self.add(
                    "taxonomy_term",
                    {
                        "id": m.term_id(taxonomy_name, code),
                        "code": code,
                        "name": name,
                        "description": description,
                        "taxonomy": taxonomy_name,
                        "language": "nl",
                        "taxonomy_id": m.taxonomy_id(taxonomy_name),
                    },
                )

    def terms(self) -> dict[str, dict[str, tuple[str, str]]]:
        """Per taxonomy: code -> (Dutch name, English description)."""
        terms: dict[str, dict[str, tuple[str, str]]] = {}
        catalogues: tuple[tuple[str, Any], ...] = (
            (m.BARRIERS, Barrier),
            (m.PARTICIPATION_TYPES, ParticipationType),
            (m.DOMAINS, Domain),
            (m.THEMES, Theme),
        )
        for taxonomy, model in catalogues:
            entries = model.objects.filter(municipality=self.municipality)
            terms[taxonomy] = {e.code: (e.label_nl, e.label_en or e.label_nl) for e in entries}
        choices: tuple[tuple[str, Any], ...] = (
            (m.ACTION_PERSPECTIVES, ActionPerspective),
            (m.SPHERES, Sphere),
            (m.ORGANISATION_KINDS, OrganisationKind),
            (m.PLACE_KINDS, PlaceKind),
        )
        for taxonomy, enum in choices:
            with translation.override("en"):
                english = {value: str(label) for value, label in enum.choices}
            terms[taxonomy] = {value: (str(label), english[value]) for value, label in enum.choices}
        terms[m.NEIGHBOURHOODS] = {
            code: (name, f"CBS buurtcode {code}") for code, name in sorted(self.neighbourhoods.items())
        }
        terms[m.FACTS] = {}
        for fact in m.FACT_LIST:
            terms[m.FACTS].setdefault(fact.code, (fact.label_nl, fact.description))
        return terms


def build_tables(*, municipality: Municipality, published_only: bool = False) -> dict[str, list[dict[str, Any]]]:
    """Every HSDS table of the municipality's social map. Run it inside the municipality's scope."""
    with translation.override("nl"):
        return _Builder(municipality, published_only).build()


def dumps(records: list[dict[str, Any]]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def export_hsds(*, municipality: Municipality, directory: Path, published_only: bool = False) -> ExportResult:
    """Write the HSDS files into `directory` (made when missing; our files in it are replaced)."""
    tables = build_tables(municipality=municipality, published_only=published_only)
    directory.mkdir(parents=True, exist_ok=True)
    result = ExportResult(directory)
    for table, name in FILES:
        # Written beside the target and renamed: a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(dumps(tables[table]))
            os.replace(temporary, directory / name)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        result.counts[name] = len(tables[table])
    return result
