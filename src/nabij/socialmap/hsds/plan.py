"""Planning an HSDS import: what each record becomes in Nabij, checked before anything is written.

Reads the flat tables of `reader.Dataset` and the municipality's catalogues, and produces one plan
per organisation, place and activity, plus every problem (named by file, record and field), the
services and locations it skips and why, and notes on what it changed or left out.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from nabij.core import cbs
from nabij.core.models import Municipality, Neighbourhood
from nabij.socialmap.hsds import mapping as m
from nabij.socialmap.hsds.reader import Dataset, Problem, Record
from nabij.socialmap.hsds.schedules import import_schedule
from nabij.socialmap.models import (
    ActionPerspective,
    Activity,
    Barrier,
    Domain,
    Organisation,
    OrganisationKind,
    ParticipationType,
    Place,
    PlaceKind,
    Sphere,
    Theme,
    normalise_postcode,
    validate_postcode,
)

ENTITIES = ("service", "organization", "location", "schedule")
# Which taxonomy may describe which table, and whether an entity may have more than one term of it.
ALLOWED = {
    m.BARRIERS: ("service", True),
    m.PARTICIPATION_TYPES: ("service", False),
    m.DOMAINS: ("service", True),
    m.THEMES: ("service", True),
    m.ACTION_PERSPECTIVES: ("service", False),
    m.SPHERES: ("organization", False),
    m.ORGANISATION_KINDS: ("organization", False),
    m.PLACE_KINDS: ("location", False),
    m.NEIGHBOURHOODS: ("location", False),
}


@dataclass(frozen=True)
class Defaults:
    """What a foreign publisher's record gets where it says nothing (docs/hsds.md)."""

    participation_type: str = "ontmoeten"
    sphere: str = Sphere.OVERHEID.value
    kind: str = OrganisationKind.OVERIG.value
    place_kind: str = PlaceKind.OVERIG.value


@dataclass
class Term:
    taxonomy: str
    code: str
    value: Any
    attribute: Record


@dataclass
class Plan:
    record: Record
    uid: str
    existing: Any  # the Organisation, Place or Activity it updates, or None
    fields: dict[str, Any]
    remapped: bool = False
    archived: bool = False
    organisation: str = ""  # HSDS id of the organisation (places, activities)
    place: str | None = None  # HSDS id of the location (activities)
    participation_type: str = ""
    domains: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    barriers: list[str] | None = None  # exactly these, or None: derive from the facts


@dataclass
class ImportPlan:
    organisations: dict[str, Plan] = field(default_factory=dict)
    places: dict[str, Plan] = field(default_factory=dict)
    activities: dict[str, Plan] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ignored: dict[str, int] = field(default_factory=dict)


def remapped_uid(municipality: Municipality, hsds_id: str) -> str:
    """The id used when `hsds_id` already belongs to another municipality (ids are unique in Nabij)."""
    return str(uuid.uuid5(m.NAMESPACE, f"{municipality.code}/{hsds_id}"))


class Planner:
    def __init__(self, dataset: Dataset, municipality: Municipality, defaults: Defaults) -> None:
        self.data = dataset
        self.municipality = municipality
        self.defaults = defaults
        self.plan = ImportPlan()
        self.terms: dict[tuple[str, str], list[Term]] = defaultdict(list)
        self.catalogue = {
            m.BARRIERS: {b.code for b in Barrier.objects.filter(municipality=municipality)},
            m.PARTICIPATION_TYPES: set(
                ParticipationType.objects.filter(municipality=municipality).values_list("code", flat=True)
            ),
            m.DOMAINS: set(Domain.objects.filter(municipality=municipality).values_list("code", flat=True)),
            m.THEMES: set(Theme.objects.filter(municipality=municipality).values_list("code", flat=True)),
            m.ACTION_PERSPECTIVES: set(ActionPerspective.values),
            m.SPHERES: set(Sphere.values),
            m.ORGANISATION_KINDS: set(OrganisationKind.values),
            m.PLACE_KINDS: set(PlaceKind.values),
        }
        self.neighbourhoods = {n.code: n for n in Neighbourhood.objects.filter(municipality=municipality)}
        self.barriers_declared = False
        self.nabij_data = False

    # -- helpers ----------------------------------------------------------------------------

    def problem(self, record: Record, field_name: str, message: str) -> None:
        self.plan.problems.append(Problem(record.file, record.label, field_name, message))

    def note(self, record: Record, message: str) -> None:
        self.plan.notes.append(f"{record.file}, {record.label}: {message}")

    def find(self, model: Any, hsds_id: str) -> tuple[Any, str, bool]:
        """(existing row or None, uid to use, remapped): update by uid, or a new row."""
        row = model.objects.filter(uid=hsds_id).first()
        if row is not None:
            return row, hsds_id, False
        if not model._base_manager.filter(uid=hsds_id).exists():
            return None, hsds_id, False
        uid = remapped_uid(self.municipality, hsds_id)
        return model.objects.filter(uid=uid).first(), uid, True

    def facts(self, table: str, record: Record) -> dict[str, list[Any]]:
        found: dict[str, list[Any]] = defaultdict(list)
        for term in self.terms.get((table, record.id), []):
            if term.taxonomy != m.FACTS:
                continue
            fact = m.FACTS_BY_KEY.get((table, term.code))
            if fact is None:
                self.problem(
                    term.attribute,
                    "taxonomy_term_id",
                    _("Het feit %(code)s hoort niet bij een %(table)s.") % {"code": term.code, "table": table},
                )
                continue
            try:
                value = m.decode_fact(fact, term.value)
            except ValueError as error:
                self.problem(term.attribute, "value", str(error))
                continue
            found[term.code].append(value)
        for code, values in found.items():
            if code != "exdate" and len(set(map(str, values))) > 1:
                self.problem(record, "attributes", _("Het feit %(code)s staat er meer dan eens.") % {"code": code})
        return dict(found)

    def codes(self, table: str, record: Record, taxonomy: str) -> list[str]:
        return sorted({t.code for t in self.terms.get((table, record.id), []) if t.taxonomy == taxonomy})

    def one(self, table: str, record: Record, taxonomy: str) -> str | None:
        codes = self.codes(table, record, taxonomy)
        return codes[0] if codes else None

    # -- the steps ----------------------------------------------------------------------------

    def run(self) -> ImportPlan:
        self.classify()
        for record in self.data.records("organization"):
            self.organisation(record)
        sal_by_service: dict[str, list[Record]] = defaultdict(list)
        for sal in self.data.records("service_at_location"):
            self.link(sal, sal_by_service)
        services_at: dict[str, list[Record]] = defaultdict(list)
        for service_id, sals in sal_by_service.items():
            service = self.data.get("service", service_id)
            for sal in sals:
                if service is not None:
                    services_at[str(sal.ref("location_id"))].append(service)
        for record in self.data.records("location"):
            self.location(record, services_at.get(record.id, []))
        for record in self.data.records("service"):
            self.activity(record, sal_by_service.get(record.id, []))
        used = {"organization", "location", "service", "service_at_location", "schedule", "attribute"}
        used |= {"taxonomy", "taxonomy_term", "address", "phone", "cost_option"}
        if self.nabij_data:
            used.add("accessibility")  # Nabij's own: a readable copy of the location's facts
        for table, rows in self.data.tables.items():
            if table not in used and rows:
                self.plan.ignored[table] = len(rows)
        return self.plan

    def classify(self) -> None:
        """Resolve each attribute to a term of a nabij taxonomy (or leave a foreign one out)."""
        taxonomy_names = {t.id: str(t.data.get("name", "")) for t in self.data.records("taxonomy")}
        known_ids: dict[str, tuple[str, str]] = {}
        for taxonomy, codes in self.catalogue.items():
            known_ids |= {m.term_id(taxonomy, code): (taxonomy, code) for code in codes}
        known_ids |= {m.term_id(m.FACTS, code): (m.FACTS, code) for code in m.FACT_CODES}
        known_ids |= {m.term_id(m.NEIGHBOURHOODS, code): (m.NEIGHBOURHOODS, code) for code in self.neighbourhoods}
        terms: dict[str, tuple[str, str] | None] = {}
        for term in self.data.records("taxonomy_term"):
            name = taxonomy_names.get(str(term.ref("taxonomy_id")), "") or str(term.data.get("taxonomy", ""))
            if name not in m.TAXONOMY_BY_NAME:
                terms[term.id] = None
                continue
            code = str(term.data.get("code") or "").strip()
            if not code:
                self.problem(term, "code", _("Een term van %(t)s heeft een code nodig.") % {"t": name})
                continue
            terms[term.id] = (name, code)
        declared = any(name == m.BARRIERS for name in taxonomy_names.values())
        declared |= any(value and value[0] == m.BARRIERS for value in terms.values())
        self.barriers_declared = declared
        self.nabij_data = any(name in m.TAXONOMY_BY_NAME for name in taxonomy_names.values())
        foreign = 0
        for attribute in self.data.records("attribute"):
            term_ref = attribute.ref("taxonomy_term_id")
            if term_ref is None:
                foreign += 1
                continue
            if term_ref in terms:
                resolved = terms[term_ref]
            elif term_ref in known_ids:
                resolved = known_ids[term_ref]
            else:
                self.problem(
                    attribute,
                    "taxonomy_term_id",
                    _("Deze term (%(id)s) staat niet in de taxonomy_terms.") % {"id": term_ref},
                )
                continue
            if resolved is None:
                foreign += 1
                continue
            self.attach(attribute, *resolved)
        if foreign:
            self.plan.ignored["attribute"] = foreign

    def attach(self, attribute: Record, taxonomy: str, code: str) -> None:
        targets = [
            (key.removesuffix("_id"), value)
            for key, value in attribute.links
            if key.removesuffix("_id") in ENTITIES and self.data.get(key.removesuffix("_id"), value) is not None
        ]
        if not targets:
            self.problem(
                attribute,
                "link_id",
                _("Dit attribuut verwijst naar iets dat niet in de gegevens staat (%(entity)s %(id)s).")
                % {"entity": attribute.data.get("link_entity", "?"), "id": attribute.data.get("link_id", "?")},
            )
            return
        for table, target in dict.fromkeys(targets):
            if taxonomy in ALLOWED and ALLOWED[taxonomy][0] != table:
                self.problem(
                    attribute,
                    "link_entity",
                    _("Een term van %(t)s hoort bij een %(right)s, niet bij een %(wrong)s.")
                    % {"t": taxonomy, "right": ALLOWED[taxonomy][0], "wrong": table},
                )
                continue
            if taxonomy in self.catalogue and code not in self.catalogue[taxonomy]:
                known = ", ".join(sorted(self.catalogue[taxonomy]))
                self.problem(
                    attribute,
                    "taxonomy_term_id",
                    _(
                        "Onbekende code %(code)s van %(t)s in %(m)s. Bekend zijn: %(known)s. "
                        "Voeg de code eerst toe aan de catalogus van de gemeente."
                    )
                    % {"code": code, "t": taxonomy, "m": self.municipality.name, "known": known},
                )
                continue
            bucket = self.terms[(table, target)]
            if taxonomy in ALLOWED and not ALLOWED[taxonomy][1] and any(t.taxonomy == taxonomy for t in bucket):
                self.problem(attribute, "taxonomy_term_id", _("Er mag maar één term van %(t)s zijn.") % {"t": taxonomy})
                continue
            bucket.append(Term(taxonomy, code, attribute.data.get("value"), attribute))

    def organisation(self, record: Record) -> None:
        existing, uid, remapped = self.find(Organisation, record.id)
        facts = self.facts("organization", record)
        fields: dict[str, Any] = {
            "name": str(record.data.get("name", "")).strip(),
            "description": str(record.data.get("description") or ""),
            "sphere": self.one("organization", record, m.SPHERES) or self.defaults.sphere,
            "kind": self.one("organization", record, m.ORGANISATION_KINDS) or self.defaults.kind,
            "website": self.clean_url(record, "website"),
            "email": self.clean_email(record, "email"),
            "phone": self.phone(record, "organization_id"),
        }
        self.plan.organisations[record.id] = Plan(
            record, uid, existing, fields, remapped, archived=bool(facts.get("archived", [False])[0])
        )

    def known_organisation(self, hsds_id: str | None) -> bool:
        if not hsds_id:
            return False
        return hsds_id in self.plan.organisations or self.find(Organisation, hsds_id)[0] is not None

    def link(self, sal: Record, sal_by_service: dict[str, list[Record]]) -> None:
        service_id, location_id = sal.ref("service_id"), sal.ref("location_id")
        for name, value, table in (("service_id", service_id, "service"), ("location_id", location_id, "location")):
            if value is None:
                self.problem(sal, name, _("Dit veld is verplicht en ontbreekt."))
            elif self.data.get(table, value) is None and (table == "service" or self.find(Place, value)[0] is None):
                self.problem(sal, name, _("Verwijst naar een onbekende %(t)s: %(id)s.") % {"t": table, "id": value})
        if service_id and location_id:
            sal_by_service[service_id].append(sal)

    def location(self, record: Record, services: list[Record]) -> None:
        organisation = record.ref("organization_id")
        if not self.known_organisation(organisation):
            fallback = next(
                (s.ref("organization_id") for s in services if self.known_organisation(s.ref("organization_id"))), None
            )
            if organisation:
                self.note(record, _("organization_id %(id)s is onbekend.") % {"id": organisation})
            organisation = fallback
        if organisation is None:
            self.plan.skipped.append(
                f"{record.file}, {record.label}: "
                + _("overgeslagen: geen bekende organisatie en geen dienst op deze locatie.")
            )
            return
        existing, uid, remapped = self.find(Place, record.id)
        facts = self.facts("location", record)
        addresses = list(self.data.linked("address", "location_id", record.id))
        addresses.sort(key=lambda a: a.data.get("address_type") != "physical")
        address = addresses[0].data if addresses else {}
        street, number = m.split_address(str(address.get("address_1") or ""))
        if "street" in facts or "house_number" in facts:
            street, number = facts.get("street", [""])[0], facts.get("house_number", [""])[0]
        lat, lon = record.data.get("latitude"), record.data.get("longitude")
        if lat is not None or lon is not None:
            try:
                cbs.validate_latitude(float(lat))  # type: ignore[arg-type]
                cbs.validate_longitude(float(lon))  # type: ignore[arg-type]
                lat, lon = float(lat), float(lon)  # type: ignore[arg-type]
            except (TypeError, ValueError, ValidationError):
                self.note(
                    record, _("Ongeldige coördinaten (%(lat)s, %(lon)s) zijn weggelaten.") % {"lat": lat, "lon": lon}
                )
                lat = lon = None
        fields: dict[str, Any] = {
            "name": str(record.data.get("name") or address.get("address_1") or _("Locatie")).strip(),
            "kind": self.one("location", record, m.PLACE_KINDS) or self.defaults.place_kind,
            "street": street,
            "house_number": number,
            "postcode": self.postcode(record, str(address.get("postal_code") or "")),
            "city": str(address.get("city") or ""),
            "lat": lat,
            "lon": lon,
            "neighbourhood": self.neighbourhood(record, lat, lon),
        }
        for code in ("step_free_entrance", "wheelchair_accessible", "accessible_toilet"):
            fields[code] = facts[code][0] if code in facts else None
        self.plan.places[record.id] = Plan(
            record,
            uid,
            existing,
            fields,
            remapped,
            archived=bool(facts.get("archived", [False])[0]),
            organisation=organisation,
        )

    def neighbourhood(self, record: Record, lat: float | None, lon: float | None) -> Neighbourhood | None:
        code = self.one("location", record, m.NEIGHBOURHOODS)
        if code and code in self.neighbourhoods:
            return self.neighbourhoods[code]
        if code:
            self.note(record, _("Buurt %(code)s hoort niet bij deze gemeente.") % {"code": code})
        if lat is None or lon is None:
            return None
        return next((n for n in self.neighbourhoods.values() if m.boundary_contains(n.boundary, lat, lon)), None)

    def activity(self, record: Record, sals: list[Record]) -> None:
        organisation = record.ref("organization_id")
        if organisation is None:
            self.problem(
                record, "organization_id", _("Een dienst hoort bij een organisatie; organization_id ontbreekt.")
            )
            return
        if not self.known_organisation(organisation):
            self.problem(
                record, "organization_id", _("Verwijst naar een onbekende organisatie: %(id)s.") % {"id": organisation}
            )
            return
        schedules = list(self.data.linked("schedule", "service_id", record.id))
        for sal in sals:
            schedules += [
                s for s in self.data.linked("schedule", "service_at_location_id", sal.id) if s not in schedules
            ]
        if not schedules:
            self.plan.skipped.append(f"{record.file}, {record.label}: " + _("overgeslagen: er is geen rooster."))
            return
        if len(schedules) > 1:
            self.note(record, _("%(n)d roosters: alleen het eerste is overgenomen.") % {"n": len(schedules)})
        schedule = import_schedule(schedules[0].data, self.facts("schedule", schedules[0]))
        for field_name, message in schedule.problems:
            self.problem(schedules[0], field_name, message)
        for note in schedule.notes:
            self.note(schedules[0], note)
        if schedule.fields is None:
            if schedule.skip_reason:
                self.plan.skipped.append(
                    f"{record.file}, {record.label}: " + _("overgeslagen: %(why)s.") % {"why": schedule.skip_reason}
                )
            return
        if len(sals) > 1:
            self.note(record, _("%(n)d locaties: alleen de eerste is overgenomen.") % {"n": len(sals)})
        place = sals[0].ref("location_id") if sals else None
        existing, uid, remapped = self.find(Activity, record.id)
        facts = self.facts("service", record)
        cost_cents, free, cost_notes = m.cost_from_options(
            o.data for o in self.data.linked("cost_option", "service_id", record.id)
        )
        for note in cost_notes:
            self.note(record, note)
        fields: dict[str, Any] = {
            "title": str(record.data.get("name", "")).strip(),
            "description": str(record.data.get("description") or ""),
            "status": m.STATUS_FROM_HSDS.get(str(record.data.get("status")), "draft"),
            "action_perspective": self.one("service", record, m.ACTION_PERSPECTIVES) or "",
            "contact_email": self.clean_email(record, "email"),
            "contact_phone": self.phone(record, "service_id"),
            "cost_cents": cost_cents,
            "has_free_option": free,
            **schedule.fields,
        }
        for fact in m.FACT_LIST:
            if fact.entity == "service":
                fields[fact.code] = facts[fact.code][0] if fact.code in facts else fact.default
        self.plan.activities[record.id] = Plan(
            record,
            uid,
            existing,
            fields,
            remapped,
            organisation=organisation,
            place=place,
            participation_type=self.one("service", record, m.PARTICIPATION_TYPES) or self.defaults.participation_type,
            domains=self.codes("service", record, m.DOMAINS),
            themes=self.codes("service", record, m.THEMES),
            barriers=self.codes("service", record, m.BARRIERS) if self.barriers_declared else None,
        )

    # -- values that Nabij checks more strictly than HSDS: left out with a note ---------------

    def clean_email(self, record: Record, name: str) -> str:
        value = str(record.data.get(name) or "").strip()
        try:
            if value:
                EmailValidator()(value)
        except ValidationError:
            self.note(
                record, _("%(field)s %(value)r is geen e-mailadres en is weggelaten.") % {"field": name, "value": value}
            )
            return ""
        return value

    def clean_url(self, record: Record, name: str) -> str:
        value = str(record.data.get(name) or "").strip()
        try:
            if value:
                URLValidator()(value)
        except ValidationError:
            self.note(
                record, _("%(field)s %(value)r is geen webadres en is weggelaten.") % {"field": name, "value": value}
            )
            return ""
        return value

    def postcode(self, record: Record, value: str) -> str:
        value = normalise_postcode(value.strip())
        try:
            if value:
                validate_postcode(value)
        except ValidationError:
            self.note(record, _("Postcode %(value)r is geen Nederlandse postcode en is weggelaten.") % {"value": value})
            return ""
        return value

    def phone(self, record: Record, link: str) -> str:
        numbers = [str(p.data.get("number", "")) for p in self.data.linked("phone", link, record.id)]
        number = numbers[0].strip() if numbers else ""
        if len(number) > 30:
            self.note(record, _("Telefoonnummer %(value)r is te lang en is weggelaten.") % {"value": number})
            return ""
        return number
