"""Every write on municipalities, districts and neighbourhoods. Keyword-only, atomic, audited.

The area import is all-or-nothing: the whole file is checked first and every problem is reported
with its row; only a file without problems is written, in one transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.text import get_valid_filename, slugify
from django.utils.translation import gettext as _
from django_scopes import scope

from nabij.accounts import permissions
from nabij.accounts.models import Role
from nabij.core import cbs
from nabij.core.area_files import AreaLevel, AreaRecord, Problem, check_consistency, read_area_file
from nabij.core.audit import audit
from nabij.core.import_report import ImportFailed, RecordCounts
from nabij.core.models import AuditAction, AuditPurpose, District, Municipality, Neighbourhood, TaskRun
from nabij.core.models.geography import RESERVED_SLUGS
from nabij.core.signals import municipality_created
from nabij.core.taskqueue import NullProgress, Progress, enqueue

# Centroids are rounded so that importing the same file twice changes nothing.
CENTROID_DECIMALS = 6
AREA_FIELDS = ("name", "centroid_lat", "centroid_lon", "boundary", "population", "households", "population_by_age")


class AreaImportError(ImportFailed):
    """The area file has problems; nothing was written. `problems` lists them in file order."""


# Kept under its old name: the area import's counts per level.
AreaCounts = RecordCounts


@dataclass
class AreaImportResult:
    dry_run: bool = False
    municipalities: AreaCounts = field(default_factory=AreaCounts)
    districts: AreaCounts = field(default_factory=AreaCounts)
    neighbourhoods: AreaCounts = field(default_factory=AreaCounts)
    municipality_codes: list[str] = field(default_factory=list)
    skipped_rows: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "municipality_codes": self.municipality_codes,
            "skipped_rows": self.skipped_rows,
            **{level: vars(getattr(self, level)) for level in ("municipalities", "districts", "neighbourhoods")},
        }

    def summary(self) -> str:
        def line(label: str, counts: AreaCounts) -> str:
            return _("%(label)s: %(created)d nieuw, %(updated)d bijgewerkt, %(unchanged)d ongewijzigd") % {
                "label": label,
                **vars(counts),
            }

        lines = [
            line(_("Gemeenten"), self.municipalities),
            line(_("Wijken"), self.districts),
            line(_("Buurten"), self.neighbourhoods),
        ]
        if self.skipped_rows:
            lines.append(_("%(count)d gebieden van andere gemeenten overgeslagen.") % {"count": self.skipped_rows})
        if self.dry_run:
            lines.append(_("Proefimport: er is niets opgeslagen."))
        return "\n".join(lines)


@dataclass
class _Figures:
    """What an area's aggregate is made of; `households` None and `by_age` {} mean unknown."""

    population: int
    households: int | None
    by_age: dict[str, int]
    lat: float
    lon: float


@dataclass
class _DistrictPlan:
    code: str
    name: str = ""
    row: int = 0
    record: AreaRecord | None = None  # the wijk's own feature, if the file has one


@dataclass
class _MunicipalityPlan:
    code: str
    name: str = ""
    row: int = 0
    record: AreaRecord | None = None  # the gemeente's own feature, if the file has one
    districts: dict[str, _DistrictPlan] = field(default_factory=dict)
    neighbourhoods: list[AreaRecord] = field(default_factory=list)


def _plan(records: Sequence[AreaRecord]) -> dict[str, _MunicipalityPlan]:
    plans: dict[str, _MunicipalityPlan] = {}
    for record in records:
        plan = plans.setdefault(record.municipality_code, _MunicipalityPlan(record.municipality_code, row=record.row))
        plan.name = plan.name or record.municipality_name
        if record.level is AreaLevel.MUNICIPALITY:
            plan.record = record
            continue
        district = plan.districts.setdefault(record.district_code, _DistrictPlan(record.district_code, row=record.row))
        district.name = district.name or record.district_name
        if record.level is AreaLevel.DISTRICT:
            district.record = record
        else:
            plan.neighbourhoods.append(record)
    return plans


def _round(value: float) -> float:
    return round(value, CENTROID_DECIMALS)


def _aggregate(children: Sequence[_Figures]) -> _Figures | None:
    """Sums, and the population-weighted mean of the children's centroids.

    A sum of households or age bands is only given when every inhabited child has it: a partial
    sum would look like a real figure.
    """
    if not children:
        return None
    population = sum(c.population for c in children)
    inhabited = [c for c in children if c.population > 0]
    households = sum(c.households or 0 for c in children) if all(c.households is not None for c in inhabited) else None
    by_age: dict[str, int] = {}
    if inhabited and all(c.by_age for c in inhabited):
        by_age = {band: sum(c.by_age.get(band, 0) for c in inhabited) for band in cbs.AGE_BANDS}
    weights = [c.population for c in children] if population else [1] * len(children)
    total = sum(weights)
    lat = sum(w * c.lat for w, c in zip(weights, children, strict=True)) / total
    lon = sum(w * c.lon for w, c in zip(weights, children, strict=True)) / total
    return _Figures(population, households, by_age, _round(lat), _round(lon))


def _figures_of(area: Municipality | District | Neighbourhood) -> _Figures:
    return _Figures(
        area.population, area.households, dict(area.population_by_age or {}), area.centroid_lat, area.centroid_lon
    )


def _apply(area: Any, values: dict[str, Any]) -> bool:
    """Set the values that differ; True if anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(area, name) != value:
            setattr(area, name, value)
            changed = True
    return changed


def _record_values(record: AreaRecord, name: str, existing: Any | None) -> dict[str, Any]:
    """The fields a record sets. Unknown figures keep what the database has (or the default)."""
    values: dict[str, Any] = {"name": name} if name else {}
    if record.boundary is not None:
        values["boundary"] = record.boundary
    if record.centroid is not None:
        values["centroid_lat"], values["centroid_lon"] = (_round(c) for c in record.centroid)
    if record.population is not None:
        values["population"] = record.population
    elif existing is None:
        values["population"] = 0
    if record.households is not None:
        values["households"] = record.households
    if record.population_by_age is not None:
        values["population_by_age"] = record.population_by_age
    return values


def _aggregate_values(figures: _Figures | None, record: AreaRecord | None) -> dict[str, Any]:
    """A district's or municipality's figures: the sum of its parts, unless its own feature gives them."""
    values: dict[str, Any] = {}
    if figures is not None:
        values = {
            "population": figures.population,
            "households": figures.households,
            "population_by_age": figures.by_age,
            "centroid_lat": figures.lat,
            "centroid_lon": figures.lon,
        }
    if record is not None:
        if record.boundary is not None:
            values["boundary"] = record.boundary
        # Without buurten to average, the area's own centroid (from its boundary or LAT/LON) is all there is.
        if figures is None and record.centroid is not None:
            values["centroid_lat"], values["centroid_lon"] = (_round(c) for c in record.centroid)
        # CBS's own totals include the figures it keeps secret per buurt, so they win over the sum.
        if record.population is not None:
            values["population"] = record.population
        if record.households is not None:
            values["households"] = record.households
        if record.population_by_age is not None:
            values["population_by_age"] = record.population_by_age
    return values


def _unique_slug(name: str, code: str, taken: set[str]) -> str:
    base = slugify(name)[:50].strip("-") or "gemeente"
    for candidate in (base, f"{base}-{code[2:]}", code.lower()):
        if (
            candidate not in taken
            and candidate not in RESERVED_SLUGS
            and not cbs.MUNICIPALITY_CODE.fullmatch(candidate.upper())
            and not Municipality.objects.filter(slug=candidate).exists()
        ):
            return candidate
    raise AssertionError("the CBS code is unique, so its lower case is a free slug")


def _check_permission(actor: Any, plans: dict[str, _MunicipalityPlan], existing: dict[str, Municipality]) -> None:
    """The system (actor None) may import anything; a person must administer every municipality
    in the file, and only platform staff may add a municipality."""
    if actor is None:
        return
    for code in plans:
        municipality = existing.get(code)
        if municipality is None:
            if not getattr(actor, "is_superuser", False):
                raise PermissionDenied(_("Alleen platformbeheerders mogen een gemeente toevoegen."))
        elif not permissions.has_role(actor, municipality, Role.ADMIN):
            raise PermissionDenied


class _MunicipalityImport:
    """Plans and writes one municipality's areas; problems are collected before anything is written."""

    def __init__(self, plan: _MunicipalityPlan, municipality: Municipality | None, unit: str) -> None:
        self.plan = plan
        self.unit = unit
        self.municipality = municipality
        self.districts: dict[str, District] = {}
        self.neighbourhoods: dict[str, Neighbourhood] = {}
        if municipality is not None:
            with scope(municipality=municipality):
                self.districts = {d.code: d for d in District.objects.all()}
                self.neighbourhoods = {n.code: n for n in Neighbourhood.objects.all()}

    @property
    def area_count(self) -> int:
        return 1 + len(self.plan.districts) + len(self.plan.neighbourhoods)

    def problems(self) -> list[Problem]:
        found: list[Problem] = []
        if self.municipality is None and not self.plan.name:
            found.append(
                Problem(
                    self.plan.row,
                    "GM_NAAM",
                    _("Gemeente %(code)s is nieuw en heeft dus een naam nodig.") % {"code": self.plan.code},
                    self.unit,
                )
            )
        if (
            self.municipality is None
            and not self.plan.districts
            and (self.plan.record is None or self.plan.record.centroid is None)
        ):
            found.append(
                Problem(
                    self.plan.row,
                    "GM_CODE",
                    _("Gemeente %(code)s is nieuw, maar heeft geen buurten en geen grens, dus geen middelpunt.")
                    % {"code": self.plan.code},
                    self.unit,
                )
            )
        for district in self.plan.districts.values():
            if district.code not in self.districts and not district.name:
                found.append(
                    Problem(
                        district.row,
                        "WK_NAAM",
                        _("Wijk %(code)s is nieuw en heeft dus een naam nodig.") % {"code": district.code},
                        self.unit,
                    )
                )
            has_neighbourhoods = district.code in self.districts or any(
                r.district_code == district.code for r in self.plan.neighbourhoods
            )
            if not has_neighbourhoods and (district.record is None or district.record.centroid is None):
                found.append(
                    Problem(
                        district.row,
                        "WK_CODE",
                        _("Wijk %(code)s heeft geen buurten en geen grens, dus geen middelpunt.")
                        % {"code": district.code},
                        self.unit,
                    )
                )
        return found

    def save(self, *, actor: Any, result: AreaImportResult, taken_slugs: set[str], source: str) -> None:
        plan = self.plan
        created_municipality = self.municipality is None
        if self.municipality is None:
            slug = _unique_slug(plan.name, plan.code, taken_slugs)
            taken_slugs.add(slug)
            # Centroid and figures follow below, from the districts.
            self.municipality = Municipality(code=plan.code, name=plan.name, slug=slug, centroid_lat=0, centroid_lon=0)
        municipality = self.municipality
        counts = {"districts": AreaCounts(), "neighbourhoods": AreaCounts()}

        with scope(municipality=municipality):
            # Neighbourhoods first, in memory: the districts' figures are their sums.
            new_neighbourhoods: list[Neighbourhood] = []
            changed_neighbourhoods: list[Neighbourhood] = []
            for record in plan.neighbourhoods:
                existing = self.neighbourhoods.get(record.neighbourhood_code)
                neighbourhood = existing or Neighbourhood(code=record.neighbourhood_code)
                changed = _apply(neighbourhood, _record_values(record, record.neighbourhood_name, existing))
                if existing is None:
                    new_neighbourhoods.append(neighbourhood)
                    self.neighbourhoods[neighbourhood.code] = neighbourhood
                elif changed:
                    changed_neighbourhoods.append(neighbourhood)
                counts["neighbourhoods"].count(created=existing is None, changed=changed)

            new_districts: list[District] = []
            changed_districts: list[District] = []
            for code, district_plan in sorted(plan.districts.items()):
                existing_district = self.districts.get(code)
                district = existing_district or District(code=code)
                children = [_figures_of(n) for n in self.neighbourhoods.values() if n.code[2:8] == code[2:8]]
                values = _aggregate_values(_aggregate(children), district_plan.record)
                if district_plan.name:
                    values["name"] = district_plan.name
                changed = _apply(district, values)
                if existing_district is None:
                    new_districts.append(district)
                    self.districts[code] = district
                elif changed:
                    changed_districts.append(district)
                counts["districts"].count(created=existing_district is None, changed=changed)

            totals = _aggregate([_figures_of(d) for d in self.districts.values()])
            values = _aggregate_values(totals, plan.record)
            if plan.name:
                values["name"] = plan.name
            municipality_changed = _apply(municipality, values)
            if created_municipality or municipality_changed:
                municipality.full_clean(validate_unique=False, validate_constraints=False)
                municipality.save()

            for district in new_districts:
                district.municipality = municipality
            District.objects.bulk_create(new_districts, batch_size=500)
            District.objects.bulk_update(changed_districts, AREA_FIELDS, batch_size=500)
            for neighbourhood in new_neighbourhoods:
                neighbourhood.municipality = municipality
                neighbourhood.district = self.districts[f"WK{neighbourhood.code[2:8]}"]
            Neighbourhood.objects.bulk_create(new_neighbourhoods, batch_size=500)
            Neighbourhood.objects.bulk_update(changed_neighbourhoods, AREA_FIELDS, batch_size=500)
            if created_municipality:
                municipality_created.send(sender=Municipality, municipality=municipality, actor=actor)

        result.municipalities.count(created=created_municipality, changed=municipality_changed)
        for level, level_counts in counts.items():
            total = getattr(result, level)
            total.created += level_counts.created
            total.updated += level_counts.updated
            total.unchanged += level_counts.unchanged
        result.municipality_codes.append(municipality.code)
        audit(
            actor=actor,
            municipality=municipality,
            action=AuditAction.CREATE if created_municipality else AuditAction.CHANGE,
            purpose=AuditPurpose.ADMINISTRATION,
            record=municipality,
            detail={
                "source": source,
                "districts": vars(counts["districts"]),
                "neighbourhoods": vars(counts["neighbourhoods"]),
            },
        )


def _save(
    *,
    actor: Any,
    records: Sequence[AreaRecord],
    problems: list[Problem],
    unit: str,
    dry_run: bool,
    progress: Progress,
    source: str,
    skipped_rows: int = 0,
) -> AreaImportResult:
    problems = problems + check_consistency(records, unit)
    # The database checks look only at rows without problems: the rest is reported already.
    rows_with_problems = {problem.row for problem in problems}
    plans = _plan([record for record in records if record.row not in rows_with_problems])
    existing = {m.code: m for m in Municipality.objects.filter(code__in=plans)}
    _check_permission(actor, plans, existing)
    imports = [_MunicipalityImport(plans[code], existing.get(code), unit) for code in sorted(plans)]
    for municipality_import in imports:
        problems += municipality_import.problems()
    if problems:
        raise AreaImportError(problems)
    if not records:
        raise AreaImportError([Problem(None, "", _("Het bestand bevat geen gebieden."), unit)])

    result = AreaImportResult(dry_run=dry_run, skipped_rows=skipped_rows)
    progress.start(sum(i.area_count for i in imports), _("Gebieden opslaan"))
    taken_slugs: set[str] = set()
    try:
        with transaction.atomic():
            for municipality_import in imports:
                municipality_import.save(actor=actor, result=result, taken_slugs=taken_slugs, source=source)
                progress.advance(municipality_import.area_count)
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError as exc:
        # Only possible when the database holds codes that contradict each other (or a parallel
        # import); the report says so instead of a traceback.
        raise AreaImportError(
            [
                Problem(
                    None,
                    "",
                    _("De database weigerde de gebieden (%(error)s). Er is niets opgeslagen.") % {"error": exc},
                    unit,
                )
            ]
        ) from exc
    return result


def areas_import(
    *,
    actor: Any,
    data: bytes,
    filename: str = "",
    municipality_code: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> AreaImportResult:
    """Import a CBS wijk- en buurtkaart (GeoJSON or CSV): create or update by CBS code.

    `municipality_code` takes one municipality from a national file. `actor` None is the system
    (a command run by the operator). Raises AreaImportError with every problem, writing nothing.
    Areas in the database but not in the file are left as they are: CBS redraws buurten, and
    removing one would take the data that refers to it along.
    """
    progress = progress or NullProgress()
    if municipality_code is not None:
        municipality_code = municipality_code.strip().upper()
        if not cbs.MUNICIPALITY_CODE.fullmatch(municipality_code):
            raise AreaImportError(
                [
                    Problem(
                        None,
                        "GM_CODE",
                        _("Gemeentecode %(code)s klopt niet: gebruik GM en 4 cijfers, bijvoorbeeld GM0599.")
                        % {"code": municipality_code},
                    )
                ]
            )
    read = read_area_file(data, filename=filename, municipality_code=municipality_code, progress=progress)
    if read.fatal:
        raise AreaImportError(read.problems)
    return _save(
        actor=actor,
        records=read.records,
        problems=read.problems,
        unit=read.unit,
        dry_run=dry_run,
        progress=progress,
        source="import_areas",
        skipped_rows=read.skipped,
    )


def areas_save(
    *,
    actor: Any,
    records: Sequence[AreaRecord],
    dry_run: bool = False,
    progress: Progress | None = None,
    source: str,
) -> AreaImportResult:
    """Create or update areas from records built in code (the demo generator), with the import's checks."""
    return _save(
        actor=actor,
        records=records,
        problems=[],
        unit="object",
        dry_run=dry_run,
        progress=progress or NullProgress(),
        source=source,
    )


def area_import_start(*, actor: Any, municipality: Municipality, upload: UploadedFile, dry_run: bool) -> TaskRun:
    """Keep an uploaded area file and start its import as a background task for this municipality.

    Only the municipality's own rows are imported (municipality_code), whatever else the file holds.
    """
    if not permissions.can_import_areas(actor, municipality):
        raise PermissionDenied
    name = get_valid_filename(Path(upload.name or "gebieden").name) or "gebieden"
    stored_name = default_storage.save(f"imports/{uuid.uuid4().hex}/{name}", upload)
    return enqueue(
        "core.import_areas",
        label=_("Gebieden inlezen uit %(name)s") % {"name": name},
        created_by=actor,
        municipality=municipality,
        stored_name=stored_name,
        dry_run=dry_run,
        municipality_code=municipality.code,
        actor_id=actor.pk,
    )
