"""`import_hsds`: an HSDS 3.0 directory into a municipality's social map, all or nothing.

1. Read and check every file against the HSDS schemas (`reader`).
2. Plan what each record becomes and check it against Nabij's rules and catalogues (`plan`).
3. Write through the social-map services (actor None: the system), in one transaction. Records are
   found by id (the HSDS id is the `uid`), so importing the same data again changes nothing.

Any problem in any step: nothing is written, and `HsdsImportError` lists every problem with its
file, record and field, in Dutch.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nabij.core.import_report import REPORT_LIMIT, ImportFailed, RecordCounts
from nabij.core.models import Municipality
from nabij.socialmap import services
from nabij.socialmap.hsds.plan import Defaults, ImportPlan, Plan, Planner, remapped_uid
from nabij.socialmap.hsds.reader import Problem, read_directory
from nabij.socialmap.hsds.schedules import rule_parts
from nabij.socialmap.models import Activity, BarrierSource, Organisation, ParticipationType, Place

ORGANISATION_FIELDS = ("name", "description", "sphere", "kind", "website", "email", "phone")
# Model fields back to the HSDS field they came from, for error messages.
HSDS_FIELD = {
    "title": "name",
    "contact_email": "email",
    "contact_phone": "phones",
    "cost_cents": "cost_options",
    "dtstart": "schedules",
    "duration": "schedules",
    "rrule": "schedules",
    "lat": "latitude",
    "lon": "longitude",
    "street": "addresses",
    "house_number": "addresses",
    "postcode": "addresses",
    "city": "addresses",
}


class HsdsImportError(ImportFailed):
    """The data has problems; nothing was written. `problems` in the order found: file by file."""

    sort_by_row = False

    def headline(self, count: int) -> str:
        return ngettext(
            "De import heeft %(count)d fout; er is niets opgeslagen.",
            "De import heeft %(count)d fouten; er is niets opgeslagen.",
            count,
        ) % {"count": count}


Counts = RecordCounts


@dataclass
class ImportResult:
    organisations: Counts = field(default_factory=Counts)
    places: Counts = field(default_factory=Counts)
    activities: Counts = field(default_factory=Counts)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ignored: dict[str, int] = field(default_factory=dict)
    remapped: int = 0
    dry_run: bool = False

    def summary(self) -> str:
        def line(label: str, counts: Counts) -> str:
            return _("%(label)s: %(created)d nieuw, %(updated)d bijgewerkt, %(unchanged)d ongewijzigd") % {
                "label": label,
                **vars(counts),
            }

        lines = [
            line(_("Organisaties"), self.organisations),
            line(_("Plekken"), self.places),
            line(_("Activiteiten"), self.activities),
        ]
        if self.remapped:
            lines.append(
                ngettext(
                    "%(count)d id was al in gebruik bij een andere gemeente en kreeg een eigen id.",
                    "%(count)d id's waren al in gebruik bij een andere gemeente en kregen een eigen id.",
                    self.remapped,
                )
                % {"count": self.remapped}
            )
        if self.skipped:
            lines.append(_("Overgeslagen (%(count)d):") % {"count": len(self.skipped)})
            lines += [f"- {item}" for item in self.skipped]
        if self.ignored:
            used = ", ".join(f"{table} {count}" for table, count in sorted(self.ignored.items()))
            lines.append(_("Niet gebruikt (geen plek in Nabij): %(tables)s.") % {"tables": used})
        if self.notes:
            lines.append(_("Opmerkingen (%(count)d):") % {"count": len(self.notes)})
            lines += [f"- {note}" for note in self.notes[:REPORT_LIMIT]]
            if len(self.notes) > REPORT_LIMIT:
                lines.append(_("… en nog %(count)d.") % {"count": len(self.notes) - REPORT_LIMIT})
        if self.dry_run:
            lines.append(_("Proefimport: er is niets opgeslagen."))
        return "\n".join(lines)


class _DryRun(Exception):
    pass


def import_hsds(
    *, municipality: Municipality, directory: Path, defaults: Defaults | None = None, dry_run: bool = False
) -> ImportResult:
    """Import the HSDS data in `directory` into `municipality`. Run it inside the municipality's scope."""
    dataset = read_directory(directory)
    if dataset.problems:
        raise HsdsImportError(dataset.problems)
    defaults = defaults or Defaults()
    result = ImportResult(dry_run=dry_run, notes=list(dataset.notes))
    try:
        with transaction.atomic():
            services.catalogue_ensure_defaults(municipality=municipality)
            if not ParticipationType.objects.filter(
                municipality=municipality, code=defaults.participation_type
            ).exists():
                raise HsdsImportError(
                    [
                        Problem(
                            "--default-participation-type",
                            message=_("Onbekende soort deelname: %(code)s.") % {"code": defaults.participation_type},
                        )
                    ]
                )
            plan = Planner(dataset, municipality, defaults).run()
            if plan.problems:
                raise HsdsImportError(plan.problems)
            _apply(plan, municipality, result)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


def _apply(plan: ImportPlan, municipality: Municipality, result: ImportResult) -> None:
    writer = _Writer(plan, municipality, result)
    writer.run()
    if writer.problems:
        raise HsdsImportError(writer.problems)


def _messages(error: ValidationError) -> list[tuple[str, str]]:
    if hasattr(error, "error_dict"):
        return [
            (HSDS_FIELD.get(name, name) if name != "__all__" else "", " ".join(ValidationError(errors).messages))
            for name, errors in error.error_dict.items()
        ]
    return [("", " ".join(error.messages))]


class _Writer:
    def __init__(self, plan: ImportPlan, municipality: Municipality, result: ImportResult) -> None:
        self.plan = plan
        self.municipality = municipality
        self.result = result
        self.problems: list[Problem] = []
        self.organisations: dict[str, Organisation] = {}
        self.places: dict[str, Place] = {}
        result.skipped += plan.skipped
        result.notes += plan.notes
        result.ignored |= plan.ignored

    def failed(self, item: Plan, error: ValidationError) -> None:
        for name, message in _messages(error):
            self.problems.append(Problem(item.record.file, item.record.label, name, message))

    def run(self) -> None:
        for hsds_id, item in self.plan.organisations.items():
            self.guard(item, self.organisation, hsds_id, item)
        for hsds_id, item in self.plan.places.items():
            self.guard(item, self.place, hsds_id, item)
        for item in self.plan.activities.values():
            self.guard(item, self.activity, item)
        # Archiving last: archiving an organisation archives its activities too.
        for hsds_id, item in self.plan.organisations.items():
            organisation = self.organisations.get(hsds_id)
            if organisation is not None and item.archived and organisation.archived_at is None:
                services.organisation_archive(actor=None, organisation=organisation)
        for hsds_id, item in self.plan.places.items():
            place = self.places.get(hsds_id)
            if place is not None and item.archived and place.archived_at is None:
                services.place_archive(actor=None, place=place)
            elif place is not None and not item.archived and place.archived_at is not None:
                self.result.notes.append(
                    f"{item.record.file}, {item.record.label}: " + _("de plek is in Nabij gearchiveerd en blijft dat.")
                )

    def guard(self, item: Plan, write: Callable[..., None], *args: Any) -> None:
        """Write one record; a ValidationError becomes a problem and the others still get checked."""
        if item.remapped:
            self.result.remapped += 1
        try:
            with transaction.atomic():
                write(*args)
        except ValidationError as error:
            self.failed(item, error)

    def organisation_for(self, hsds_id: str) -> Organisation | None:
        if hsds_id in self.organisations:
            return self.organisations[hsds_id]
        if hsds_id in self.plan.organisations:
            return None  # it failed; its own problem says why
        return (
            Organisation.objects.filter(uid=hsds_id).first()
            or Organisation.objects.filter(uid=remapped_uid(self.municipality, hsds_id)).first()
        )

    def organisation(self, hsds_id: str, item: Plan) -> None:
        existing: Organisation | None = item.existing
        if existing is None:
            # The HSDS id must survive the round trip.
            organisation = services.organisation_create(
                actor=None, municipality=self.municipality, uid=uuid.UUID(item.uid), **item.fields
            )
            self.result.organisations.count(created=True, changed=True)
        else:
            changes = {k: v for k, v in item.fields.items() if getattr(existing, k) != v}
            organisation = (
                services.organisation_update(actor=None, organisation=existing, **changes) if changes else existing
            )
            self.result.organisations.count(created=False, changed=bool(changes))
        self.organisations[hsds_id] = organisation

    def place(self, hsds_id: str, item: Plan) -> None:
        organisation = self.organisation_for(item.organisation)
        if organisation is None:
            return
        existing: Place | None = item.existing
        if existing is None:
            place = services.place_create(actor=None, organisation=organisation, uid=item.uid, **item.fields)
            self.result.places.count(created=True, changed=True)
        else:
            changes = {k: v for k, v in item.fields.items() if getattr(existing, k) != v}
            place = services.place_update(actor=None, place=existing, **changes) if changes else existing
            if existing.organisation_id != organisation.pk:
                self.result.notes.append(
                    f"{item.record.file}, {item.record.label}: "
                    + _("de plek hoort in Nabij bij een andere organisatie en is niet verplaatst.")
                )
            self.result.places.count(created=False, changed=bool(changes))
        self.places[hsds_id] = place

    def place_for(self, hsds_id: str | None) -> Place | None:
        if hsds_id is None:
            return None
        if hsds_id in self.places:
            return self.places[hsds_id]
        return (
            Place.objects.filter(uid=hsds_id).first()
            or Place.objects.filter(uid=remapped_uid(self.municipality, hsds_id)).first()
        )

    def activity(self, item: Plan) -> None:
        organisation = self.organisation_for(item.organisation)
        if organisation is None:
            return
        fields = {**item.fields, "place": self.place_for(item.place)}
        existing: Activity | None = item.existing
        if existing is None:
            activity = services.activity_create(
                actor=None,
                organisation=organisation,
                participation_type=item.participation_type,
                domains=item.domains,
                themes=item.themes,
                uid=item.uid,
                **fields,
            )
            changed = True
        else:
            activity = existing
            changed = self.update_activity(item, activity, fields)
            if activity.organisation_id != organisation.pk:
                self.result.notes.append(
                    f"{item.record.file}, {item.record.label}: "
                    + _("de activiteit hoort in Nabij bij een andere organisatie en is niet verplaatst.")
                )
        if item.barriers is not None:
            before = activity.barrier_mask
            services.activity_set_barriers(
                actor=None, activity=activity, codes=item.barriers, source=BarrierSource.IMPORT
            )
            changed |= activity.barrier_mask != before
        self.result.activities.count(created=existing is None, changed=changed)

    def update_activity(self, item: Plan, activity: Activity, fields: dict[str, Any]) -> bool:
        status = fields.pop("status")
        changes = {k: v for k, v in fields.items() if not _same(k, getattr(activity, k), v)}
        if activity.participation_type.code != item.participation_type:
            changes["participation_type"] = item.participation_type
        if changes:
            services.activity_update(actor=None, activity=activity, **changes)
        changed = bool(changes)
        wanted = {"domains": item.domains, "themes": item.themes}
        differing = {
            name: codes
            for name, codes in wanted.items()
            if sorted(getattr(activity, name).values_list("code", flat=True)) != sorted(codes)
        }
        if differing:
            services.activity_set_classifications(actor=None, activity=activity, **differing)
            changed = True
        if activity.status != status:
            services.activity_set_status(actor=None, activity=activity, status=status)
            changed = True
        return changed


def _same(name: str, current: Any, new: Any) -> bool:
    if name == "rrule":
        return rule_parts(current or "") == rule_parts(new or "")
    if name == "exdates":
        return sorted(set(map(str, current or []))) == sorted(set(map(str, new or [])))
    return bool(current == new)
