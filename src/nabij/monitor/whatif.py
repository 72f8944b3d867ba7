"""Coverage what-if: "if these activities dropped this barrier (or there were one more activity at this
place), how many more residents of this target group would have an accessible option within reach?"

Pure reading: the supply table is copied into arrays, the scenario changes the copies, and coverage is
computed twice on the same grid (coverage.py). Nothing is written, not even an audit entry: the
what-if shows supply and estimates, never people.

Before and gain go through small-cell protection (two series of the additive `coverage` indicator,
`coverage.<type>.before` and `coverage.<type>.gain`, so the neighbourhoods add up to their district
and the municipality). After is before + gain: it is shown only where both are, so it tells nothing
they do not, and a hidden gain or before can never be recovered from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from nabij.core.models import Municipality
from nabij.monitor.areas import AreaTree, area_tree
from nabij.monitor.coverage import ANY, area_numerators, area_populations, build_reach
from nabij.monitor.indicators.cells import Cell, count_cell, percentage_cell
from nabij.monitor.models import MonitorSettings
from nabij.monitor.selectors import monitor_settings
from nabij.monitor.supply import participation_types, supply_on, target_groups
from nabij.monitor.suppression import protect
from nabij.socialmap.models import AMSTERDAM, ActionPerspective, Barrier, Organisation, Place

BEFORE, GAIN, AFTER = "before", "gain", "after"


@dataclass(frozen=True)
class ActivityFilter:
    """Which activities drop the barriers; every part left empty selects all."""

    participation_type: str = ""  # code
    area: str = ""  # WK or BU code: by the activity's place
    organisation: int | None = None  # pk
    action_perspective: str = ""
    has_barrier: str = ""  # barrier code

    @property
    def is_empty(self) -> bool:
        return not (
            self.participation_type
            or self.area
            or self.organisation is not None
            or self.action_perspective
            or self.has_barrier
        )


@dataclass(frozen=True)
class Hypothetical:
    """A made-up activity at an existing place."""

    place: int  # pk
    participation_type: str
    barriers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scenario:
    target_group: str
    measure: str = ANY  # the participation type whose coverage is compared, or `any`
    select: ActivityFilter = field(default_factory=ActivityFilter)
    remove_barriers: tuple[str, ...] = ()
    add: Hypothetical | None = None
    day: dt.date | None = None  # the supply of this day; default today


def today() -> dt.date:
    return dt.datetime.now(tz=AMSTERDAM).date()


# --- checking a scenario -----------------------------------------------------------------------


def check_scenario(municipality: Municipality, scenario: Scenario) -> None:
    """Raise a ValidationError keyed by field (`target_group`, `measure`, `participation_type`, `area`,
    `organisation`, `action_perspective`, `has_barrier`, `remove_barriers`, `add_place`,
    `add_participation_type`, `add_barriers`) when the scenario does not fit this municipality.
    Needs its scope."""
    errors: dict[str, list[str]] = {}
    groups = dict(target_groups(municipality))
    tree = area_tree(municipality)
    types = participation_types(municipality)
    barriers = _barrier_bits(municipality)
    if scenario.target_group not in groups:
        errors["target_group"] = [_("Deze doelgroep bestaat niet in deze gemeente.")]
    if scenario.measure != ANY and scenario.measure not in types:
        errors["measure"] = [_("Deze soort deelname bestaat niet in deze gemeente.")]
    select = scenario.select
    if select.participation_type and select.participation_type not in types:
        errors["participation_type"] = [_("Deze soort deelname bestaat niet in deze gemeente.")]
    if select.area and select.area not in tree.districts and select.area not in tree.neighbourhoods:
        errors["area"] = [_("Deze wijk of buurt ligt niet in deze gemeente.")]
    if select.organisation is not None and not Organisation.objects.filter(pk=select.organisation).exists():
        errors["organisation"] = [_("Deze organisatie bestaat niet in deze gemeente.")]
    if select.action_perspective and select.action_perspective not in ActionPerspective.values:
        errors["action_perspective"] = [_("Dit handelingsperspectief bestaat niet.")]
    if select.has_barrier and select.has_barrier not in barriers:
        errors["has_barrier"] = [
            _("Deze drempel bestaat niet in deze gemeente: %(codes)s.") % {"codes": select.has_barrier}
        ]
    unknown = [code for code in scenario.remove_barriers if code not in barriers]
    if unknown:
        errors["remove_barriers"] = [
            _("Deze drempel bestaat niet in deze gemeente: %(codes)s.") % {"codes": ", ".join(unknown)}
        ]
    elif not select.is_empty and not scenario.remove_barriers:
        errors["remove_barriers"] = [_("Kies welke drempel de gekozen activiteiten weghalen.")]
    if scenario.add is not None:
        if not located_places().filter(pk=scenario.add.place).exists():
            errors["add_place"] = [
                _("Deze plek bestaat niet in deze gemeente, of ligt niet op de kaart (geen coördinaten).")
            ]
        if scenario.add.participation_type not in types:
            errors["add_participation_type"] = [_("Deze soort deelname bestaat niet in deze gemeente.")]
        unknown = [code for code in scenario.add.barriers if code not in barriers]
        if unknown:
            errors["add_barriers"] = [
                _("Deze drempel bestaat niet in deze gemeente: %(codes)s.") % {"codes": ", ".join(unknown)}
            ]
    if not errors and not scenario.remove_barriers and scenario.add is None:
        errors["__all__"] = [
            _("Kies welke drempel activiteiten weghalen, of voeg een nieuwe activiteit toe. Anders verandert er niets.")
        ]
    if errors:
        raise ValidationError(errors)


def located_places() -> Any:
    """Places a hypothetical activity can go to: in use, with coordinates. Needs the scope."""
    return Place.objects.filter(archived_at__isnull=True, lat__isnull=False, lon__isnull=False)


def _barrier_bits(municipality: Municipality) -> dict[str, int]:
    """Barriers an activity can have (relational ones, like distance, are never in a mask)."""
    return dict(
        Barrier.objects.filter(municipality=municipality, relational=False).values_list("code", "bit").order_by("bit")
    )


def _mask(codes: Sequence[str], bits: dict[str, int]) -> int:
    mask = 0
    for code in codes:
        mask |= 1 << bits[code]
    return mask


# --- the result --------------------------------------------------------------------------------


@dataclass
class AreaOutcome:
    """One area's before, after and gain, after protection (suppressed cells have no numbers)."""

    code: str
    name: str
    level: str  # GM, WK, BU
    before: Cell
    after: Cell
    gain: Cell

    @property
    def population(self) -> int | None:
        """Residents, as the denominator of a published percentage: hidden where both are protected."""
        for cell in (self.after, self.before):
            if not cell.suppressed and cell.denominator is not None:
                return int(cell.denominator)
        return None

    @property
    def points(self) -> float | None:
        """Gain in percentage points: only where the gain and a percentage on this base are published."""
        if self.gain.suppressed or self.after.suppressed or not self.after.denominator:
            return None
        return round(100.0 * float(self.gain.numerator or 0) / self.after.denominator, 1)

    @property
    def suppressed(self) -> bool:
        return self.before.suppressed or self.after.suppressed or self.gain.suppressed


@dataclass
class WhatIfResult:
    scenario: Scenario
    day: dt.date
    selected: int  # published activities active on `day` that the filter selects
    changed: int  # of those, the ones whose profile loses a barrier
    without_place: int  # changed ones without coordinates: they count for nobody's walking distance
    municipality: AreaOutcome
    districts: list[AreaOutcome]
    neighbourhoods: list[AreaOutcome]
    min_count: int
    walk_metres: int
    detour_factor: float

    def rows(self) -> list[AreaOutcome]:
        return [self.municipality, *self.districts, *self.neighbourhoods]


def _selection(table: Any, select: ActivityFilter, tree: AreaTree, bits: dict[str, int]) -> np.ndarray:
    chosen = np.ones(len(table), dtype=bool)
    if select.participation_type:
        index = table.type_codes.index(select.participation_type)
        chosen &= table.type_index == index
    if select.area:
        codes = set(tree.children(select.area)) if select.area.startswith("WK") else {select.area}
        pks = [pk for pk, code in tree.neighbourhood_code.items() if code in codes]
        chosen &= np.isin(table.neighbourhood, np.asarray(pks, dtype=np.int64))
    if select.organisation is not None:
        chosen &= table.organisation == select.organisation
    if select.action_perspective:
        chosen &= np.asarray([p == select.action_perspective for p in table.perspective], dtype=bool)
    if select.has_barrier:
        chosen &= (table.mask & np.int64(1 << bits[select.has_barrier])) != 0
    return chosen


def run_whatif(
    *, municipality: Municipality, scenario: Scenario, settings: MonitorSettings | None = None
) -> WhatIfResult:
    """Coverage before and after the scenario for one target group, per area, protected.

    Checks the scenario first (ValidationError by field). Reads only; needs the municipality's scope.
    """
    check_scenario(municipality, scenario)
    settings = settings or monitor_settings(municipality)
    day = scenario.day or today()
    tree = area_tree(municipality)
    table = supply_on(municipality, day)
    bits = _barrier_bits(municipality)
    group_mask = dict(target_groups(municipality))[scenario.target_group]

    # The scenario, on copies of the arrays.
    mask_after = table.mask.copy()
    chosen = np.zeros(len(table), dtype=bool)
    if scenario.remove_barriers:
        chosen = _selection(table, scenario.select, tree, bits)
        mask_after[chosen] &= ~np.int64(_mask(scenario.remove_barriers, bits))
    changed = mask_after != table.mask
    lat, lon, types = table.lat, table.lon, table.type_index
    mask_before = table.mask
    if scenario.add is not None:
        place = located_places().values_list("lat", "lon").get(pk=scenario.add.place)
        lat = np.append(lat, float(place[0]))
        lon = np.append(lon, float(place[1]))
        types = np.append(types, table.type_codes.index(scenario.add.participation_type))
        extra = _mask(scenario.add.barriers, bits)
        # Before, the new activity does not exist: a mask every group is sensitive to stands in for it.
        mask_before = np.append(mask_before, np.int64(-1))
        mask_after = np.append(mask_after, np.int64(extra))

    reach = build_reach(municipality, settings, lat, lon)
    n_types = len(table.type_codes)
    column = n_types if scenario.measure == ANY else table.type_codes.index(scenario.measure)
    group = np.int64(group_mask)
    exists_before = mask_before != -1
    covered_before = reach.covered(types, exists_before & ((mask_before & group) == 0), n_types)[:, column]
    covered_after = reach.covered(types, (mask_after & group) == 0, n_types)[:, column]
    before = area_numerators(reach.grid, reach.grid.residents(covered_before), tree)
    after = area_numerators(reach.grid, reach.grid.residents(covered_before | covered_after), tree)
    populations = area_populations(tree)

    prefix = f"coverage.{scenario.measure}"
    group_code = scenario.target_group
    cells: list[Cell] = []
    for code in before:
        cells.append(percentage_cell(f"{prefix}.{BEFORE}", code, group_code, before[code], populations[code]))
        cells.append(count_cell(f"{prefix}.{GAIN}", code, group_code, after[code] - before[code]))
    protected = protect(cells, tree, min_count=settings.min_count, min_base=settings.min_base)
    by_key = {(cell.indicator.rsplit(".", 1)[1], cell.area_code): cell for cell in protected}

    def outcome(code: str) -> AreaOutcome:
        shown_before, shown_gain = by_key[(BEFORE, code)], by_key[(GAIN, code)]
        if shown_before.suppressed or shown_gain.suppressed:
            shown_after = Cell(f"{prefix}.{AFTER}", "percentage", code, group_code, None, None, None, True)
        else:
            shown_after = percentage_cell(f"{prefix}.{AFTER}", code, group_code, after[code], populations[code])
        return AreaOutcome(
            code=code,
            name=municipality.name if code == tree.municipality else tree.name(code),
            level=code[:2],
            before=shown_before,
            after=shown_after,
            gain=shown_gain,
        )

    districts = sorted(tree.districts, key=lambda c: (tree.districts[c], c))
    neighbourhoods = sorted(tree.neighbourhoods, key=lambda c: (tree.district_of[c], tree.neighbourhoods[c], c))
    return WhatIfResult(
        scenario=scenario,
        day=day,
        selected=int(chosen.sum()),
        changed=int(changed[: len(table)].sum()),
        without_place=int((changed[: len(table)] & np.isnan(table.lat)).sum()),
        municipality=outcome(tree.municipality),
        districts=[outcome(c) for c in districts],
        neighbourhoods=[outcome(c) for c in neighbourhoods],
        min_count=settings.min_count,
        walk_metres=settings.walk_metres,
        detour_factor=settings.detour_factor,
    )
