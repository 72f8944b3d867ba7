"""The options every management command shares: one way to name a municipality, one way to read a file."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management.base import CommandError

from nabij.core.cli import municipality_option, read_input
from nabij.testing.personas import Personas

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("GM1", "Gemeentecode GM1 klopt niet: gebruik GM en 4 cijfers, bijvoorbeeld GM0599."),
        ("0599", "Gemeentecode 0599 klopt niet"),
        ("", "Gemeentecode (leeg) klopt niet"),
        (None, "Gemeentecode (leeg) klopt niet"),
        ("GM0999", "Gemeente GM0999 staat niet in Nabij. Lees eerst de gebieden in (import_areas)."),
    ],
)
def test_a_bad_municipality_is_named_in_dutch(text: str | None, message: str) -> None:
    with pytest.raises(CommandError) as error:
        municipality_option(text)
    assert str(error.value).startswith(message)


def test_a_municipality_by_its_code_in_any_case_and_spacing(personas: Personas) -> None:
    code = personas.municipality_a.code
    assert municipality_option(code) == personas.municipality_a
    assert municipality_option(f"  {code.lower()} ") == personas.municipality_a
    # The other municipality is never returned for this code.
    assert municipality_option(code) != personas.municipality_b


def test_read_input(tmp_path: Path) -> None:
    path = tmp_path / "rijen.csv"
    path.write_bytes(b"a;b\n1;2\n")
    assert read_input(path) == b"a;b\n1;2\n"
    with pytest.raises(CommandError, match=r"Het bestand .*weg\.csv kan niet worden gelezen"):
        read_input(tmp_path / "weg.csv")
    with pytest.raises(CommandError, match="kan niet worden gelezen"):
        read_input(tmp_path)
