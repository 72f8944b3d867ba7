"""Dutch first, English second: every string in the English catalogues has a translation."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "nabij"
CATALOGUES = sorted(PACKAGE.glob("**/locale/en/LC_MESSAGES/django.po"))


def _entries(path: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) per entry; the header (empty msgid) is left out."""
    entries: list[tuple[str, str, bool]] = []
    msgid = msgstr = ""
    fuzzy = False
    field = None
    for line in [*path.read_text().splitlines(), ""]:
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid "):
            msgid, field = ast.literal_eval(line[6:]), "id"
        elif line.startswith("msgstr "):
            msgstr, field = ast.literal_eval(line[7:]), "str"
        elif line.startswith('"') and field:
            if field == "id":
                msgid += ast.literal_eval(line)
            else:
                msgstr += ast.literal_eval(line)
        elif not line.strip():
            if field == "str" and msgid:
                entries.append((msgid, msgstr, fuzzy))
            msgid = msgstr = ""
            fuzzy, field = False, None
    return entries


def test_there_are_catalogues() -> None:
    assert PACKAGE / "locale/en/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_string_is_translated(path: Path) -> None:
    entries = _entries(path)
    assert entries
    missing = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert not missing, f"untranslated or fuzzy in {path.name}: {missing[:5]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_compiled_catalogue_ships_beside_its_source(path: Path) -> None:
    mo = path.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run python scripts/messages.py --compile"
    assert mo.stat().st_size > 0


def test_reader_sees_untranslated_fuzzy_and_multiline_entries(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Ja"\nmsgstr "Yes"\n\n'
        'msgid "Nee"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Misschien"\nmsgstr "Maybe"\n\n'
        'msgid ""\n"Een lange "\n"zin"\nmsgstr ""\n"A long "\n"sentence"\n'
    )
    assert _entries(po) == [
        ("Ja", "Yes", False),
        ("Nee", "", False),
        ("Misschien", "Maybe", True),
        ("Een lange zin", "A long sentence", False),
    ]
