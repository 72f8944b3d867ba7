"""Computing and storing snapshots: the service, the background task, the `monitor_snapshot` command
and the periods they take; and the demo's CSV export without a count between 1 and 4."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation
from django_scopes import scope

from nabij.accounts.models import Role, User
from nabij.core.models import AuditEntry, Municipality, TaskRun, TaskStatus
from nabij.monitor.areas import AreaTree, area_tree
from nabij.monitor.exports import CSV_HEADER, write_snapshot_csv
from nabij.monitor.indicators.cells import Cell
from nabij.monitor.models import MonitorSettings, Snapshot, SnapshotStatus, SnapshotValue
from nabij.monitor.periods import Period, PeriodError, last_complete_quarter, parse_period, period_of
from nabij.monitor.services.snapshots import (
    OVER_TIME,
    compute_cells,
    monitor_settings,
    other_periods,
    snapshot_compute,
    snapshot_enqueue,
)
from nabij.testing.factories import RoleAssignmentFactory, UserFactory
from nabij.testing.personas import Personas
from tests.conftest import SocialMap
from tests.monitor.attacker import solvable
from tests.monitor.world import GM, PERIOD, World, add_session, build_world

BAD_PERIOD = "'2026-Q5' is geen periode. Gebruik een jaar (2026), een kwartaal (2026-Q3) of een maand (2026-07)."


@pytest.fixture
def world(personas: Personas, socialmap: SocialMap, scope_a: None) -> World:
    return build_world(personas, socialmap)


@pytest.fixture
def alfadorp(personas: Personas, socialmap: SocialMap, scope_a: None) -> Municipality:
    """Municipality A with its catalogues only: where the numbers do not matter, quicker."""
    return personas.municipality_a


def user_with(role: str, municipality: Municipality) -> User:
    user = UserFactory.create()
    RoleAssignmentFactory.create(user=user, municipality=municipality, role=role)
    return user


def small(number: float | None, below: int) -> bool:
    return number is not None and 0 < number < below


def assert_protected(rows: list[tuple[Any, ...]], *, min_count: int = 5, min_base: int = 20) -> None:
    """(unit, numerator, denominator, value, suppressed) per stored value: nothing small is published."""
    for unit, numerator, denominator, value, suppressed in rows:
        if suppressed:
            assert (numerator, denominator, value) == (None, None, None)
            continue
        # A count, the cases behind a median, a percentage's numerator: never 1 .. min_count - 1.
        assert not small(numerator, min_count), (unit, numerator, denominator, value)
        if unit == "count":
            assert value == numerator
        if unit == "percentage":
            assert not small(denominator, min_base), (unit, numerator, denominator, value)


def assert_matches(snapshot: Snapshot, raw: dict[tuple[str, str, str], Cell]) -> None:
    """Every computed cell is stored once (a suppressed one keeps its key), nothing small is
    published, and what is published is what was computed."""
    stored = list(
        snapshot.values.values_list(
            "indicator", "area_code", "target_group", "unit", "numerator", "denominator", "value", "suppressed"
        )
    )
    assert {(indicator, area, group) for indicator, area, group, *_rest in stored} == set(raw)
    assert len(stored) == len(raw)
    assert_protected([row[3:] for row in stored])
    for indicator, area, group, unit, numerator, denominator, value, suppressed in stored:
        cell = raw[(indicator, area, group)]
        assert unit == cell.unit
        if not suppressed:
            assert (numerator, denominator, value) == (cell.numerator, cell.denominator, cell.value)


def raw_cells(municipality: Municipality, period: Period) -> dict[tuple[str, str, str], Cell]:
    cells = compute_cells(municipality=municipality, period=period, settings=monitor_settings(municipality))
    return {cell.key: cell for cell in cells}


# --- snapshot_compute ---------------------------------------------------------------------------


def test_a_snapshot_stores_only_protected_values(world: World, personas: Personas) -> None:
    a = world.a
    raw = raw_cells(a, PERIOD)
    snapshot = snapshot_compute(actor=personas.coordinator, municipality=a, period="2026-Q2")
    assert (snapshot.period, snapshot.status, snapshot.computed_by) == (
        "2026-Q2",
        SnapshotStatus.DONE,
        personas.coordinator,
    )
    assert snapshot.parameters["min_count"] == 5 and snapshot.parameters["min_base"] == 20
    assert (snapshot.parameters["start"], snapshot.parameters["end"]) == ("2026-04-01", "2026-06-30")
    assert_matches(snapshot, raw)
    # Worked out by hand (test_indicators_supply): 1 activity in creatief with 3 epa barriers
    # (schilder) is small, so it is hidden.
    assert raw[("barrier_table.creatief.3", GM, "epa")].numerator == 1
    schilder = snapshot.values.get(indicator="barrier_table.creatief.3", area_code=GM, target_group="epa")
    assert schilder.suppressed and schilder.numerator is None
    assert snapshot.values.filter(suppressed=False, numerator__gte=5).exists()


def test_thresholds_come_from_the_municipalitys_settings(world: World, personas: Personas) -> None:
    MonitorSettings.objects.create(municipality=world.a, min_count=10, min_base=50)
    snapshot = snapshot_compute(actor=personas.coordinator, municipality=world.a, period=PERIOD)
    assert (snapshot.parameters["min_count"], snapshot.parameters["min_base"]) == (10, 50)
    rows = list(snapshot.values.values_list("unit", "numerator", "denominator", "value", "suppressed"))
    assert_protected(rows, min_count=10, min_base=50)
    # 38 visits (GM, total) would be shown with the default 5; the 7 of vrijwilligerswerk not now.
    repair = snapshot.values.get(indicator="visits.vrijwilligerswerk", area_code=GM, target_group="")
    assert repair.suppressed


def test_computing_a_period_again_replaces_its_snapshot(world: World, personas: Personas) -> None:
    a = world.a
    first_quarter = snapshot_compute(actor=None, municipality=a, period="2026-Q1")
    first = snapshot_compute(actor=None, municipality=a, period="2026-Q2")
    old_values = set(first.values.values_list("pk", flat=True))
    # 100 more visits at the repair café in May.
    add_session(world, "repair", "2026-05-26", 100)
    second = snapshot_compute(actor=personas.coordinator, municipality=a, period="2026-Q2")
    assert list(Snapshot.objects.filter(municipality=a, period="2026-Q2")) == [second]
    assert not Snapshot.objects.filter(pk=first.pk).exists()
    assert not SnapshotValue.objects.filter(pk__in=old_values).exists()
    assert Snapshot.objects.filter(pk=first_quarter.pk).exists()  # another period stays
    # The new one is the new computation: 7 + 100 = 107 visits to vrijwilligerswerk.
    raw = raw_cells(a, PERIOD)
    assert raw[("visits.vrijwilligerswerk", GM, "")].numerator == 107
    assert_matches(second, raw)


def test_a_failed_computation_leaves_the_earlier_snapshot(
    world: World, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = snapshot_compute(actor=None, municipality=world.a, period="2026-Q2")
    values = first.values.count()

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("the audit log is full")

    # The audit entry is written last, after the old snapshot was deleted and the new one stored.
    monkeypatch.setattr("nabij.monitor.services.snapshots.audit", broken)
    with pytest.raises(RuntimeError):
        snapshot_compute(actor=personas.coordinator, municipality=world.a, period="2026-Q2")
    assert list(Snapshot.objects.filter(period="2026-Q2")) == [first]
    assert first.values.count() == values
    # In the background the run fails with a plain message, and nothing is half-written either.
    run = snapshot_enqueue(actor=personas.coordinator, municipality=world.a, period="2026-Q2")
    assert run.status == TaskStatus.FAILED
    assert "the audit log is full" in run.error
    assert run.message == "Er ging iets mis bij deze taak. Een beheerder kan de details zien."
    assert list(Snapshot.objects.filter(period="2026-Q2")) == [first]


def visit_equations(
    tree: AreaTree, periods: list[str], quarter: str, keys: set[tuple[str, str, str]]
) -> list[dict[tuple[str, tuple[str, str, str]], float]]:
    """What a reader knows of visits: areas add up, `total` is the sum of the types, the quarter is the
    sum of its months."""
    found: list[dict[tuple[str, tuple[str, str, str]], float]] = []
    codes = {key[0] for key in keys}
    areas = {key[1] for key in keys}
    for period in periods:
        for code in codes:
            for area in areas:
                children = tree.children(area)
                if children:
                    equation = {(period, (code, area, "")): 1.0}
                    equation.update({(period, (code, child, "")): -1.0 for child in children})
                    found.append(equation)
        for area in areas:
            equation = {(period, ("visits.total", area, "")): 1.0}
            equation.update({(period, (code, area, "")): -1.0 for code in codes if code != "visits.total"})
            found.append(equation)
    for key in keys:
        equation = {(quarter, key): 1.0}
        equation.update({(period, key): -1.0 for period in periods if period != quarter})
        found.append(equation)
    return found


def test_months_and_their_quarter_are_protected_together(world: World) -> None:
    """The quarter's visits are the sum of its months': with the months published first, no small month
    number can be solved from the four snapshots together."""
    a = world.a
    assert other_periods(municipality=a, period=PERIOD, settings=monitor_settings(a)) == []
    # The repair café: 3 visits in April, 7 + 20 in May, 30 in June; 60 in the quarter.
    add_session(world, "repair", "2026-04-14", 3)
    add_session(world, "repair", "2026-05-19", 20)
    add_session(world, "repair", "2026-06-09", 30)
    months = ["2026-04", "2026-05", "2026-06"]
    raw = {code: raw_cells(a, parse_period(code)) for code in [*months, PERIOD.code]}
    for month in months:
        snapshot_compute(actor=None, municipality=a, period=month)
    quarter = snapshot_compute(actor=None, municipality=a, period=PERIOD)
    assert quarter.parameters["with_periods"] == months
    assert quarter.parameters["given_away"] == 0
    # Quarters side by side add up to nothing published: the first quarter's snapshot needs no other.
    assert other_periods(municipality=a, period=parse_period("2026-Q1"), settings=monitor_settings(a)) == []
    assert len(other_periods(municipality=a, period=parse_period("2026"), settings=monitor_settings(a))) == 16
    small = small_visits(raw, months)
    assert ("2026-04", ("visits.vrijwilligerswerk", GM, "")) in small
    assert not visits_solved(a, raw, months) & small
    # The quarter's own small numbers stay hidden as well.
    assert not visits_solved(a, raw, months) & small_visits(raw, [PERIOD.code])


def small_visits(raw: dict[str, dict[tuple[str, str, str], Cell]], periods: list[str]) -> set[Any]:
    return {
        (period, key)
        for period in periods
        for key, cell in raw[period].items()
        if key[0].startswith("visits.") and cell.numerator is not None and 0 < cell.numerator < 5
    }


def visits_solved(a: Municipality, raw: dict[str, dict[tuple[str, str, str], Cell]], months: list[str]) -> set[Any]:
    """The attacker on the stored snapshots of the months and their quarter: which current visit numbers
    can be solved? A published number that the data no longer give is no help (it is out of date), so
    the current one is unknown to the reader just like a suppressed one."""
    values = SnapshotValue.objects.filter(municipality=a, indicator__startswith="visits.").select_related("snapshot")
    unknown = {
        (v.snapshot.period, (v.indicator, v.area_code, v.target_group))
        for v in values
        if v.suppressed or v.numerator != raw[v.snapshot.period][(v.indicator, v.area_code, v.target_group)].numerator
    }
    keys = {(v.indicator, v.area_code, v.target_group) for v in values}
    equations = visit_equations(area_tree(a), [*months, PERIOD.code], PERIOD.code, keys)
    # Only those that hold: 6 visits in June lie outside every neighbourhood, and a reader can't know how many.
    exact = [eq for eq in equations if sum(c * (raw[p][k].numerator or 0) for (p, k), c in eq.items()) == 0]
    assert len(exact) < len(equations)
    return solvable(unknown, exact)


@pytest.mark.parametrize("recount", [True, False], ids=["recount", "control-trusts-old-values"])
def test_a_published_month_that_changed_since_is_not_trusted(
    world: World, recount: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """April's repair café had 6 visits when April was published; a session is corrected to 3 since.
    A reader has the old 6, so the quarter must not give the 3 away as the quarter minus May and June.
    The control trusts the old published values, as if nothing changed: then the 3 comes out."""
    a = world.a
    april = add_session(world, "repair", "2026-04-14", 6)
    add_session(world, "repair", "2026-05-19", 20)
    add_session(world, "repair", "2026-06-09", 30)
    months = ["2026-04", "2026-05", "2026-06"]
    for month in months:
        snapshot_compute(actor=None, municipality=a, period=month)
    shown = SnapshotValue.objects.get(
        snapshot__period="2026-04", indicator="visits.vrijwilligerswerk", area_code=GM, target_group=""
    )
    assert (shown.numerator, shown.suppressed) == (6, False)
    april.anonymous_count = 3
    april.save(update_fields=["anonymous_count"])
    if not recount:
        monkeypatch.setattr("nabij.monitor.services.snapshots._same", lambda shown, now: True)
    quarter = snapshot_compute(actor=None, municipality=a, period=PERIOD)
    raw = {code: raw_cells(a, parse_period(code)) for code in [*months, PERIOD.code]}
    target = ("2026-04", ("visits.vrijwilligerswerk", GM, ""))
    assert target in small_visits(raw, months)
    if recount:
        assert quarter.parameters["outdated"] >= 1
        assert target not in visits_solved(a, raw, months)
    else:
        assert target in visits_solved(a, raw, months)


def test_the_over_time_recount_matches_the_full_computation(world: World) -> None:
    a = world.a
    full = compute_cells(municipality=a, period=PERIOD, settings=monitor_settings(a))
    recount = compute_cells(municipality=a, period=PERIOD, settings=monitor_settings(a), over_time_only=True)
    wanted = [cell for cell in full if cell.indicator.split(".", 1)[0] in OVER_TIME]
    assert {c.indicator.split(".", 1)[0] for c in wanted} == OVER_TIME
    assert [(c.key, c.numerator, c.denominator) for c in recount] == [
        (c.key, c.numerator, c.denominator) for c in wanted
    ]


def test_a_snapshot_writes_an_audit_entry(world: World, personas: Personas) -> None:
    snapshot = snapshot_compute(actor=personas.coordinator, municipality=world.a, period="2026-Q2")
    entry = AuditEntry.objects.filter(record_type="monitor.snapshot").get()
    assert (entry.actor, entry.action, entry.purpose, entry.record_ref) == (
        personas.coordinator,
        "create",
        "monitoring",
        str(snapshot.pk),
    )
    assert entry.detail == {
        "period": "2026-Q2",
        "values": snapshot.values.count(),
        "suppressed": snapshot.values.filter(suppressed=True).count(),
    }


@pytest.mark.parametrize("who", ["resident", "professional", "organiser", "outsider", "analyst_of_b"])
def test_only_coordinators_analysts_and_admins_compute_a_snapshot(
    alfadorp: Municipality, personas: Personas, socialmap: SocialMap, who: str
) -> None:
    users = {
        "resident": personas.resident,
        "professional": personas.professional,
        "organiser": socialmap.organiser,
        "outsider": personas.outsider,
        "analyst_of_b": user_with(Role.ANALYST, personas.municipality_b),
    }
    with pytest.raises(PermissionDenied):
        snapshot_compute(actor=users[who], municipality=alfadorp, period="2026-Q2")
    with pytest.raises(PermissionDenied):
        snapshot_enqueue(actor=users[who], municipality=alfadorp, period="2026-Q2")
    assert not Snapshot.objects.exists()
    assert not TaskRun.objects.exists()


def test_coordinators_analysts_and_admins_may(alfadorp: Municipality, personas: Personas) -> None:
    for user in (personas.coordinator, user_with(Role.ANALYST, alfadorp), personas.admin):
        assert snapshot_compute(actor=user, municipality=alfadorp, period="2026-Q2").computed_by == user


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2026-Q5", BAD_PERIOD),
        ("1999", "Het jaar 1999 valt buiten 2000-2100."),
        ("", "'' is geen periode. Gebruik een jaar (2026), een kwartaal (2026-Q3) of een maand (2026-07)."),
    ],
)
def test_a_bad_period_is_refused_in_dutch(
    alfadorp: Municipality, personas: Personas, period: str, message: str
) -> None:
    for compute in (snapshot_compute, snapshot_enqueue):
        with pytest.raises(ValidationError) as caught:
            compute(actor=personas.coordinator, municipality=alfadorp, period=period)
        assert caught.value.messages == [message]
        assert caught.value.code == "period"
    assert not Snapshot.objects.exists()
    assert not TaskRun.objects.exists()


# --- the background task --------------------------------------------------------------------------


def test_snapshot_enqueue_runs_inline_with_the_sync_backend(alfadorp: Municipality, personas: Personas) -> None:
    run = snapshot_enqueue(actor=personas.coordinator, municipality=alfadorp, period="2026-q2")
    assert run.status == TaskStatus.DONE, run.error
    assert (run.name, run.municipality, run.created_by) == ("monitor.snapshot", alfadorp, personas.coordinator)
    snapshot = Snapshot.objects.get(municipality=alfadorp, period="2026-Q2")
    assert snapshot.computed_by == personas.coordinator
    assert run.result == {
        "period": "2026-Q2",
        "values": snapshot.values.count(),
        "seconds": snapshot.seconds,
        "url": "/alfadorp/monitor/?periode=2026-Q2",
    }
    assert run.percent == 100 and run.finished_at is not None
    # The run's arguments name nobody.
    assert run.kwargs == {"municipality_code": GM, "period": "2026-Q2", "actor_id": personas.coordinator.pk}


# --- the command ----------------------------------------------------------------------------------

LINE = re.compile(r"^(GM\d{4}) (\S+): (\d+) waarden, (\d+) afgeschermd, [\d.]+ s\.$")


def test_the_command_computes_and_reports(world: World) -> None:
    out = io.StringIO()
    call_command("monitor_snapshot", "--municipality", "gm0001", "--period", "2026-Q2", stdout=out, verbosity=0)
    [line] = out.getvalue().splitlines()
    match = LINE.match(line)
    assert match, line
    snapshot = Snapshot.objects.get(municipality=world.a, period="2026-Q2")
    assert snapshot.computed_by is None  # the system
    assert match.groups()[:2] == ("GM0001", "2026-Q2")
    assert int(match[3]) == snapshot.values.count()
    assert int(match[4]) == snapshot.values.filter(suppressed=True).count() > 0


def test_the_command_without_arguments_does_every_municipality_for_the_last_complete_quarter(
    alfadorp: Municipality, personas: Personas
) -> None:
    out = io.StringIO()
    call_command("monitor_snapshot", stdout=out, verbosity=0)
    quarter = last_complete_quarter(timezone.localdate()).code
    found = [LINE.match(line) for line in out.getvalue().splitlines()]
    assert [(m[1], m[2]) for m in found if m] == [("GM0001", quarter), ("GM0002", quarter)]
    with scope(municipality=personas.municipality_b):
        assert Snapshot.objects.filter(period=quarter).count() == 1


def test_the_command_can_queue_the_work(alfadorp: Municipality) -> None:
    out = io.StringIO()
    call_command("monitor_snapshot", "--municipality", "GM0001", "--period", "2026-06", "--queue", stdout=out)
    run = TaskRun.objects.get()
    assert out.getvalue() == f"GM0001 2026-06: taak {run.pk} (done).\n"
    assert Snapshot.objects.filter(municipality=alfadorp, period="2026-06").exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--municipality", "GM9998", "--period", "2026-Q2"], "Gemeente GM9998 staat niet in Nabij."),
        (["--municipality", "GM0001", "--period", "2026-Q5"], BAD_PERIOD),
        (["--municipality", "GM0001", "--period", "2026-13"], "'2026-13' is geen periode."),
    ],
)
def test_the_command_refuses_bad_input_in_dutch(alfadorp: Municipality, arguments: list[str], message: str) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("monitor_snapshot", *arguments, stdout=io.StringIO(), verbosity=0)
    assert str(caught.value).startswith(message)
    assert not Snapshot.objects.exists()


# --- periods ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "start", "end", "kind", "days"),
    [
        ("2026", "2026", "2026-01-01", "2026-12-31", "year", 365),
        ("2028", "2028", "2028-01-01", "2028-12-31", "year", 366),
        ("2026-Q1", "2026-Q1", "2026-01-01", "2026-03-31", "quarter", 90),
        (" 2026-q3 ", "2026-Q3", "2026-07-01", "2026-09-30", "quarter", 92),
        ("2026-Q4", "2026-Q4", "2026-10-01", "2026-12-31", "quarter", 92),
        ("2026-02", "2026-02", "2026-02-01", "2026-02-28", "month", 28),
        ("2028-02", "2028-02", "2028-02-01", "2028-02-29", "month", 29),
        ("2026-12", "2026-12", "2026-12-01", "2026-12-31", "month", 31),
    ],
)
def test_parse_period(text: str, code: str, start: str, end: str, kind: str, days: int) -> None:
    period = parse_period(text)
    assert (period.code, str(period), period.kind, period.days) == (code, code, kind, days)
    assert (period.start, period.end) == (dt.date.fromisoformat(start), dt.date.fromisoformat(end))


@pytest.mark.parametrize(
    ("text", "previous"),
    [("2026", "2025"), ("2026-Q1", "2025-Q4"), ("2026-Q3", "2026-Q2"), ("2026-01", "2025-12"), ("2026-07", "2026-06")],
)
def test_the_previous_period(text: str, previous: str) -> None:
    assert parse_period(text).previous() == parse_period(previous)


@pytest.mark.parametrize(
    "text", ["2026-Q0", "2026-Q5", "2026-00", "2026-13", "26-Q1", "2026Q1", "2026-1", "Q1-2026", "abc"]
)
def test_a_bad_period(text: str) -> None:
    with translation.override("nl"), pytest.raises(PeriodError) as caught:
        parse_period(text)
    assert str(caught.value) == (
        f"'{text}' is geen periode. Gebruik een jaar (2026), een kwartaal (2026-Q3) of een maand (2026-07)."
    )


def test_a_year_outside_2000_2100() -> None:
    with pytest.raises(PeriodError, match=r"^Het jaar 2101 valt buiten 2000-2100\.$"):
        parse_period("2101-Q1")
    assert parse_period("2000").start == dt.date(2000, 1, 1)


def test_period_of_a_day_and_the_last_complete_quarter() -> None:
    day = dt.date(2026, 12, 7)
    assert period_of(day) == parse_period("2026-Q4")
    assert period_of(day, "month") == parse_period("2026-12")
    assert period_of(day, "year") == parse_period("2026")
    assert last_complete_quarter(day) == parse_period("2026-Q3")
    assert last_complete_quarter(dt.date(2026, 1, 1)) == parse_period("2025-Q4")
    assert isinstance(PERIOD, Period) and PERIOD.previous().code == "2026-Q1"


# --- the demo ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_csv_of_a_demo_snapshot_has_no_count_between_1_and_4() -> None:
    """The acceptance criterion, on the small demo: one generation, one snapshot, one export."""
    from nabij.demo.generator import generate_demo

    generate_demo(scale="small", seed=1)
    demo = Municipality.objects.get(code="GM9999")
    quarter = last_complete_quarter(timezone.localdate())
    with scope(municipality=demo):
        snapshot = snapshot_compute(actor=None, municipality=demo, period=quarter)
        out = io.StringIO()
        written = write_snapshot_csv(snapshot, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == CSV_HEADER
    assert written == len(rows) > 1000

    def number(text: str) -> float | None:
        return float(text) if text else None

    numbers = [
        (row["unit"], number(row["numerator"]), number(row["denominator"]), number(row["value"]), row["suppressed"])
        for row in rows
    ]
    assert {suppressed for *_n, suppressed in numbers} == {"true", "false"}
    assert_protected([(*n, suppressed == "true") for *n, suppressed in numbers])
    # The check is not empty: small cells were hidden, and plenty is published.
    assert sum(suppressed == "false" for *_n, suppressed in numbers) > 500
    visits = next(r for r in rows if (r["indicator"], r["area_code"]) == ("visits.total", "GM9999"))
    assert visits["suppressed"] == "false" and float(visits["numerator"]) > 1000  # the quarter has attendance
    assert {row["period"] for row in rows} == {quarter.code}
