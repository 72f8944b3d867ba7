"""Fixtures of the monitor tests.

`monitor_world`: municipality A (from the personas) with a second district and two more
neighbourhoods, an analyst, and stored snapshots built row by row (no computation), so the
dashboard, API and export tests know every number by heart:

    Alfadorp GM0001
    ├── Centrum Alfa WK000101: Oude Haven BU00010101, Nieuwe Markt BU00010102
    └── Noord Alfa WK000102:  Bergweg BU00010201

Snapshots: A 2026-Q3 (done), A 2026-Q2 (done, for comparisons), A 2026-Q4 (still running),
B 2026-Q3 (done; must never show up for A). `S` in the tables below is a suppressed value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from nabij.accounts.models import Role, User
from nabij.core.models import District, Municipality, Neighbourhood
from nabij.monitor.models import Snapshot, SnapshotStatus, SnapshotValue
from nabij.socialmap.services import catalogue_ensure_defaults
from nabij.testing.factories import DistrictFactory, NeighbourhoodFactory, RoleAssignmentFactory, UserFactory
from nabij.testing.personas import Personas, login

GM, CENTRUM, NOORD = "GM0001", "WK000101", "WK000102"
HAVEN, MARKT, BERGWEG = "BU00010101", "BU00010102", "BU00010201"

# (indicator, unit, area, target group, numerator, denominator, value); value None = suppressed.
Row = tuple[str, str, str, str, float | None, float | None, float | None]
S = None


def _counts(indicator: str, by_area: dict[str, float | None], group: str = "") -> list[Row]:
    return [(indicator, "count", area, group, n, None, n) for area, n in by_area.items()]


def _shares(indicator: str, by_area: dict[str, tuple[float, float] | None], group: str = "") -> list[Row]:
    rows: list[Row] = []
    for area, parts in by_area.items():
        if parts is None:
            rows.append((indicator, "percentage", area, group, S, S, S))
        else:
            numerator, denominator = parts
            rows.append(
                (indicator, "percentage", area, group, numerator, denominator, round(100 * numerator / denominator, 1))
            )
    return rows


Q3_ROWS: list[Row] = [
    # Visits: 130 in all; ontmoeten 5 (3 in Oude Haven, 2 in Nieuwe Markt, both suppressed, and so the
    # bewegen counts there too, or they would give the ontmoeten counts away).
    *_counts("visits.total", {GM: 130, CENTRUM: 130, NOORD: 0, HAVEN: 100, MARKT: 30, BERGWEG: 0}),
    *_counts("visits.ontmoeten", {GM: 5, CENTRUM: 5, NOORD: 0, HAVEN: S, MARKT: S, BERGWEG: 0}),
    *_counts("visits.bewegen", {GM: 125, CENTRUM: 125, NOORD: 0, HAVEN: S, MARKT: S, BERGWEG: 0}),
    # Coverage for target group epa, 2000 residents per neighbourhood.
    *_shares(
        "coverage.any",
        {
            GM: (3500, 6000),
            CENTRUM: (3000, 4000),
            NOORD: (500, 2000),
            HAVEN: (1800, 2000),
            MARKT: (1200, 2000),
            BERGWEG: (500, 2000),
        },
        "epa",
    ),
    *_shares(
        "coverage.bewegen",
        {
            GM: (1400, 6000),
            CENTRUM: (1400, 4000),
            NOORD: (0, 2000),
            HAVEN: (1000, 2000),
            MARKT: (400, 2000),
            BERGWEG: (0, 2000),
        },
        "epa",
    ),
    # Access: 12 of 40 vulnerable profiles; the districts' bases are under 20, and per isolation type too.
    *_shares("access_support", {GM: (12, 40), CENTRUM: S, NOORD: S}),
    *_shares("access_support", {GM: S}, "isolation:individual"),
    *_shares("access_support", {GM: S}, "isolation:collective"),
    ("access_time_to_match", "days", GM, "", 9, None, 14.5),
    ("access_time_to_match", "days", CENTRUM, "", S, S, S),
]

Q2_ROWS: list[Row] = [
    *_counts("visits.total", {GM: 100, CENTRUM: 100, NOORD: 0, HAVEN: 80, MARKT: 20, BERGWEG: 0}),
    *_counts("visits.ontmoeten", {GM: S, CENTRUM: S, NOORD: 0, HAVEN: S, MARKT: S, BERGWEG: 0}),
    *_shares(
        "coverage.any",
        {GM: (3300, 6000), CENTRUM: (2800, 4000), NOORD: S, HAVEN: (1600, 2000), MARKT: (1200, 2000), BERGWEG: S},
        "epa",
    ),
]


def add_snapshot(
    municipality: Municipality,
    period: str,
    rows: Iterable[Row],
    *,
    status: str = SnapshotStatus.DONE,
    min_count: int = 5,
    min_base: int = 20,
) -> Snapshot:
    """A stored snapshot with exactly these values (a None value is stored suppressed)."""
    with scopes_disabled():
        snapshot = Snapshot.objects.create(
            municipality=municipality,
            period=period,
            status=status,
            parameters={"min_count": min_count, "min_base": min_base},
        )
        SnapshotValue.objects.bulk_create(
            SnapshotValue(
                municipality=municipality,
                snapshot=snapshot,
                indicator=indicator,
                unit=unit,
                area_code=area,
                target_group=group,
                numerator=None if value is None else numerator,
                denominator=None if value is None else denominator,
                value=value,
                suppressed=value is None,
            )
            for indicator, unit, area, group, numerator, denominator, value in rows
        )
    return snapshot


def _square(lon: float, lat: float) -> dict[str, object]:
    corners = [[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]]
    return {"type": "Polygon", "coordinates": [corners]}


@dataclass
class MonitorWorld:
    personas: Personas
    analyst: User
    noord: District
    markt: Neighbourhood
    bergweg: Neighbourhood
    q3: Snapshot
    q2: Snapshot
    q4_running: Snapshot
    beta_q3: Snapshot


def build_monitor_world(personas: Personas) -> MonitorWorld:
    a, b = personas.municipality_a, personas.municipality_b
    with scopes_disabled():
        catalogue_ensure_defaults(municipality=a)
        noord = DistrictFactory.create(municipality=a, code=NOORD, name="Noord Alfa")
        markt = NeighbourhoodFactory.create(
            district=personas.district_a, code=MARKT, name="Nieuwe Markt", boundary=_square(4.0, 52.01)
        )
        bergweg = NeighbourhoodFactory.create(
            district=noord,
            code=BERGWEG,
            name="Bergweg",
            boundary=_square(4.01, 52.0),
        )
        analyst = UserFactory.create(email="analist@alfadorp.test", display_name="Anna Analist")
        RoleAssignmentFactory.create(user=analyst, municipality=a, role=Role.ANALYST)
    return MonitorWorld(
        personas=personas,
        analyst=analyst,
        noord=noord,
        markt=markt,
        bergweg=bergweg,
        q3=add_snapshot(a, "2026-Q3", Q3_ROWS),
        q2=add_snapshot(a, "2026-Q2", Q2_ROWS),
        q4_running=add_snapshot(a, "2026-Q4", [], status=SnapshotStatus.RUNNING),
        beta_q3=add_snapshot(b, "2026-Q3", _counts("visits.total", {"GM0002": 999})),
    )


@pytest.fixture
def monitor_world(personas: Personas) -> MonitorWorld:
    return build_monitor_world(personas)


@pytest.fixture
def analyst_client(monitor_world: MonitorWorld) -> Client:
    # Snapshots hold no personal data: an analyst has no second factor and needs none.
    return login(Client(), monitor_world.analyst, second_factor=False)
