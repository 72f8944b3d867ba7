"""Reading a CSV file of activities into checked rows, without writing anything (docs/import_activities.md).

Every problem is reported with the line in the file (the header is line 1), the column, the value
and a Dutch reason, so the person who filled in the spreadsheet can fix it. A row is checked in
two steps: each cell on its own (format, codes, names), then the whole activity with the model's
own checks (`Activity.full_clean`), so the import accepts exactly what the services accept.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from nabij.core.import_report import unit_label
from nabij.core.models import Municipality
from nabij.core.taskqueue import NullProgress, Progress
from nabij.socialmap.models import (
    AMSTERDAM,
    ActionPerspective,
    Activity,
    ActivityStatus,
    Commitment,
    Domain,
    Organisation,
    ParticipationType,
    Place,
    SignUpChannel,
    Theme,
)


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    field: str = ""  # the Activity field its model errors belong to; "" for none


# In the order of the documented header. Names are matched without regard to letter case.
COLUMNS: tuple[Column, ...] = (
    Column("title", required=True, field="title"),
    Column("organisation", required=True, field="organisation"),
    Column("place", field="place"),
    Column("participation_type", required=True, field="participation_type"),
    Column("domains"),
    Column("themes"),
    Column("action_perspective", field="action_perspective"),
    Column("description", field="description"),
    Column("what_to_expect", field="what_to_expect"),
    Column("who_welcomes_you", field="who_welcomes_you"),
    Column("dtstart", required=True, field="dtstart"),
    Column("duration_minutes", field="duration"),
    Column("rrule", field="rrule"),
    Column("exdates", field="exdates"),
    Column("active_from", field="active_from"),
    Column("active_until", field="active_until"),
    Column("capacity", field="capacity"),
    Column("expected_group_size", field="expected_group_size"),
    Column("cost", field="cost_cents"),
    Column("has_free_option", field="has_free_option"),
    Column("registration_required", field="registration_required"),
    Column("sign_up_channel", field="sign_up_channel"),
    Column("commitment", field="commitment"),
    Column("level_required", field="level_required"),
    Column("dutch_language_required", field="dutch_language_required"),
    Column("contact_email", field="contact_email"),
    Column("contact_phone", field="contact_phone"),
    Column("status", field="status"),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
REQUIRED_COLUMNS = tuple(column.name for column in COLUMNS if column.required)
COLUMN_OF_FIELD = {column.field: column.name for column in COLUMNS if column.field}

DEFAULT_DURATION_MINUTES = 120
MAX_DURATION_MINUTES = 7 * 24 * 60
MAX_ROWS = 10_000
TRUE_WORDS = frozenset({"ja", "j", "yes", "y", "true", "waar", "1", "x"})
FALSE_WORDS = frozenset({"nee", "n", "no", "false", "onwaar", "0", ""})
# Codes are slugs, so a list of them may be split on | , ; or spaces alike.
LIST_SEPARATOR = re.compile(r"[|,;\s]+")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATETIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})")
_INTEGER = re.compile(r"\d+")
_EUROS = re.compile(r"\d+([.,]\d{1,2})?")


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong. `row` is the line in the file (header = 1); None for the file as a whole."""

    row: int | None
    column: str
    message: str
    value: str = ""
    unit: str = "regel"

    def __str__(self) -> str:
        where = _("bestand") if self.row is None else f"{unit_label(self.unit)} {self.row}"
        if self.column:
            where = _("%(where)s, kolom %(column)s") % {"where": where, "column": self.column}
        if self.value:
            where = _("%(where)s, waarde “%(value)s”") % {"where": where, "value": _shorten(self.value)}
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "unit": self.unit,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


def _shorten(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else f"{value[: limit - 1]}…"


@dataclass
class ActivityRow:
    """One checked row: what `services.activity_create` needs."""

    row: int
    organisation: Organisation
    participation_type: ParticipationType
    domains: list[Domain]
    themes: list[Theme]
    fields: dict[str, Any]


@dataclass
class ReadResult:
    rows: list[ActivityRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    fatal: bool = False  # the file as a whole could not be read; there are no row checks

    def fail(self, problem: RowProblem) -> ReadResult:
        self.problems.append(problem)
        self.fatal = True
        return self


class Lookups:
    """What rows refer to, of one municipality, read once: by name (any case) or by uid."""

    def __init__(self, municipality: Municipality) -> None:
        self.municipality = municipality
        organisations = list(Organisation.objects.filter(municipality=municipality))
        self.organisations = {o.name.strip().casefold(): o for o in organisations}
        self.organisations_by_uid = {str(o.uid): o for o in organisations}
        places = list(Place.objects.filter(municipality=municipality))
        self.places_by_uid = {str(p.uid): p for p in places}
        self.places: dict[str, list[Place]] = {}
        for place in places:
            self.places.setdefault(place.name.strip().casefold(), []).append(place)
        self.participation_types = {
            t.code.lower(): t for t in ParticipationType.objects.filter(municipality=municipality)
        }
        self.domains = {d.code.lower(): d for d in Domain.objects.filter(municipality=municipality)}
        self.themes = {t.code.lower(): t for t in Theme.objects.filter(municipality=municipality)}
        self.existing = {
            (organisation_id, title.strip().casefold(), start)
            for organisation_id, title, start in Activity.objects.filter(municipality=municipality).values_list(
                "organisation_id", "title", "dtstart"
            )
        }


def _choices_text(choices: Iterable[str]) -> str:
    return ", ".join(sorted(choices)) or _("(geen)")


class _Cells:
    """Typed values from one row, collecting a problem per bad cell."""

    def __init__(self, values: Mapping[str, str], row: int, problems: list[RowProblem]) -> None:
        self.values = values
        self.row = row
        self.problems = problems
        self.bad: set[str] = set()

    def problem(self, column: str, message: str) -> None:
        self.bad.add(column)
        self.problems.append(RowProblem(self.row, column, message, self.text(column)))

    def text(self, column: str) -> str:
        return (self.values.get(column) or "").strip()

    def required(self, column: str) -> str:
        value = self.text(column)
        if not value:
            self.problem(column, _("Dit moet je invullen."))
        return value

    def choice(self, column: str, choices: Iterable[str], default: str) -> str:
        value = self.text(column).lower()
        if not value:
            return default
        allowed = list(choices)
        if value not in allowed:
            self.problem(column, _("Dit is geen bekende code. Kies uit: %(codes)s.") % {"codes": ", ".join(allowed)})
            return default
        return value

    def boolean(self, column: str) -> bool:
        value = self.text(column).lower()
        if value in TRUE_WORDS:
            return True
        if value not in FALSE_WORDS:
            self.problem(column, _("Schrijf ja of nee (leeg is nee)."))
        return False

    def integer(self, column: str) -> int | None:
        value = self.text(column)
        if not value:
            return None
        if not _INTEGER.fullmatch(value):
            self.problem(column, _("Schrijf een heel getal van 0 of meer, zonder punt of komma."))
            return None
        return int(value)

    def date(self, column: str) -> dt.date | None:
        value = self.text(column)
        if not value:
            return None
        return self._date(column, value)

    def _date(self, column: str, value: str) -> dt.date | None:
        match = _DATE.fullmatch(value)
        try:
            if match is None:
                raise ValueError
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            self.problem(column, _("Dit is geen datum. Schrijf JJJJ-MM-DD, bijvoorbeeld 2025-09-02."))
            return None

    def dates(self, column: str) -> list[str]:
        days: set[dt.date] = set()
        for part in LIST_SEPARATOR.split(self.text(column)):
            if not part:
                continue
            try:
                if not _DATE.fullmatch(part):
                    raise ValueError
                days.add(dt.date.fromisoformat(part))
            except ValueError:
                self.problem(
                    column,
                    _("“%(part)s” is geen datum. Schrijf de data als JJJJ-MM-DD, gescheiden door |.") % {"part": part},
                )
                return []
        return [day.isoformat() for day in sorted(days)]

    def local_datetime(self, column: str) -> dt.datetime | None:
        value = self.required(column)
        if not value:
            return None
        match = _DATETIME.fullmatch(value)
        try:
            if match is None:
                raise ValueError
            year, month, day, hour, minute = (int(part) for part in match.groups())
            naive = dt.datetime(year, month, day, hour, minute)
        except ValueError:
            self.problem(
                column,
                _(
                    "Dit is geen datum met tijd. Schrijf JJJJ-MM-DD UU:MM (Nederlandse tijd), "
                    "bijvoorbeeld 2025-09-02 14:00."
                ),
            )
            return None
        local = naive.replace(tzinfo=AMSTERDAM)
        if local.astimezone(dt.UTC).astimezone(AMSTERDAM).replace(tzinfo=None) != naive:
            self.problem(column, _("Dit tijdstip bestaat niet: dan gaat de klok een uur vooruit (zomertijd)."))
            return None
        return local

    def euros_in_cents(self, column: str) -> int:
        value = self.text(column).replace("€", "").replace(" ", "")
        if not value:
            return 0
        if not _EUROS.fullmatch(value):
            self.problem(column, _("Schrijf een bedrag in euro's, zoals 0, 2,50 of 12.00."))
            return 0
        try:
            return int(Decimal(value.replace(",", ".")) * 100)
        except InvalidOperation:  # pragma: no cover - the pattern lets only numbers through
            self.problem(column, _("Schrijf een bedrag in euro's, zoals 0, 2,50 of 12.00."))
            return 0

    def codes(self, column: str, known: Mapping[str, Any], what: str) -> list[Any]:
        found: list[Any] = []
        unknown: list[str] = []
        for code in LIST_SEPARATOR.split(self.text(column)):
            if not code:
                continue
            entry = known.get(code.lower())
            if entry is None:
                unknown.append(code)
            elif entry not in found:
                found.append(entry)
        if unknown:
            self.problem(
                column,
                _("Onbekende %(what)s: %(unknown)s. Kies uit: %(codes)s.")
                % {"what": what, "unknown": ", ".join(unknown), "codes": _choices_text(known)},
            )
        return found


def _is_uid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _organisation(cells: _Cells, lookups: Lookups) -> Organisation | None:
    value = cells.required("organisation")
    if not value:
        return None
    if _is_uid(value):
        found = lookups.organisations_by_uid.get(str(uuid.UUID(value)))
    else:
        found = lookups.organisations.get(value.casefold())
    if found is None:
        cells.problem(
            "organisation",
            _(
                "Deze organisatie staat niet in Nabij voor deze gemeente. "
                "Gebruik de naam zoals die in Nabij staat, of de publieke id."
            ),
        )
    return found


def _place(cells: _Cells, lookups: Lookups, organisation: Organisation | None) -> Place | None:
    value = cells.text("place")
    if not value:
        return None  # online
    if _is_uid(value):
        found = lookups.places_by_uid.get(str(uuid.UUID(value)))
        if found is None:
            cells.problem("place", _("Er is geen plek met deze id in deze gemeente."))
        return found
    candidates = lookups.places.get(value.casefold(), [])
    if len(candidates) > 1 and organisation is not None:
        own = [place for place in candidates if place.organisation_id == organisation.pk]
        candidates = own or candidates
    if not candidates:
        cells.problem(
            "place",
            _(
                "Deze plek staat niet in Nabij voor deze gemeente. "
                "Voeg de plek eerst toe, of laat het leeg voor online."
            ),
        )
        return None
    if len(candidates) > 1:
        cells.problem(
            "place",
            _("Er zijn %(count)d plekken met deze naam. Gebruik de publieke id van de plek.")
            % {"count": len(candidates)},
        )
        return None
    return candidates[0]


def _model_problems(activity: Activity, cells: _Cells, error: ValidationError) -> None:
    """The model's errors, per column; a column that already has a problem keeps only that one."""
    for field_name, messages in error.message_dict.items():
        column = "" if field_name == NON_FIELD_ERRORS else COLUMN_OF_FIELD.get(field_name, "")
        if column in cells.bad:
            continue
        for message in messages:
            if column:
                cells.problem(column, message)
            else:
                cells.problems.append(RowProblem(cells.row, "", message))


def _check_row(
    values: Mapping[str, str], line: int, lookups: Lookups, problems: list[RowProblem]
) -> ActivityRow | None:
    cells = _Cells(values, line, problems)
    cells.required("title")
    organisation = _organisation(cells, lookups)
    place = _place(cells, lookups, organisation)
    participation_type = None
    if cells.required("participation_type"):
        types = cells.codes("participation_type", lookups.participation_types, _("soort deelname"))
        if len(types) > 1:
            cells.problem("participation_type", _("Kies één soort deelname."))
        elif types and "participation_type" not in cells.bad:
            participation_type = types[0]
    domains = cells.codes("domains", lookups.domains, _("domeinen"))
    themes = cells.codes("themes", lookups.themes, _("thema's"))
    start = cells.local_datetime("dtstart")
    minutes = cells.integer("duration_minutes")
    if minutes is not None and not 0 < minutes <= MAX_DURATION_MINUTES:
        cells.problem(
            "duration_minutes",
            _("De duur is in minuten, meer dan 0 en hoogstens %(max)d (een week).") % {"max": MAX_DURATION_MINUTES},
        )
    fields: dict[str, Any] = {
        "title": cells.text("title"),
        "place": place,
        "description": cells.text("description"),
        "what_to_expect": cells.text("what_to_expect"),
        "who_welcomes_you": cells.text("who_welcomes_you"),
        "action_perspective": cells.choice("action_perspective", ActionPerspective.values, ""),
        "dtstart": start,
        "duration": dt.timedelta(minutes=minutes or DEFAULT_DURATION_MINUTES),
        "rrule": cells.text("rrule"),
        "exdates": cells.dates("exdates"),
        "active_from": cells.date("active_from"),
        "active_until": cells.date("active_until"),
        "capacity": cells.integer("capacity"),
        "expected_group_size": cells.integer("expected_group_size"),
        "cost_cents": cells.euros_in_cents("cost"),
        "has_free_option": cells.boolean("has_free_option"),
        "registration_required": cells.boolean("registration_required"),
        "sign_up_channel": cells.choice("sign_up_channel", SignUpChannel.values, SignUpChannel.IN_PERSON),
        "commitment": cells.choice("commitment", Commitment.values, Commitment.DROP_IN),
        "level_required": cells.boolean("level_required"),
        "dutch_language_required": cells.boolean("dutch_language_required"),
        "contact_email": cells.text("contact_email"),
        "contact_phone": cells.text("contact_phone"),
        "status": cells.choice("status", ActivityStatus.values, ActivityStatus.DRAFT),
    }
    # The model's own checks (lengths, RRULE, e-mail, dates in order), on what could be read.
    activity = Activity(municipality=lookups.municipality, **fields)
    if organisation is not None:
        activity.organisation = organisation
    if participation_type is not None:
        activity.participation_type = participation_type
    exclude = [name for name, column in COLUMN_OF_FIELD.items() if column in cells.bad]
    unread = {"organisation": organisation, "participation_type": participation_type, "dtstart": start}
    exclude += [name for name, value in unread.items() if value is None]
    try:
        activity.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        _model_problems(activity, cells, error)
    if cells.bad or organisation is None or participation_type is None or start is None:
        return None
    return ActivityRow(
        row=line,
        organisation=organisation,
        participation_type=participation_type,
        domains=domains,
        themes=themes,
        fields=fields,
    )


def _decode(data: bytes) -> str | None:
    try:
        # utf-8-sig also reads files without a byte-order mark.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _delimiter(header_line: str) -> str:
    """`;` (Dutch Excel) or `,`, whichever splits the header line; the header holds only names."""
    try:
        return csv.Sniffer().sniff(header_line, delimiters=";,").delimiter
    except csv.Error:
        return ";" if header_line.count(";") >= header_line.count(",") else ","


def read_activities_csv(data: bytes, *, municipality: Municipality, progress: Progress | None = None) -> ReadResult:
    """Check a whole file. Rows are returned only for a file without any problem."""
    progress = progress or NullProgress()
    result = ReadResult()
    text = _decode(data)
    if text is None:
        return result.fail(
            RowProblem(
                None,
                "",
                _(
                    "Het bestand is geen UTF-8. Sla het in Excel op als “CSV UTF-8 (door komma's gescheiden)”, "
                    "of exporteer het opnieuw in UTF-8."
                ),
            )
        )
    if "\x00" in text:
        return result.fail(RowProblem(None, "", _("Dit is geen CSV-bestand. Sla het op als CSV UTF-8.")))
    header_line = text.lstrip("\r\n").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(header_line))
    try:
        header = next(reader)
    except StopIteration:
        return result.fail(RowProblem(None, "", _("Het bestand is leeg.")))
    columns = [name.strip().lower() for name in header]
    file_problems: list[str] = []
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        file_problems.append(
            _("Deze verplichte kolommen ontbreken: %(missing)s. Gebruik ; of , als scheidingsteken.")
            % {"missing": ", ".join(missing)}
        )
    unknown = [name for name in columns if name and name not in COLUMN_NAMES]
    if unknown:
        file_problems.append(
            _("Deze kolommen kent Nabij niet: %(unknown)s. Controleer de spelling (zie de handleiding).")
            % {"unknown": ", ".join(unknown)}
        )
    duplicates = sorted({name for name in columns if name and columns.count(name) > 1})
    if duplicates:
        file_problems.append(
            _("Deze kolommen staan er twee keer in: %(columns)s.") % {"columns": ", ".join(duplicates)}
        )
    if file_problems:
        result.fatal = True
        result.problems += [RowProblem(1, "", message) for message in file_problems]
        return result

    # Number rows by the line they start on, as a text editor shows it: a quoted value may span lines.
    rows: list[tuple[int, list[str]]] = []
    previous_line = reader.line_num
    for cells in reader:
        rows.append((previous_line + 1, cells))
        previous_line = reader.line_num
    rows = [(line, cells) for line, cells in rows if any(cell.strip() for cell in cells)]
    if not rows:
        return result.fail(RowProblem(None, "", _("Er staan geen activiteiten in het bestand, alleen de kopregel.")))
    if len(rows) > MAX_ROWS:
        return result.fail(
            RowProblem(
                None,
                "",
                _("Het bestand heeft %(count)d activiteiten; lees er hoogstens %(max)d tegelijk in.")
                % {"count": len(rows), "max": MAX_ROWS},
            )
        )

    lookups = Lookups(municipality)
    seen: dict[tuple[int, str, dt.datetime], int] = {}
    progress.start(len(rows), _("Regels controleren"))
    for line, cells in rows:
        progress.advance()
        if len(cells) != len(columns):
            result.problems.append(
                RowProblem(
                    line,
                    "",
                    _(
                        "Deze regel heeft %(found)d waarden, de kopregel %(expected)d kolommen. "
                        "Staat er een scheidingsteken in een tekst zonder aanhalingstekens?"
                    )
                    % {"found": len(cells), "expected": len(columns)},
                )
            )
            continue
        checked = _check_row(dict(zip(columns, cells, strict=True)), line, lookups, result.problems)
        if checked is None:
            continue
        key = (checked.organisation.pk, checked.fields["title"].casefold(), checked.fields["dtstart"])
        if key in lookups.existing:
            result.problems.append(
                RowProblem(
                    line,
                    "title",
                    _("Deze activiteit staat al in Nabij: dezelfde organisatie, titel en eerste keer."),
                    checked.fields["title"],
                )
            )
        elif key in seen:
            result.problems.append(
                RowProblem(
                    line,
                    "title",
                    _("Deze activiteit staat al op regel %(line)d: dezelfde organisatie, titel en eerste keer.")
                    % {"line": seen[key]},
                    checked.fields["title"],
                )
            )
        else:
            seen[key] = line
            result.rows.append(checked)
    if result.problems:
        result.rows = []
    return result
