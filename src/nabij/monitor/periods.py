"""Monitor periods: a year (2026), a quarter (2026-Q3) or a month (2026-07)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:Q(?P<quarter>[1-4])|(?P<month>0[1-9]|1[0-2])))?$")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    code: str

    @property
    def kind(self) -> str:
        if "Q" in self.code:
            return "quarter"
        return "month" if "-" in self.code else "year"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same kind just before this one (for retention, inflow and outflow)."""
        year = self.start.year
        if self.kind == "year":
            return parse_period(str(year - 1))
        if self.kind == "quarter":
            quarter = (self.start.month - 1) // 3 + 1
            return parse_period(f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}")
        month = self.start.month
        return parse_period(f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}")

    def __str__(self) -> str:
        return self.code


def parse_period(text: str) -> Period:
    """`2026`, `2026-Q3` or `2026-07`; anything else is a PeriodError with a Dutch message."""
    match = _PATTERN.match((text or "").strip().upper())
    if not match:
        raise PeriodError(
            _("'%(text)s' is geen periode. Gebruik een jaar (2026), een kwartaal (2026-Q3) of een maand (2026-07).")
            % {"text": text}
        )
    year = int(match["year"])
    if year < 2000 or year > 2100:
        raise PeriodError(_("Het jaar %(year)s valt buiten 2000-2100.") % {"year": year})
    if match["quarter"]:
        quarter = int(match["quarter"])
        start = dt.date(year, 3 * quarter - 2, 1)
        end = _month_end(year, 3 * quarter)
        return Period(start, end, f"{year}-Q{quarter}")
    if match["month"]:
        month = int(match["month"])
        return Period(dt.date(year, month, 1), _month_end(year, month), f"{year}-{month:02d}")
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year))


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return first_next - dt.timedelta(days=1)


def sub_periods(period: Period) -> list[Period]:
    """The periods a reader adds up to this one: a year's quarters, a quarter's months; none for a month."""
    year = period.start.year
    if period.kind == "year":
        return [parse_period(f"{year}-Q{quarter}") for quarter in range(1, 5)]
    if period.kind == "quarter":
        return [parse_period(f"{year}-{month:02d}") for month in range(period.start.month, period.start.month + 3)]
    return []


def year_family(year: int) -> list[Period]:
    """The year, its quarters and its months: the periods whose snapshots a reader can add up."""
    periods = [parse_period(str(year))]
    periods += sub_periods(periods[0])
    for quarter in periods[1:5]:
        periods += sub_periods(quarter)
    return periods


def period_of(day: dt.date, kind: str = "quarter") -> Period:
    if kind == "year":
        return parse_period(str(day.year))
    if kind == "month":
        return parse_period(f"{day.year}-{day.month:02d}")
    return parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")


def last_complete_quarter(today: dt.date) -> Period:
    return period_of(today, "quarter").previous()
