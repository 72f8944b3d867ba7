"""The vendored HSDS 3.0 JSON schemas: loading, offline `$ref` resolution and Dutch error messages.

The modular schemas (`schema/*.json`) refer to each other by file name (`"$ref": "taxonomy_term.json"`).
They are registered in a `referencing.Registry` under the specification's own base URI, so every
reference resolves from the package and nothing is fetched. The compiled schemas
(`schema/compiled/service.json`, `organization.json`) have every reference inlined.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).parent / "schema"
# Where the schemas are published; only an identifier here, never fetched.
BASE_URI = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"

# Every table (object) of HSDS 3.0, by its schema name.
TABLES = (
    "organization",
    "service",
    "location",
    "service_at_location",
    "address",
    "accessibility",
    "phone",
    "schedule",
    "cost_option",
    "attribute",
    "taxonomy",
    "taxonomy_term",
    "contact",
    "language",
    "funding",
    "program",
    "service_area",
    "required_document",
    "organization_identifier",
    "metadata",
    "meta_table_description",
)
COMPILED = ("service", "organization")


@functools.cache
def schema(table: str) -> dict[str, Any]:
    """The modular schema of `table` (e.g. `service`)."""
    if table not in TABLES:
        raise KeyError(table)
    return json.loads((SCHEMA_DIR / f"{table}.json").read_text(encoding="utf-8"))


def properties(table: str) -> dict[str, dict[str, Any]]:
    return schema(table)["properties"]


@functools.cache
def registry() -> Registry[Any]:
    resources = [(BASE_URI + f"{table}.json", DRAFT202012.create_resource(schema(table))) for table in TABLES]
    return Registry().with_resources(resources).crawl()


@functools.cache
def validator(table: str) -> Draft202012Validator:
    """A validator for one record of `table`, against the modular schemas (references resolved offline)."""
    if table not in TABLES:
        raise KeyError(table)
    return Draft202012Validator(
        {"$ref": BASE_URI + f"{table}.json"},
        registry=registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


@functools.cache
def compiled_validator(name: str) -> Draft202012Validator:
    """A validator against a compiled schema: `service` or `organization`."""
    if name not in COMPILED:
        raise KeyError(name)
    compiled = json.loads((SCHEMA_DIR / "compiled" / f"{name}.json").read_text(encoding="utf-8"))
    return Draft202012Validator(compiled, format_checker=Draft202012Validator.FORMAT_CHECKER)


@dataclass(frozen=True)
class SchemaProblem:
    """One schema violation: where in the record (`path`), which field, and why (Dutch)."""

    path: str  # e.g. "schedules[0].freq"; "" for the record itself
    field: str
    message: str


def check(table: str, record: Any, *, compiled: bool = False) -> list[SchemaProblem]:
    """Every violation of `record` against the schema of `table`, in a stable order."""
    checker = compiled_validator(table) if compiled else validator(table)
    errors = sorted(checker.iter_errors(record), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    return [describe(error) for error in errors]


def format_path(parts: Any) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


REQUIRED = re.compile(r"^'(?P<name>.+)' is a required property$")
TYPE_NAMES = {
    "string": gettext_noop("tekst"),
    "number": gettext_noop("een getal"),
    "integer": gettext_noop("een geheel getal"),
    "object": gettext_noop("een object"),
    "array": gettext_noop("een lijst"),
    "boolean": gettext_noop("true of false"),
    "null": gettext_noop("leeg (null)"),
}
FORMAT_PHRASES = {
    "uuid": gettext_noop("geen geldige UUID (zoals ac148810-d857-441c-9679-408f346de14b)"),
    "email": gettext_noop("geen geldig e-mailadres"),
    "date-time": gettext_noop("geen geldige datum en tijd (ISO 8601, zoals 2025-03-15T10:30:00Z)"),
    "date": gettext_noop("geen geldige datum (JJJJ-MM-DD)"),
    "time": gettext_noop("geen geldige tijd (UU:MM:SS)"),
    "uri": gettext_noop("geen geldige URI"),
}


def _kind(value: Any) -> str:
    if value is None:
        return _(TYPE_NAMES["null"])
    if isinstance(value, bool):
        return _(TYPE_NAMES["boolean"])
    if isinstance(value, int | float):
        return _(TYPE_NAMES["number"])
    if isinstance(value, str):
        return _(TYPE_NAMES["string"])
    if isinstance(value, list):
        return _(TYPE_NAMES["array"])
    return _(TYPE_NAMES["object"])


def describe(error: ValidationError) -> SchemaProblem:
    """A jsonschema error as a short Dutch sentence, with the field it is about."""
    parts = list(error.absolute_path)
    if error.validator == "required":
        match = REQUIRED.match(error.message)
        name = match.group("name") if match else ""
        return SchemaProblem(format_path([*parts, name]), name, _("Dit veld is verplicht en ontbreekt."))
    field = str(parts[-1]) if parts and not isinstance(parts[-1], int) else (str(parts[-2]) if len(parts) > 1 else "")
    path = format_path(parts)
    if error.validator == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        wanted = _(" of ").join(_(TYPE_NAMES[str(t)]) if str(t) in TYPE_NAMES else str(t) for t in expected)
        message = _("Dit moet %(wanted)s zijn, maar het is %(actual)s.") % {
            "wanted": wanted,
            "actual": _kind(error.instance),
        }
    elif error.validator == "enum":
        message = _("De waarde %(value)s is niet toegestaan. Kies uit: %(choices)s.") % {
            "value": json.dumps(error.instance, ensure_ascii=False),
            "choices": ", ".join(json.dumps(c, ensure_ascii=False) for c in error.validator_value),
        }
    elif error.validator == "format":
        phrase = FORMAT_PHRASES.get(str(error.validator_value), "")
        message = _("De waarde %(value)s is %(phrase)s.") % {
            "value": json.dumps(error.instance, ensure_ascii=False),
            "phrase": _(phrase) if phrase else _("niet in de vorm %(format)s") % {"format": error.validator_value},
        }
    else:
        message = _("Dit voldoet niet aan het HSDS-schema (%(rule)s): %(detail)s") % {
            "rule": error.validator,
            "detail": error.message,
        }
    return SchemaProblem(path, field, message)
