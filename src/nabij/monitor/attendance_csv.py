"""Attendance from a CSV file: check every row, then write all or nothing (docs/attendance.md).

The documented header is `activity,date,anonymous_count,participant_keys`: the activity's public
id (uid), the date (YYYY-MM-DD), the head count of people counted without a key, and the keys of
participants (separated by spaces or `;`, may be empty). One row is one session; a session that
is already in Nabij is replaced, as on the page and in the API.

Problems are reported per line (the header is line 1) and column, in Dutch, with the same
`RowProblem` and `ImportFailed` as the activity import. The rules of a row are the service's own
checks (`services.attendance`), so the file accepts exactly what the page and the API accept.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nabij.accounts import permissions
from nabij.core.audit import audit
from nabij.core.import_report import ImportFailed
from nabij.core.models import AuditAction, AuditPurpose, Municipality
from nabij.monitor.models import AttendanceSession
from nabij.monitor.services.attendance import (
    attendance_record,
    check_count,
    check_date,
    parse_keys,
)
from nabij.socialmap.activity_csv import RowProblem
from nabij.socialmap.models import Activity

COLUMNS = ("activity", "date", "anonymous_count", "participant_keys")
REQUIRED_COLUMNS = ("activity", "date", "anonymous_count")
# A year of weekly sessions of a hundred activities; the page checks and writes it while you wait.
MAX_ROWS = 5_000
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INTEGER = re.compile(r"\d+")


class AttendanceImportError(ImportFailed):
    """The CSV file has problems; nothing was written. `problems` lists them in file order."""


@dataclass
class AttendanceRow:
    row: int
    activity: Activity
    on: dt.date
    anonymous_count: int
    keys: list[uuid.UUID]


@dataclass
class ReadResult:
    rows: list[AttendanceRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    def fail(self, message: str, row: int | None = None) -> ReadResult:
        self.problems.append(RowProblem(row, "", message))
        return self


@dataclass
class AttendanceImportResult:
    """What an import did or would do. Only the total and the keys received: a split into named and
    anonymous heads would tell the recorder who consented (services.attendance)."""

    dry_run: bool = False
    checked: int = 0
    created: int = 0
    replaced: int = 0
    total: int = 0
    keys_received: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "checked": self.checked,
            "created": self.created,
            "replaced": self.replaced,
            "total": self.total,
            "keys_received": self.keys_received,
        }

    def summary(self) -> str:
        lines = []
        if self.dry_run:
            lines.append(
                ngettext(
                    "%(count)d bijeenkomst gecontroleerd, zonder fouten. Proefimport: er is niets opgeslagen.",
                    "%(count)d bijeenkomsten gecontroleerd, zonder fouten. Proefimport: er is niets opgeslagen.",
                    self.checked,
                )
                % {"count": self.checked}
            )
        else:
            lines.append(
                ngettext("%(count)d bijeenkomst opgeslagen.", "%(count)d bijeenkomsten opgeslagen.", self.checked)
                % {"count": self.checked}
            )
        lines.append(
            _("Nieuw: %(created)d. Vervangen (die datum stond er al): %(replaced)d.")
            % {"created": self.created, "replaced": self.replaced}
        )
        lines.append(
            _("Bezoekers in totaal: %(total)d. Sleutels ontvangen: %(keys)d.")
            % {"total": self.total, "keys": self.keys_received}
        )
        return "\n".join(lines)


def _text(data: bytes) -> str | None:
    try:
        # utf-8-sig also reads files without a byte-order mark.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text


def _delimiter(header_line: str) -> str:
    """`;` (Dutch Excel) or `,`: whichever the header line holds more of; it holds only names."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _messages(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


class _RowChecker:
    """Typed values of one row, a problem per bad cell (the service's own checks and messages)."""

    def __init__(self, values: Mapping[str, str], row: int, problems: list[RowProblem]) -> None:
        self.values, self.row, self.problems = values, row, problems
        self.bad = False

    def text(self, column: str) -> str:
        return (self.values.get(column) or "").strip()

    def problem(self, column: str, message: str) -> None:
        self.bad = True
        self.problems.append(RowProblem(self.row, column, message, self.text(column)))

    def required(self, column: str) -> str:
        value = self.text(column)
        if not value:
            self.problem(column, _("Dit moet je invullen."))
        return value

    def checked(self, column: str, check: Callable[[], Any]) -> Any:
        try:
            return check()
        except ValidationError as error:
            for message in _messages(error):
                self.problem(column, message)
            return None


class _Activities:
    """The activities a file names, read at once; and whether `actor` may record for each."""

    def __init__(self, actor: Any, municipality: Municipality, uids: set[uuid.UUID]) -> None:
        self.actor = actor
        self.by_uid = {
            a.uid: a
            for a in Activity.objects.filter(municipality=municipality, uid__in=uids).select_related(
                "organisation", "municipality"
            )
        }
        self._allowed: dict[int, bool] = {}

    def get(self, uid: uuid.UUID) -> Activity | None:
        activity = self.by_uid.get(uid)
        if activity is None or self.actor is None:
            return activity
        organisation = activity.organisation_id
        if organisation not in self._allowed:
            self._allowed[organisation] = permissions.can_record_attendance(self.actor, activity)
        return activity if self._allowed[organisation] else None


def _uid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _check_row(
    values: Mapping[str, str], line: int, activities: _Activities, problems: list[RowProblem]
) -> AttendanceRow | None:
    cells = _RowChecker(values, line, problems)
    activity: Activity | None = None
    if value := cells.required("activity"):
        uid = _uid(value)
        if uid is None:
            cells.problem("activity", _("Dit is geen publieke id van een activiteit (een UUID)."))
        elif (activity := activities.get(uid)) is None:
            # One message for both: an organiser does not learn which other activities exist.
            cells.problem(
                "activity", _("Deze activiteit bestaat niet, of je mag er geen aanwezigheid voor vastleggen.")
            )
    on: dt.date | None = None
    if value := cells.required("date"):
        try:
            if not _DATE.fullmatch(value):
                raise ValueError
            on = dt.date.fromisoformat(value)
        except ValueError:
            cells.problem("date", _("Dit is geen datum. Schrijf JJJJ-MM-DD, bijvoorbeeld 2025-09-02."))
        else:
            if activity is not None:
                on = cells.checked("date", lambda: check_date(activity, on))
    count: int | None = None
    if value := cells.required("anonymous_count"):
        if not _INTEGER.fullmatch(value):
            cells.problem("anonymous_count", _("Schrijf een heel getal van 0 of meer, zonder punt of komma."))
        else:
            count = cells.checked("anonymous_count", lambda: check_count(int(value)))
    keys = cells.checked("participant_keys", lambda: parse_keys(cells.text("participant_keys")))
    if cells.bad or activity is None or on is None or count is None or keys is None:
        return None
    return AttendanceRow(row=line, activity=activity, on=on, anonymous_count=count, keys=keys)


def _header_problems(columns: list[str]) -> list[str]:
    found = []
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        found.append(
            _("Deze verplichte kolommen ontbreken: %(missing)s. Gebruik ; of , als scheidingsteken.")
            % {"missing": ", ".join(missing)}
        )
    unknown = [name for name in columns if name and name not in COLUMNS]
    if unknown:
        found.append(
            _("Deze kolommen kent Nabij niet: %(unknown)s. Controleer de spelling (zie de handleiding).")
            % {"unknown": ", ".join(unknown)}
        )
    duplicates = sorted({name for name in columns if name and columns.count(name) > 1})
    if duplicates:
        found.append(_("Deze kolommen staan er twee keer in: %(columns)s.") % {"columns": ", ".join(duplicates)})
    return found


def read_attendance_csv(data: bytes, *, municipality: Municipality, actor: Any = None) -> ReadResult:
    """Check a whole file; rows are returned only for a file without any problem."""
    result = ReadResult()
    text = _text(data)
    if text is None:
        return result.fail(
            _(
                "Het bestand is geen UTF-8. Sla het in Excel op als “CSV UTF-8 (door komma's gescheiden)”, "
                "of exporteer het opnieuw in UTF-8."
            )
        )
    header_line = text.lstrip("\r\n").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(header_line))
    try:
        header = next(reader)
    except StopIteration:
        return result.fail(_("Het bestand is leeg."))
    columns = [name.strip().lower() for name in header]
    if file_problems := _header_problems(columns):
        result.problems += [RowProblem(1, "", message) for message in file_problems]
        return result
    # Number rows by the line they start on, as a text editor shows it.
    rows: list[tuple[int, list[str]]] = []
    previous_line = reader.line_num
    for cells in reader:
        rows.append((previous_line + 1, cells))
        previous_line = reader.line_num
    rows = [(line, cells) for line, cells in rows if any(cell.strip() for cell in cells)]
    if not rows:
        return result.fail(_("Er staan geen bijeenkomsten in het bestand, alleen de kopregel."))
    if len(rows) > MAX_ROWS:
        return result.fail(
            _("Het bestand heeft %(count)d regels; lees er hoogstens %(max)d tegelijk in.")
            % {"count": len(rows), "max": MAX_ROWS}
        )
    # Keys separated by `;` in a `;`-file without quotes spill into extra cells: they all belong
    # to participant_keys when that is the last column.
    keys_last = columns[-1] == "participant_keys"
    uids = set()
    for _line, cells in rows:
        position = columns.index("activity")
        if position < len(cells) and (uid := _uid(cells[position].strip())) is not None:
            uids.add(uid)
    activities = _Activities(actor, municipality, uids)
    seen: dict[tuple[int, dt.date], int] = {}
    for line, cells in rows:
        if keys_last and len(cells) > len(columns):
            cells = [*cells[: len(columns) - 1], " ".join(cells[len(columns) - 1 :])]
        if len(cells) < len(columns) and not (keys_last and len(cells) == len(columns) - 1):
            result.problems.append(_width_problem(line, len(cells), len(columns)))
            continue
        if len(cells) > len(columns):
            result.problems.append(_width_problem(line, len(cells), len(columns)))
            continue
        checked = _check_row(dict(zip(columns, cells, strict=False)), line, activities, result.problems)
        if checked is None:
            continue
        key = (checked.activity.pk, checked.on)
        if key in seen:
            result.problems.append(
                RowProblem(
                    line,
                    "date",
                    _("Deze bijeenkomst (dezelfde activiteit en datum) staat al op regel %(line)d.")
                    % {"line": seen[key]},
                    checked.on.isoformat(),
                )
            )
            continue
        seen[key] = line
        result.rows.append(checked)
    if result.problems:
        result.rows = []
    return result


def _width_problem(line: int, found: int, expected: int) -> RowProblem:
    return RowProblem(
        line,
        "",
        _(
            "Deze regel heeft %(found)d waarden, de kopregel %(expected)d kolommen. "
            "Staat er een scheidingsteken in een tekst zonder aanhalingstekens?"
        )
        % {"found": found, "expected": expected},
    )


def _preview(result: AttendanceImportResult, rows: list[AttendanceRow]) -> None:
    """What an import would do, for a dry run: new or replaced sessions, the total and the keys.
    Every key counts once in the total, named or not, so no consent is looked up."""
    existing = set(
        AttendanceSession.objects.filter(activity__in={row.activity.pk for row in rows}).values_list(
            "activity_id", "on"
        )
    )
    for row in rows:
        result.replaced += (row.activity.pk, row.on) in existing
        result.total += row.anonymous_count + len(row.keys)
        result.keys_received += len(row.keys)
    result.created = len(rows) - result.replaced


def attendance_import(
    *, actor: Any, municipality: Municipality, data: bytes, dry_run: bool = False
) -> AttendanceImportResult:
    """Import a CSV file of sessions into `municipality`; call it inside that municipality's scope.

    `actor` None is the system (the command). Raises AttendanceImportError with every problem,
    writing nothing; PermissionDenied if `actor` may not record attendance at all.
    """
    if actor is not None and permissions.organisations_edited_by(actor, municipality) == []:
        raise PermissionDenied
    read = read_attendance_csv(data, municipality=municipality, actor=actor)
    if read.problems:
        raise AttendanceImportError(read.problems)
    result = AttendanceImportResult(dry_run=dry_run, checked=len(read.rows))
    if dry_run:
        _preview(result, read.rows)
        return result
    with transaction.atomic():
        problems: list[RowProblem] = []
        for row in read.rows:
            try:
                done = attendance_record(
                    actor=actor,
                    activity=row.activity,
                    on=row.on,
                    anonymous_count=row.anonymous_count,
                    participant_keys=row.keys,
                )
            except ValidationError as error:  # after the checks only a change in the meantime
                problems += [RowProblem(row.row, "", message) for message in _messages(error)]
                continue
            result.created += done.created
            result.replaced += not done.created
            result.total += done.total
            result.keys_received += done.keys_received
        if problems:
            # Raised inside the transaction: every session written above is rolled back.
            raise AttendanceImportError(problems)
        audit(
            actor=actor,
            municipality=municipality,
            action=AuditAction.CREATE,
            purpose=AuditPurpose.MONITORING,
            record_type="monitor.attendance_import",
            record_ref=municipality.code,
            detail={key: value for key, value in result.as_dict().items() if key != "dry_run"},
        )
    return result


EXAMPLE_ROWS = (
    ("3f2b8c1e-0d4a-4b7e-9c2f-1a2b3c4d5e6f", "2025-09-02", "11", ""),
    (
        "3f2b8c1e-0d4a-4b7e-9c2f-1a2b3c4d5e6f",
        "2025-09-09",
        "9",
        "5d0c3a52-8f0e-4c7f-9b61-2a3e7c1d9f40 b7e1f2a4-3c5d-4e6f-8a9b-0c1d2e3f4a5b",
    ),
)


def example_csv() -> str:
    """The documented header and two example rows, as Dutch Excel writes CSV: `;`, UTF-8 with BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(EXAMPLE_ROWS)
    return "\ufeff" + buffer.getvalue()
