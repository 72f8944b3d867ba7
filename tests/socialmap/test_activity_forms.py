"""The activity form's helpers: the friendly schedule as an RRULE and back, dates and amounts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nabij.socialmap.activity_forms import build_rrule, parse_dates, parse_euros, schedule_initial

# Worked out by hand.


@pytest.mark.parametrize(
    ("data", "rule"),
    [
        ({"repeat": "none"}, ""),
        ({"repeat": "weekly", "weekdays": ["TH", "MO"], "first_date": dt.date(2030, 1, 7)}, "FREQ=WEEKLY;BYDAY=MO,TH"),
        # No day chosen: the day of the first time (7 January 2030 is a Monday).
        ({"repeat": "weekly", "weekdays": [], "first_date": dt.date(2030, 1, 7)}, "FREQ=WEEKLY;BYDAY=MO"),
        (
            {"repeat": "biweekly", "weekdays": ["WE"], "first_date": dt.date(2030, 1, 7)},
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
        ),
        # 15 January 2030 is the third Tuesday of its month.
        ({"repeat": "monthly", "first_date": dt.date(2030, 1, 15)}, "FREQ=MONTHLY;BYDAY=3TU"),
        (
            {"repeat": "monthly", "monthly_nth": "-1", "monthly_weekday": "FR", "first_date": dt.date(2030, 1, 15)},
            "FREQ=MONTHLY;BYDAY=-1FR",
        ),
        ({"repeat": "advanced", "rrule_text": "RRULE:FREQ=DAILY;COUNT=3"}, "FREQ=DAILY;COUNT=3"),
    ],
)
def test_build_rrule(data: dict[str, Any], rule: str) -> None:
    assert build_rrule(data) == rule


@pytest.mark.parametrize(
    ("rule", "initial"),
    [
        ("", {"repeat": "none"}),
        ("FREQ=WEEKLY;BYDAY=TU,TH", {"repeat": "weekly", "weekdays": ["TU", "TH"]}),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", {"repeat": "biweekly", "weekdays": ["MO"]}),
        ("FREQ=MONTHLY;BYDAY=-1SU", {"repeat": "monthly", "monthly_nth": "-1", "monthly_weekday": "SU"}),
        ("FREQ=WEEKLY;BYDAY=TU;COUNT=4", {"repeat": "advanced", "rrule_text": "FREQ=WEEKLY;BYDAY=TU;COUNT=4"}),
        ("FREQ=WEEKLY;INTERVAL=3;BYDAY=TU", {"repeat": "advanced", "rrule_text": "FREQ=WEEKLY;INTERVAL=3;BYDAY=TU"}),
    ],
)
def test_schedule_initial(rule: str, initial: dict[str, Any]) -> None:
    assert schedule_initial(rule) == initial


def test_parse_dates_and_euros() -> None:
    assert parse_dates("25-12-2030\n\n2030-01-01\n25-12-2030") == ["2030-01-01", "2030-12-25"]
    assert [parse_euros(v) for v in ("", "0", "2,50", "2.5", "€ 3", "1.000,50")] == [0, 0, 250, 250, 300, 100050]
    for bad in ("-1", "2,555", "twee"):
        with pytest.raises(Exception, match="bedrag"):
            parse_euros(bad)
