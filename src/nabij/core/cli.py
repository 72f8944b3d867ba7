"""What the management commands share: the `--municipality` option and reading an input file, with the
same Dutch messages in every command."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from nabij.core import cbs
from nabij.core.models import Municipality


def municipality_option(text: str | None) -> Municipality:
    """The municipality a `--municipality GM0599` option names, or a CommandError that says what is wrong."""
    code = str(text or "").strip().upper()
    if not cbs.MUNICIPALITY_CODE.fullmatch(code):
        raise CommandError(f"Gemeentecode {code or '(leeg)'} klopt niet: gebruik GM en 4 cijfers, bijvoorbeeld GM0599.")
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        raise CommandError(f"Gemeente {code} staat niet in Nabij. Lees eerst de gebieden in (import_areas).")
    return municipality


def read_input(path: Path) -> bytes:
    """The whole input file, or a CommandError in Dutch (missing file, no permission, a directory...)."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CommandError(f"Het bestand {path} kan niet worden gelezen: {exc.strerror or exc}") from exc
