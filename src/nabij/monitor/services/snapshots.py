"""Computing and storing a snapshot: all indicators of one municipality for one period.

The computation reads (pseudonymous) rows into arrays, computes every indicator, applies small-cell
protection to all cells at once (so equations across indicators' areas and breakdowns are seen
together), then replaces the period's snapshot in one transaction. Pages only read snapshots.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction

from nabij.accounts import permissions
from nabij.core.audit import audit
from nabij.core.models import AuditAction, AuditPurpose, Municipality, TaskRun
from nabij.core.taskqueue import NullProgress, Progress, enqueue
from nabij.monitor.areas import area_tree
from nabij.monitor.indicators import people as people_indicators
from nabij.monitor.indicators import supply as supply_indicators
from nabij.monitor.indicators.cells import Cell
from nabij.monitor.indicators.definitions import INDICATORS
from nabij.monitor.indicators.grouping import Areas
from nabij.monitor.models import MonitorSettings, Snapshot, SnapshotStatus, SnapshotValue
from nabij.monitor.periods import Period, PeriodError, parse_period, year_family
from nabij.monitor.selectors import monitor_settings
from nabij.monitor.supply import supply_on, target_groups
from nabij.monitor.suppression import OtherPeriod, protect
from nabij.socialmap.models import Domain

TASK_NAME = "monitor.snapshot"


# Steps that compute none of the indicators adding up over time: skipped for other periods.
_NOT_OVER_TIME = frozenset({"coverage", "coherence"})
OVER_TIME = frozenset(indicator.code for indicator in INDICATORS if indicator.over_time)


def compute_cells(
    *,
    municipality: Municipality,
    period: Period,
    settings: MonitorSettings,
    progress: Progress | None = None,
    over_time_only: bool = False,
) -> list[Cell]:
    """Every indicator's cells, before protection. Needs the municipality's scope. `over_time_only`:
    just the indicators that add up over time (what another period contributes to protection)."""
    progress = progress or NullProgress()
    tree = area_tree(municipality)
    groups = target_groups(municipality)
    # The supply step's table of the last day, reused by coverage and visits.
    state: dict[str, Any] = {}

    def supply() -> list[Cell]:
        start = supply_on(municipality, period.start)
        end = supply_on(municipality, period.end, with_domains=True)
        state["end"] = end
        areas_end = Areas.of(tree, end.neighbourhood)
        domains = list(Domain.objects.filter(municipality=municipality).values_list("code", flat=True))
        return [
            *supply_indicators.barrier_table_cells(end, areas_end, groups),
            *supply_indicators.diversity_cells(end, areas_end, groups, domains),
            *supply_indicators.continuity_cells(start, end, Areas.of(tree, start.neighbourhood)),
            *supply_indicators.new_initiative_cells(end, areas_end, period),
        ]

    def coverage() -> list[Cell]:
        from nabij.monitor.coverage import coverage_cells

        return coverage_cells(
            municipality=municipality, day=period.end, settings=settings, tree=tree, supply=state["end"]
        )

    def visits() -> list[Cell]:
        return supply_indicators.visit_cells(municipality, period, tree, state["end"].type_codes)

    def people() -> list[Cell]:
        crowd = people_indicators.load_people(municipality, period, tree)
        return [
            *people_indicators.activism_cells(municipality, crowd),
            *people_indicators.access_cells(municipality, crowd),
            *people_indicators.flow_cells(crowd),
            *people_indicators.outcome_cells(municipality, crowd),
            *people_indicators.referral_cells(municipality, crowd),
        ]

    def coherence() -> list[Cell]:
        from nabij.monitor.coherence import coherence_cells, network_for, new_links_cells

        network = network_for(municipality, period)
        return [
            *coherence_cells(network=network, tree=tree, period=period),
            *new_links_cells(municipality=municipality, network=network, period=period, tree=tree),
        ]

    steps: list[tuple[str, Callable[[], list[Cell]]]] = [
        ("supply", supply),
        ("coverage", coverage),
        ("visits", visits),
        ("people", people),
        ("coherence", coherence),
    ]
    if over_time_only:
        steps = [(name, step) for name, step in steps if name not in _NOT_OVER_TIME]
    progress.start(len(steps) + 3, str(period))
    cells: list[Cell] = []
    for name, step in steps:
        progress.advance(0, name)
        cells += step()
        progress.advance(1)
    if over_time_only:
        cells = [cell for cell in cells if cell.indicator.split(".", 1)[0] in OVER_TIME]
    return cells


def other_periods(*, municipality: Municipality, period: Period, settings: MonitorSettings) -> list[OtherPeriod]:
    """The other periods of the year, for protection across snapshots. Each is recomputed for the
    indicators that add up over time; its snapshot, if any, says which of those values a reader has.

    - A published value counts as known only while the recount still gives that number: after a
      withdrawn consent or a corrected session the reader's number is out of date, and the current
      one is as unknown (and, if small, as protected) as a suppressed one.
    - Every period is guarded, ended or not: a running month's small numbers are kept unknown too.
    - None when no snapshot of a period that contains this one, or lies within it, exists: every sum
      through this period then has an unpublished total or unpublished parts on both sides (two
      quarters side by side, say), which pins nothing down."""
    family = [other for other in year_family(period.start.year) if other.code != period.code]
    snapshots = {
        snapshot.period: snapshot
        for snapshot in Snapshot.objects.filter(
            municipality=municipality, period__in=[other.code for other in family], status=SnapshotStatus.DONE
        )
    }
    nested = [other.code for other in family if other.start <= period.start <= period.end <= other.end]
    nested += [other.code for other in family if period.start <= other.start <= other.end <= period.end]
    if not any(code in snapshots for code in nested):
        return []
    published: dict[str, dict[tuple[str, str, str], tuple[float | None, float | None]]] = defaultdict(dict)
    rows = SnapshotValue.objects.filter(snapshot__in=snapshots.values(), suppressed=False).values_list(
        "snapshot__period", "indicator", "area_code", "target_group", "numerator", "denominator"
    )
    for code, indicator, area, group, numerator, denominator in rows:
        if indicator.split(".", 1)[0] in OVER_TIME:
            published[code][(indicator, area, group)] = (numerator, denominator)
    others = []
    for other in family:
        cells = compute_cells(municipality=municipality, period=other, settings=settings, over_time_only=True)
        shown = published[other.code]
        current = frozenset(
            cell.key
            for cell in cells
            if cell.key in shown and _same(shown[cell.key], (cell.numerator, cell.denominator))
        )
        others.append(OtherPeriod(period=other, cells=cells, published=current, outdated=len(shown) - len(current)))
    return others


def _same(shown: tuple[float | None, float | None], now: tuple[float | None, float | None]) -> bool:
    """Does the published (numerator, denominator) still hold?"""
    for a, b in zip(shown, now, strict=True):
        if (a is None) != (b is None) or (a is not None and b is not None and abs(a - b) > 1e-9):
            return False
    return True


def protect_cells(
    cells: list[Cell],
    *,
    municipality: Municipality,
    settings: MonitorSettings,
    period: Period | None = None,
    others: list[OtherPeriod] | None = None,
    report: dict[str, int] | None = None,
) -> list[Cell]:
    return protect(
        cells,
        area_tree(municipality),
        min_count=settings.min_count,
        min_base=settings.min_base,
        period=period,
        others=others or [],
        report=report,
    )


VALUE_COLUMNS = (
    "municipality_id",
    "snapshot_id",
    "indicator",
    "unit",
    "area_code",
    "target_group",
    "numerator",
    "denominator",
    "value",
    "suppressed",
)


def _store_values(snapshot: Snapshot, cells: list[Cell]) -> None:
    """One parameterised INSERT for all values: a city's ~12,000 model instances would cost a second
    in the ORM for nothing (the rows are plain numbers, no signals or defaults to run)."""
    table = connection.ops.quote_name(SnapshotValue._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in VALUE_COLUMNS)
    marks = ", ".join(["%s"] * len(VALUE_COLUMNS))
    rows = [
        (
            snapshot.municipality_id,
            snapshot.pk,
            cell.indicator,
            cell.unit,
            cell.area_code,
            cell.target_group,
            cell.numerator,
            cell.denominator,
            cell.value,
            cell.suppressed,
        )
        for cell in cells
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608 (names from _meta)


# pg_advisory_xact_lock's first key: "snapshots" (the second is the municipality's id).
SNAPSHOT_LOCK = 0x534E4150


def one_at_a_time(municipality: Municipality) -> None:
    """Snapshots of one municipality are computed one after another, until the transaction ends:
    each must see what the others publish (protection across periods), and two workers computing a
    month and its quarter at once would each protect theirs alone. PostgreSQL: an advisory lock that
    blocks nobody else. SQLite lets one writer in at a time and serves a single site; no lock there."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [SNAPSHOT_LOCK, municipality.pk])


@transaction.atomic
def snapshot_compute(
    *, actor: Any, municipality: Municipality, period: str | Period, progress: Progress | None = None
) -> Snapshot:
    """Compute, protect and store the period's snapshot, replacing an earlier one of that period."""
    if actor is not None and not permissions.can_compute_snapshot(actor, municipality):
        raise PermissionDenied
    if isinstance(period, str):
        try:
            period = parse_period(period)
        except PeriodError as error:
            raise ValidationError(str(error), code="period") from error
    progress = progress or NullProgress()
    one_at_a_time(municipality)
    started = time.perf_counter()
    settings = monitor_settings(municipality)
    cells = compute_cells(municipality=municipality, period=period, settings=settings, progress=progress)
    progress.advance(0, "other periods")
    others = other_periods(municipality=municipality, period=period, settings=settings)
    progress.advance(1)
    progress.advance(0, "protect")
    report: dict[str, int] = {}
    cells = protect_cells(
        cells, municipality=municipality, settings=settings, period=period, others=others, report=report
    )
    progress.advance(1)
    progress.advance(0, "store")
    Snapshot.objects.filter(municipality=municipality, period=period.code).delete()
    snapshot = Snapshot.objects.create(
        municipality=municipality,
        period=period.code,
        status=SnapshotStatus.DONE,
        computed_by=actor if getattr(actor, "is_authenticated", False) else None,
        parameters={
            "min_count": settings.min_count,
            "min_base": settings.min_base,
            "walk_metres": settings.walk_metres,
            "detour_factor": settings.detour_factor,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            # Protected together with these snapshots of the year; numbers they had given away already.
            "with_periods": sorted(other.period.code for other in others if other.published or other.outdated),
            "given_away": report.get("given_away", 0),
            # Published values of those snapshots that a recount no longer gives (kept unknown here).
            "outdated": sum(other.outdated for other in others),
        },
    )
    _store_values(snapshot, cells)
    snapshot.seconds = round(time.perf_counter() - started, 3)
    snapshot.save(update_fields=["seconds"])
    progress.advance(1)
    audit(
        actor=actor,
        municipality=municipality,
        action=AuditAction.CREATE,
        purpose=AuditPurpose.MONITORING,
        record=snapshot,
        detail={"period": period.code, "values": len(cells), "suppressed": sum(c.suppressed for c in cells)},
    )
    return snapshot


def snapshot_enqueue(*, actor: Any, municipality: Municipality, period: str) -> TaskRun:
    """Start computing a snapshot in the background (inline with the sync backend)."""
    if actor is not None and not permissions.can_compute_snapshot(actor, municipality):
        raise PermissionDenied
    try:
        parsed = parse_period(period)
    except PeriodError as error:
        raise ValidationError(str(error), code="period") from error
    return enqueue(
        TASK_NAME,
        label=f"Monitor {municipality.code} {parsed.code}",
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        municipality=municipality,
        municipality_code=municipality.code,
        period=parsed.code,
        actor_id=getattr(actor, "pk", None),
    )
