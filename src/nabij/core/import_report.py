"""What every import (areas, activities, HSDS) shares: the all-or-nothing error and the counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

# Where in a file a problem is: stored in Dutch in a task's result, translated when shown.
UNITS = (gettext_noop("regel"), gettext_noop("object"))


def unit_label(unit: str) -> str:
    """'regel' (a CSV line) or 'object' (a GeoJSON feature) in the reader's language."""
    return _(unit) if unit in UNITS else unit


# The exception's message names at most this many problems; `report()` can give them all.
REPORT_LIMIT = 50


class ImportFailed(Exception):
    """The input has problems; nothing was written. `problems` lists them, in file order where
    they have a row number (problems about the whole file first)."""

    # Problems of one file are sorted by row; an import of several files keeps the order found.
    sort_by_row: ClassVar[bool] = True

    def __init__(self, problems: Iterable[Any]) -> None:
        self.problems = list(problems)
        if self.sort_by_row:
            self.problems.sort(key=lambda p: (getattr(p, "row", None) is not None, getattr(p, "row", None) or 0))
        super().__init__(self.report(limit=REPORT_LIMIT))

    def headline(self, count: int) -> str:
        return ngettext(
            "Het bestand heeft %(count)d fout; er is niets opgeslagen.",
            "Het bestand heeft %(count)d fouten; er is niets opgeslagen.",
            count,
        ) % {"count": count}

    def report(self, limit: int | None = None) -> str:
        count = len(self.problems)
        shown = self.problems if limit is None else self.problems[:limit]
        lines = [self.headline(count), *(f"- {problem}" for problem in shown)]
        if len(shown) < count:
            lines.append(_("… en nog %(count)d.") % {"count": count - len(shown)})
        return "\n".join(lines)


@dataclass
class RecordCounts:
    """Per kind of record: how many an import created, changed, and left as they were."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def count(self, *, created: bool, changed: bool) -> None:
        if created:
            self.created += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1
