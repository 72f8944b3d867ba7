"""Helpers for the HSDS tests: reading an export back, and checking it against the schemas."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command

from nabij.core.models import Municipality
from nabij.socialmap.hsds import schemas
from nabij.socialmap.hsds.export import FILES
from nabij.socialmap.services import barrier_create
from nabij.testing.factories import ThemeFactory

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "hsds" / "examples"
EXAMPLES = sorted(p.name for p in FIXTURES.glob("*.json"))
TABLE_OF = dict(FILES)
FILE_OF = {name: table for table, name in FILES}


def read_export(directory: Path) -> dict[str, list[dict[str, Any]]]:
    return {name: json.loads((directory / name).read_text(encoding="utf-8")) for _table, name in FILES}


def export(municipality: Municipality, directory: Path, *extra: str) -> dict[str, list[dict[str, Any]]]:
    call_command("export_hsds", "--municipality", municipality.code, "--out", str(directory), *extra, stdout=StringIO())
    return read_export(directory)


def by_id(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in records}


def codes_of(files: dict[str, list[dict[str, Any]]], owner: str, taxonomy: str) -> list[str]:
    """The term codes (or fact values) attached to `owner` from `taxonomy`, worked out via the term file."""
    terms = {t["id"]: t for t in files["taxonomy_terms.json"]}
    return sorted(
        terms[a["taxonomy_term_id"]]["code"]
        for a in files["attributes.json"]
        if a["link_id"] == owner and terms[a["taxonomy_term_id"]]["taxonomy"] == taxonomy
    )


def facts_of(files: dict[str, list[dict[str, Any]]], owner: str) -> dict[str, list[str]]:
    terms = {t["id"]: t for t in files["taxonomy_terms.json"]}
    found: dict[str, list[str]] = {}
    for a in files["attributes.json"]:
        term = terms[a["taxonomy_term_id"]]
        if a["link_id"] == owner and term["taxonomy"] == "nabij-facts":
            found.setdefault(term["code"], []).append(a["value"])
    return {code: sorted(values) for code, values in found.items()}


def schema_errors(files: dict[str, list[dict[str, Any]]]) -> list[str]:
    errors = []
    for name, records in files.items():
        table = FILE_OF[name]
        for record in records:
            for problem in schemas.check(table, record):
                errors.append(f"{name} {record.get('id')} {problem.path}: {problem.message}")
            if table in schemas.COMPILED:
                for problem in schemas.check(table, record, compiled=True):
                    errors.append(f"{name} (compiled) {record.get('id')} {problem.path}: {problem.message}")
    return errors


def own_catalogue(municipality: Municipality) -> None:
    """The municipality's own barrier and theme; B needs them too to take A's data in."""
    barrier_create(
        actor=None, municipality=municipality, code="trap", label_nl="Er is een trap", label_en="There are stairs"
    )
    ThemeFactory.create(municipality=municipality, code="tuin", label_nl="Tuin", label_en="Garden")
