"""Reading an HSDS 3.0 directory into flat tables, with every problem named by file, record and field.

Accepted, in one directory (file names decide the table; `_full`, `_list` and `_package` are ignored,
singular or plural): Nabij's own layout (one JSON array per table, `services.json`), the API shapes of
other publishers (one object, a page with `contents`, or an array; objects may nest others, as in
`service_full.json`), `tabular.json` (an object of tables), and the tabular CSV files (`services.csv`).
Nested objects are taken apart into their own tables; the nesting gives the link (a schedule inside a
service belongs to that service). Every record is checked against its modular schema before it is used.
The same record (table and id) may occur more than once: the first occurrence (by file name, then
position) counts, and where a later one differs that is noted.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from nabij.socialmap.hsds import schemas
from nabij.socialmap.hsds.mapping import canonical_id


@dataclass(frozen=True)
class Problem:
    """Something wrong in the input: which file, which record, which field, and what (Dutch)."""

    file: str
    record: str = ""  # "record 3 (id …)", "regel 4", "service_at_locations[0].location (id …)"
    field: str = ""
    message: str = ""

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.file, self.record) if part)
        if self.field:
            where += ", " + _("veld %(field)s") % {"field": self.field}
        return f"{where}: {self.message}"


def _table_aliases() -> dict[str, str]:
    aliases: dict[str, str] = {}
    for table in schemas.TABLES:
        aliases[table] = table
        path = str(schemas.schema(table).get("path", ""))
        if path:
            aliases[path.rsplit(".", 1)[0]] = table
        aliases[table + "s"] = table
    aliases["service_at_locations"] = "service_at_location"
    aliases["taxonomies"] = "taxonomy"
    aliases["addresses"] = "address"
    return aliases


TABLE_ALIASES = _table_aliases()
SUFFIXES = ("_full", "_list", "_package")
# Nested single objects and lists that only the compiled schemas (the API shapes) have.
EXTRA_NESTING = {("organization", "services"): "service", ("service_at_location", "service"): "service"}


def table_for(stem: str) -> str | None:
    name = stem.lower()
    for suffix in SUFFIXES:
        name = name.removesuffix(suffix)
    return TABLE_ALIASES.get(name)


def _ref_table(spec: dict[str, Any]) -> str | None:
    ref = spec.get("$ref") or (spec.get("items") or {}).get("$ref")
    return str(ref).removesuffix(".json") if ref else None


def nesting(table: str) -> dict[str, tuple[str, bool]]:
    """Nested properties of `table`: name -> (child table, is a list)."""
    found: dict[str, tuple[str, bool]] = {}
    for name, spec in schemas.properties(table).items():
        child = _ref_table(spec)
        if child in schemas.TABLES:
            found[name] = (child, spec.get("type") == "array")
    for (parent, name), child in EXTRA_NESTING.items():
        if parent == table:
            found[name] = (child, name == "services")
    return found


@dataclass
class Record:
    """One record of a table, taken out of its nesting. `links` come from the nesting: (field, id)."""

    table: str
    id: str
    data: dict[str, Any]
    file: str
    where: str
    links: list[tuple[str, str]] = field(default_factory=list)

    def ref(self, name: str) -> str | None:
        """The id this record points to by `name` (e.g. organization_id): the nesting's first, else its own."""
        for key, value in self.links:
            if key == name:
                return value
        return canonical_id(self.data.get(name))

    def refs(self, name: str) -> list[str]:
        """Every id this record points to by `name`, from the nesting and from its own field."""
        found = [value for key, value in self.links if key == name]
        own = canonical_id(self.data.get(name))
        if own and own not in found:
            found.append(own)
        return found

    @property
    def label(self) -> str:
        return f"{self.where} (id {self.id})" if self.where else f"id {self.id}"


@dataclass
class Dataset:
    tables: dict[str, dict[str, Record]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    # Records given more than once, not alike: (table, id) -> the fields that differ.
    conflicts: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    _indexes: dict[tuple[str, str], dict[str, list[Record]]] = field(default_factory=dict, repr=False)

    def records(self, table: str) -> list[Record]:
        return list(self.tables.get(table, {}).values())

    def linked(self, table: str, name: str, record_id: str) -> list[Record]:
        """Records of `table` that point to `record_id` by `name` (e.g. schedules by service_id)."""
        key = (table, name)
        if key not in self._indexes:
            index: dict[str, list[Record]] = {}
            for record in self.records(table):
                for target in record.refs(name):
                    index.setdefault(target, []).append(record)
            self._indexes[key] = index
        return self._indexes[key].get(record_id, [])

    def get(self, table: str, record_id: str | None) -> Record | None:
        return self.tables.get(table, {}).get(record_id) if record_id else None

    def add(self, record: Record) -> None:
        rows = self.tables.setdefault(record.table, {})
        existing = rows.get(record.id)
        if existing is None:
            rows[record.id] = record
            return
        for key, value in record.data.items():
            differs = key in existing.data and existing.data[key] != value
            if differs and not key.endswith("_id") and key not in ("link_entity", "link_type"):
                self.conflicts.setdefault((record.table, record.id), set()).add(key)
            existing.data.setdefault(key, value)
        existing.links += [link for link in record.links if link not in existing.links]


def read_directory(directory: Path) -> Dataset:
    dataset = Dataset()
    paths = sorted(p for p in directory.iterdir() if p.is_file() and p.suffix.lower() in (".json", ".csv"))
    if not paths:
        dataset.problems.append(
            Problem(str(directory), message=_("In deze map staan geen HSDS-bestanden (.json of .csv)."))
        )
    for path in paths:
        dataset.files.append(path.name)
        _read_file(dataset, path)
    for (table, record_id), names in dataset.conflicts.items():
        # Publishers repeat records in nested documents, not always alike: the first one counts.
        first = dataset.tables[table][record_id]
        dataset.notes.append(
            f"{first.file}, {first.label}: "
            + _("deze %(table)s staat er vaker in, niet overal gelijk (%(fields)s); deze eerste is gebruikt.")
            % {"table": table, "fields": ", ".join(sorted(names))}
        )
    return dataset


def _read_file(dataset: Dataset, path: Path) -> None:
    name = path.name
    if path.stem.lower() == "datapackage":
        dataset.notes.append(_("%(file)s is beschrijving van het datapakket en niet gelezen.") % {"file": name})
        return
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        dataset.problems.append(Problem(name, message=_("Het bestand is geen UTF-8-tekst.")))
        return
    except OSError as error:
        dataset.problems.append(Problem(name, message=_("Het bestand kan niet worden gelezen: %(e)s") % {"e": error}))
        return
    if path.suffix.lower() == ".csv":
        table = table_for(path.stem)
        if table is None:
            dataset.problems.append(Problem(name, message=_unknown_file()))
            return
        for number, row in _csv_rows(table, text):
            _take(dataset, table, row, name, _("regel %(n)d") % {"n": number})
        return
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        dataset.problems.append(
            Problem(
                name,
                _("regel %(line)d, kolom %(col)d") % {"line": error.lineno, "col": error.colno},
                message=_("Dit is geen geldige JSON: %(reason)s.") % {"reason": _json_reason(error.msg)},
            )
        )
        return
    stem = path.stem.lower()
    if stem == "base":
        version = str(document.get("version", "")) if isinstance(document, dict) else ""
        if version and not version.startswith("3."):
            dataset.problems.append(
                Problem(name, field="version", message=_("Dit is HSDS %(v)s; Nabij leest HSDS 3.") % {"v": version})
            )
        return
    if stem == "tabular":
        if not isinstance(document, dict):
            dataset.problems.append(Problem(name, message=_("Verwacht een object met een lijst per tabel.")))
            return
        for key, rows in document.items():
            table = table_for(str(key).rsplit(".", 1)[0])
            if table is None or not isinstance(rows, list):
                dataset.problems.append(Problem(name, str(key), message=_("Onbekende tabel, of geen lijst.")))
                continue
            for index, row in enumerate(rows):
                _take(dataset, table, row, name, f"{key}[{index}]")
        return
    table = table_for(path.stem)
    if table is None:
        dataset.problems.append(Problem(name, message=_unknown_file()))
        return
    for where, item in _items(document):
        _take(dataset, table, item, name, where)


JSON_REASONS = {
    "Expecting property name enclosed in double quotes": gettext_noop(
        "hier hoort een veldnaam tussen dubbele aanhalingstekens (staat er een komma te veel?)"
    ),
    "Expecting value": gettext_noop("hier hoort een waarde"),
    "Expecting ',' delimiter": gettext_noop("hier ontbreekt een komma"),
    "Expecting ':' delimiter": gettext_noop("hier ontbreekt een dubbele punt"),
    "Extra data": gettext_noop("na het einde staat nog meer"),
    "Unterminated string starting at": gettext_noop("een tekst zonder sluitend aanhalingsteken"),
    "Invalid control character at": gettext_noop("een teken dat niet in JSON-tekst mag"),
}


def _json_reason(reason: str) -> str:
    return _(JSON_REASONS[reason]) if reason in JSON_REASONS else reason


def _unknown_file() -> str:
    return _(
        "Onbekend bestand: de naam zegt niet welke HSDS-tabel erin staat. "
        "Noem het naar de tabel, zoals services.json, locations.json of schedules.csv."
    )


def _items(document: Any) -> Iterator[tuple[str, Any]]:
    """Records of a document: an array, a page (`contents`) or one object."""
    if isinstance(document, list):
        for index, item in enumerate(document):
            yield _("record %(n)d") % {"n": index + 1}, item
    elif isinstance(document, dict) and isinstance(document.get("contents"), list):
        for index, item in enumerate(document["contents"]):
            yield f"contents[{index}]", item
    else:
        yield "", document


def _csv_rows(table: str, text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    spec = schemas.properties(table)
    reader = csv.DictReader(io.StringIO(text))
    for row in reader:
        record: dict[str, Any] = {}
        for key, value in row.items():
            if key is None or value is None or value == "":
                continue
            if spec.get(key, {}).get("type") == "number":
                try:
                    number = float(value)
                    record[key] = int(number) if number.is_integer() and "." not in value else number
                except ValueError:
                    record[key] = value  # the schema check reports it
            else:
                record[key] = value
        yield reader.line_num, record


def _take(dataset: Dataset, table: str, item: Any, file: str, where: str) -> None:
    for record in _flatten(dataset, table, item, file, where, []):
        dataset.add(record)


def _flatten(
    dataset: Dataset, table: str, item: Any, file: str, where: str, links: list[tuple[str, str]]
) -> Iterator[Record]:
    """The record and every record nested in it, each checked against its own schema."""
    if not isinstance(item, dict):
        problems = schemas.check(table, item)
        for problem in problems[:1]:
            dataset.problems.append(Problem(file, where, problem.field, problem.message))
        return
    own = dict(item)
    record_id = canonical_id(item.get("id"))
    children: list[tuple[str, str, Any, list[tuple[str, str]]]] = []
    for name, (child, many) in nesting(table).items():
        value = own.get(name)
        if many and isinstance(value, list):
            del own[name]
            link = [(f"{table}_id", record_id)] if record_id else []
            children += [(child, f"{name}[{i}]", v, link) for i, v in enumerate(value)]
        elif not many and isinstance(value, dict):
            del own[name]
            child_id = canonical_id(value.get("id"))
            if child_id:
                links = [*links, (f"{child}_id", child_id)]
            children.append((child, name, value, []))
    _numbers_as_text(dataset, table, own, file, _label(where, record_id))
    for problem in schemas.check(table, own):
        dataset.problems.append(Problem(file, _label(where, record_id), problem.path or problem.field, problem.message))
    if record_id:
        explicit = []
        if table == "attribute" and own.get("link_entity") and canonical_id(own.get("link_id")):
            explicit.append((f"{own['link_entity']}_id", str(canonical_id(own["link_id"]))))
        yield Record(table, record_id, own, file, where, [*links, *explicit])
    for child, path, value, link in children:
        yield from _flatten(dataset, child, value, file, _join(where, path), link)


def _numbers_as_text(dataset: Dataset, table: str, record: dict[str, Any], file: str, label: str) -> None:
    """A number where HSDS wants text (a UPRN, a company number) is read as that text, with a note.

    The tabular form of HSDS is CSV, where everything is text; some publishers (and the official
    `tabular.json` example) write such identifiers as JSON numbers.
    """
    spec = schemas.properties(table)
    for key, value in record.items():
        if spec.get(key, {}).get("type") == "string" and isinstance(value, int | float) and not isinstance(value, bool):
            record[key] = str(value)
            dataset.notes.append(
                f"{file}, {label}: " + _("%(field)s is een getal en is als tekst gelezen.") % {"field": key}
            )


def _join(where: str, path: str) -> str:
    return f"{where} > {path}" if where else path


def _label(where: str, record_id: str | None) -> str:
    if record_id:
        return f"{where} (id {record_id})" if where else f"id {record_id}"
    return where
