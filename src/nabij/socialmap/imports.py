"""The CSV import of activities (docs/import_activities.md): check everything, then write all or nothing.

The whole file is checked first (`activity_csv.read_activities_csv`); only a file without any
problem is written, in one transaction, through `services.activity_create`, so every activity gets
its audit entry and its derived barrier profile like one made by hand.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nabij.accounts import permissions
from nabij.core.audit import audit
from nabij.core.import_report import ImportFailed
from nabij.core.models import AuditAction, AuditPurpose, Municipality, TaskRun
from nabij.core.taskqueue import NullProgress, Progress, enqueue
from nabij.socialmap import services
from nabij.socialmap.activity_csv import COLUMN_NAMES, COLUMN_OF_FIELD, RowProblem, read_activities_csv


class ActivityImportError(ImportFailed):
    """The CSV file has problems; nothing was written. `problems` lists them in file order."""


@dataclass
class ActivityImportResult:
    dry_run: bool = False
    created: int = 0
    checked: int = 0
    uids: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"dry_run": self.dry_run, "checked": self.checked, "created": self.created}

    def summary(self) -> str:
        if self.dry_run:
            return ngettext(
                "%(count)d activiteit gecontroleerd, zonder fouten. Proefimport: er is niets opgeslagen.",
                "%(count)d activiteiten gecontroleerd, zonder fouten. Proefimport: er is niets opgeslagen.",
                self.checked,
            ) % {"count": self.checked}
        return ngettext(
            "%(count)d activiteit ingelezen.",
            "%(count)d activiteiten ingelezen.",
            self.created,
        ) % {"count": self.created}


def activities_import(
    *,
    actor: Any,
    municipality: Municipality,
    data: bytes,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ActivityImportResult:
    """Import a CSV file of activities into `municipality`; call it inside that municipality's scope.

    `actor` None is the system (the command, run by the operator). Raises ActivityImportError with
    every problem, writing nothing.
    """
    if actor is not None and not permissions.can_import_activities(actor, municipality):
        raise PermissionDenied
    progress = progress or NullProgress()
    read = read_activities_csv(data, municipality=municipality, progress=progress)
    if read.problems:
        raise ActivityImportError(read.problems)
    result = ActivityImportResult(dry_run=dry_run, checked=len(read.rows))
    if dry_run:
        return result
    progress.start(len(read.rows), _("Activiteiten opslaan"))
    with transaction.atomic():
        problems: list[RowProblem] = []
        for row in read.rows:
            progress.advance()
            try:
                # A savepoint per row: a failing row must not spoil the transaction for the report.
                with transaction.atomic():
                    activity = services.activity_create(
                        actor=actor,
                        organisation=row.organisation,
                        participation_type=row.participation_type,
                        domains=row.domains,
                        themes=row.themes,
                        **row.fields,
                    )
            except ValidationError as error:
                problems += _problems_from_validation(row.row, error)
                continue
            result.uids.append(str(activity.uid))
        if problems:
            # Raised inside the transaction: everything written above is rolled back.
            raise ActivityImportError(problems)
        result.created = len(result.uids)
        audit(
            actor=actor,
            municipality=municipality,
            action=AuditAction.CREATE,
            purpose=AuditPurpose.ADMINISTRATION,
            record_type="socialmap.activity_import",
            record_ref=municipality.code,
            detail={"created": result.created},
        )
    return result


def activity_import_start(*, actor: Any, municipality: Municipality, upload: UploadedFile, dry_run: bool) -> TaskRun:
    """Keep an uploaded CSV file and start its import into this municipality as a background task."""
    if not permissions.can_import_activities(actor, municipality):
        raise PermissionDenied
    name = get_valid_filename(Path(upload.name or "activiteiten.csv").name) or "activiteiten.csv"
    stored_name = default_storage.save(f"imports/{uuid.uuid4().hex}/{name}", upload)
    return enqueue(
        "socialmap.import_activities",
        label=_("Activiteiten inlezen uit %(name)s") % {"name": name},
        created_by=actor,
        municipality=municipality,
        stored_name=stored_name,
        dry_run=dry_run,
        municipality_code=municipality.code,
        actor_id=actor.pk,
    )


def _problems_from_validation(row: int, error: ValidationError) -> list[RowProblem]:
    """A ValidationError from the services while saving, per column (should not happen after the checks)."""
    if not hasattr(error, "error_dict"):
        return [RowProblem(row, "", message) for message in error.messages]
    return [
        RowProblem(row, "" if name == NON_FIELD_ERRORS else COLUMN_OF_FIELD.get(name, name), message)
        for name, messages in error.message_dict.items()
        for message in messages
    ]


EXAMPLE_ROW = {
    "title": "Koffie-ochtend",
    "organisation": "Buurthuis De Linde",
    "place": "Buurthuis De Linde",
    "participation_type": "ontmoeten",
    "domains": "elkaar_helpen|eigen_netwerken",
    "themes": "",
    "action_perspective": "warme_plek",
    "description": "Samen koffie drinken en praten. Iedereen is welkom.",
    "what_to_expect": "Je krijgt koffie of thee. Je mag ook alleen luisteren.",
    "who_welcomes_you": "Gastvrouw Anja",
    "dtstart": "2025-09-02 10:00",
    "duration_minutes": "120",
    "rrule": "FREQ=WEEKLY;BYDAY=TU",
    "exdates": "2025-12-23|2025-12-30",
    "active_from": "",
    "active_until": "",
    "capacity": "",
    "expected_group_size": "12",
    "cost": "0",
    "has_free_option": "ja",
    "registration_required": "nee",
    "sign_up_channel": "in_person",
    "commitment": "drop_in",
    "level_required": "nee",
    "dutch_language_required": "nee",
    "contact_email": "",
    "contact_phone": "010-1234567",
    "status": "published",
}


def example_csv() -> str:
    """The documented header and one example row, as Dutch Excel writes CSV: `;`, UTF-8 with BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    writer.writerow([EXAMPLE_ROW[name] for name in COLUMN_NAMES])
    return "\ufeff" + buffer.getvalue()
