"""Reads of stored snapshots for the dashboard pages, the API, the CSV and the PDF report.

Snapshots hold only published values: small-cell protection ran before anything was stored, so a
suppressed value has no numbers to leak. What this module adds is how a value is *shown*: a
suppressed count as "<5" (or the municipality's own threshold), any other suppressed figure as a dash.
All functions need the municipality's scope (django-scopes), as every page and command has.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.db.models.functions import Substr
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nabij.core.models import District, Municipality
from nabij.monitor.areas import AreaTree, area_tree
from nabij.monitor.indicators.definitions import BY_CODE, FAMILIES, INDICATORS, Indicator, breakdown_of
from nabij.monitor.models import MonitorSettings, Snapshot, SnapshotStatus, SnapshotValue, Unit
from nabij.monitor.models.snapshots import DEFAULT_MIN_COUNT
from nabij.socialmap.models import Domain, IsolationType, ParticipationType, TargetGroup

ISOLATION_PREFIX = "isolation:"
# Typographic signs, written as escapes so no one mistakes them for a hyphen in the source.
DASH = "\u2013"  # en dash: no figure to show
MINUS = "\u2212"
LEVELS = ("GM", "WK", "BU")
# The breakdown that best sums up an indicator in one figure, for the overview's headline.
HEADLINE_BREAKDOWN = {
    "coverage": "any",
    "visits": "total",
    "coherence": "linked",
    "coherence_structure": "components",
    "ladder_movement": "up",
    "loneliness_change": "better",
}


# --- snapshots -------------------------------------------------------------------------------------


def monitor_settings(municipality: Municipality) -> MonitorSettings:
    """The municipality's settings, or the defaults (unsaved) when it has none: the one reader that
    snapshots, the what-if and the pages share."""
    found = MonitorSettings.objects.filter(municipality=municipality).first()
    return found or MonitorSettings(municipality=municipality)


def snapshots_of(municipality: Municipality) -> QuerySet[Snapshot]:
    """Every snapshot of the municipality, newest period first (running and failed ones included)."""
    return Snapshot.objects.filter(municipality=municipality).order_by("-period")


def published_snapshots(municipality: Municipality) -> QuerySet[Snapshot]:
    """The finished snapshots: the only ones pages and exports read values from."""
    return snapshots_of(municipality).filter(status=SnapshotStatus.DONE)


def published_snapshot(municipality: Municipality, period: str) -> Snapshot | None:
    return published_snapshots(municipality).filter(period=period).first()


def min_count_for(snapshot: Snapshot) -> int:
    """The threshold a suppressed count stands for: the one in force when the snapshot was made, else
    the municipality's setting, else the default (5)."""
    stored = (snapshot.parameters or {}).get("min_count")
    if isinstance(stored, int) and stored > 0:
        return stored
    return settings_min_count(snapshot.municipality_id)


def settings_min_count(municipality_id: int) -> int:
    settings = MonitorSettings.objects.filter(municipality_id=municipality_id).first()
    return settings.min_count if settings else DEFAULT_MIN_COUNT


# --- values ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ValueFilter:
    """Which values to read. Empty strings mean "all"; `target_group` None is all groups, "" everyone."""

    family: str = ""
    code: str = ""  # an indicator code (`coverage`) or a full value code (`coverage.bewegen`)
    level: str = ""  # GM, WK or BU
    district: str = ""  # a WK code: that district and its neighbourhoods
    area_code: str = ""
    target_group: str | None = None
    breakdown: str | None = None  # None is all; "" is the value without a breakdown


def _code_q(code: str) -> Q:
    return Q(indicator=code) | Q(indicator__startswith=f"{code}.")


def filter_values(values: QuerySet[SnapshotValue], spec: ValueFilter) -> QuerySet[SnapshotValue]:
    if spec.family:
        codes = [i.code for i in INDICATORS if i.family == spec.family]
        family_q = Q(pk__in=[])
        for code in codes:
            family_q |= _code_q(code)
        values = values.filter(family_q)
    if spec.code:
        base = spec.code.split(".", 1)[0]
        if spec.breakdown is not None and "." not in spec.code:
            values = values.filter(indicator=f"{base}.{spec.breakdown}" if spec.breakdown else base)
        elif "." in spec.code:
            values = values.filter(indicator=spec.code)
        else:
            values = values.filter(_code_q(base))
    if spec.level:
        values = values.filter(area_code__startswith=spec.level)
    if spec.district:
        # CBS neighbourhood codes start with their district's digits: BU + the 6 digits of WK.
        values = values.filter(Q(area_code=spec.district) | Q(area_code__startswith=f"BU{spec.district[2:]}"))
    if spec.area_code:
        values = values.filter(area_code=spec.area_code)
    if spec.target_group is not None:
        values = values.filter(target_group=spec.target_group)
    return values


def values_of(snapshot: Snapshot, spec: ValueFilter | None = None) -> QuerySet[SnapshotValue]:
    values = SnapshotValue.objects.filter(snapshot=snapshot).order_by("indicator", "area_code", "target_group", "pk")
    return filter_values(values, spec or ValueFilter())


def dimensions_of(snapshot: Snapshot, code: str) -> dict[str, list[str]]:
    """What one indicator's values vary by in this snapshot: levels, target groups and breakdowns present."""
    rows = (
        values_of(snapshot, ValueFilter(code=code))
        .order_by()
        .annotate(level=Substr("area_code", 1, 2))
        .values_list("indicator", "level", "target_group")
        .distinct()
    )
    levels: set[str] = set()
    groups: set[str] = set()
    breakdowns: set[str] = set()
    for indicator, level, target_group in rows:
        levels.add(level)
        groups.add(target_group)
        breakdowns.add(breakdown_of(indicator))
    return {
        "levels": [level for level in LEVELS if level in levels],
        "target_groups": sorted(groups, key=lambda g: (g != "", g.startswith(ISOLATION_PREFIX), g)),
        "breakdowns": sorted(breakdowns, key=breakdown_order),
    }


def breakdown_order(breakdown: str) -> tuple[int, str]:
    # Totals and "any" go last, so a chart reads parts first, then their whole.
    last = breakdown in ("any", "total") or breakdown.endswith(".total")
    return (1 if last else 0, breakdown)


def headlines(snapshot: Snapshot, municipality: Municipality) -> dict[str, SnapshotValue]:
    """One figure per indicator for the overview: the municipality's value for everyone (or the first
    group), for the breakdown that sums it up best."""
    best: dict[str, tuple[tuple[int, int, str, str], SnapshotValue]] = {}
    for value in values_of(snapshot, ValueFilter(area_code=municipality.code)):
        code = value.indicator.split(".", 1)[0]
        if code not in BY_CODE:
            continue
        breakdown = breakdown_of(value.indicator)
        if breakdown == HEADLINE_BREAKDOWN.get(code) or not breakdown:
            breakdown_rank = 0
        elif breakdown.endswith("total"):
            breakdown_rank = 1
        else:
            breakdown_rank = 2
        rank = (0 if value.target_group == "" else 1, breakdown_rank, value.target_group, breakdown)
        if code not in best or rank < best[code][0]:
            best[code] = (rank, value)
    return {code: value for code, (_rank, value) in best.items()}


@dataclass(frozen=True)
class Difference:
    other: SnapshotValue | None
    change: float | None  # this period minus the other; only where both are published


def compare(
    values: Iterable[SnapshotValue], other: Snapshot, spec: ValueFilter | None = None
) -> dict[tuple[str, str, str], Difference]:
    """Join this period's values to another period's on (indicator, area, target group)."""
    mine = list(values)
    theirs = {(v.indicator, v.area_code, v.target_group): v for v in values_of(other, spec)}
    result: dict[tuple[str, str, str], Difference] = {}
    for value in mine:
        key = (value.indicator, value.area_code, value.target_group)
        match = theirs.get(key)
        change = None
        if match is not None and _published(value) and _published(match):
            assert value.value is not None and match.value is not None
            change = round(value.value - match.value, 2)
        result[key] = Difference(match, change)
    return result


def _published(value: SnapshotValue) -> bool:
    return not value.suppressed and value.value is not None


# --- labels and display ----------------------------------------------------------------------------


@dataclass
class Labels:
    """Names for the codes in a snapshot, in one language: areas, target groups, breakdowns."""

    language: str
    areas: AreaTree
    municipality_name: str
    target_groups: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    domains: dict[str, str] = field(default_factory=dict)

    def area(self, code: str) -> str:
        if code == self.areas.municipality:
            return self.municipality_name
        return self.areas.name(code)

    def target_group(self, code: str) -> str:
        if code == "":
            return _("iedereen")
        if code.startswith(ISOLATION_PREFIX):
            kind = code[len(ISOLATION_PREFIX) :]
            choices = dict(IsolationType.choices)
            return str(choices[kind]) if kind in choices else kind
        return self.target_groups.get(code, code)

    def breakdown(self, value_code: str) -> str:
        breakdown = breakdown_of(value_code)
        if not breakdown:
            return ""
        words = _breakdown_words()
        parts = breakdown.split(".")
        if parts[0] == "type" and len(parts) == 2:
            return _("soort: %(name)s") % {"name": self.types.get(parts[1], parts[1])}
        if parts[0] == "domain" and len(parts) == 2:
            return _("domein: %(name)s") % {"name": self.domains.get(parts[1], parts[1])}
        shown: list[str] = []
        for part in parts:
            if part in words:
                shown.append(words[part])
            elif part in self.types:
                shown.append(self.types[part])
            elif part.rstrip("+").isdigit():
                shown.append(_barrier_count(part))
            else:
                shown.append(part)
        return ", ".join(shown)

    def indicator(self, indicator: Indicator) -> str:
        return indicator.name(self.language)


def _breakdown_words() -> dict[str, str]:
    return {
        "any": _("elke soort"),
        "total": _("totaal"),
        "linked": _("verbonden met een andere"),
        "largest": _("in het grootste netwerk"),
        "components": _("losse netwerken"),
        "bridges": _("bruggen"),
        "communities": _("gemeenschappen"),
        "up": _("omhoog"),
        "same": _("gelijk"),
        "down": _("omlaag"),
        "better": _("beter"),
        "worse": _("slechter"),
    }


def _barrier_count(part: str) -> str:
    if part.endswith("+"):
        return _("%(count)s of meer drempels") % {"count": part[:-1]}
    count = int(part)
    return ngettext("%(count)s drempel", "%(count)s drempels", count) % {"count": count}


def labels_for(municipality: Municipality, language: str) -> Labels:
    english = language.startswith("en")
    labels = Labels(
        language="en" if english else "nl", areas=area_tree(municipality), municipality_name=municipality.name
    )
    for group in TargetGroup.objects.filter(municipality=municipality):
        labels.target_groups[group.code] = group.name_en if english and group.name_en else group.name_nl
    labels.types = {t.code: t.label(language) for t in ParticipationType.objects.filter(municipality=municipality)}
    labels.domains = {d.code: d.label(language) for d in Domain.objects.filter(municipality=municipality)}
    return labels


def unit_label(unit: str) -> str:
    return str(dict(Unit.choices).get(unit, unit))


def format_number(number: float | None, unit: str) -> str:
    """A published figure in the request's language: 1.234 / 12,5% / 14 dagen / 0,85."""
    if number is None or math.isnan(number):
        return DASH
    if unit == Unit.COUNT:
        return formats.number_format(round(number), 0, force_grouping=True)
    if unit == Unit.PERCENTAGE:
        return f"{formats.number_format(number, 1)}%"
    if unit == Unit.DAYS:
        shown = formats.number_format(number, 0 if float(number).is_integer() else 1)
        return ngettext("%(days)s dag", "%(days)s dagen", 1 if number == 1 else 2) % {"days": shown}
    return formats.number_format(number, 2)


def format_change(change: float | None, unit: str) -> str:
    if change is None:
        return DASH
    sign = "+" if change > 0 else (MINUS if change < 0 else "±")
    size = abs(change)
    if unit == Unit.PERCENTAGE:
        return sign + ngettext("%(points)s procentpunt", "%(points)s procentpunten", 1 if size == 1 else 2) % {
            "points": formats.number_format(size, 1)
        }
    return sign + format_number(size, unit)


@dataclass(frozen=True)
class Shown:
    """A value as a person reads it: the figure and its parts, with suppression applied."""

    value: str
    numerator: str
    denominator: str
    suppressed: bool
    explanation: str  # why there is no figure, for suppressed values


def shown(value: SnapshotValue, min_count: int) -> Shown:
    if value.suppressed:
        if value.unit == Unit.COUNT:
            less = f"<{min_count}"
            return Shown(less, less, "", True, _("minder dan %(count)s") % {"count": min_count})
        return Shown(DASH, DASH, DASH, True, _("te weinig mensen om te tonen"))
    numerator = "" if value.numerator is None else format_number(value.numerator, Unit.COUNT)
    denominator = "" if value.denominator is None else format_number(value.denominator, Unit.COUNT)
    return Shown(format_number(value.value, value.unit), numerator, denominator, False, "")


@dataclass
class Row:
    """One value with everything a table row, a bar or the PDF needs."""

    value: SnapshotValue
    indicator: Indicator
    area_name: str
    level: str
    target_group: str
    breakdown: str
    shown: Shown
    other: Shown | None = None
    other_number: float | None = None  # the other period's figure, where published
    other_missing: bool = False
    change: str = ""
    change_number: float | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.value.indicator, self.value.area_code, self.value.target_group)


def rows_for(
    values: Iterable[SnapshotValue],
    labels: Labels,
    min_count: int,
    differences: dict[tuple[str, str, str], Difference] | None = None,
) -> list[Row]:
    rows: list[Row] = []
    for value in values:
        code = value.indicator.split(".", 1)[0]
        indicator = BY_CODE.get(code)
        if indicator is None:
            continue  # a code from a newer release than this one: leave it out rather than guess
        row = Row(
            value=value,
            indicator=indicator,
            area_name=labels.area(value.area_code),
            level=value.area_code[:2],
            target_group=labels.target_group(value.target_group),
            breakdown=labels.breakdown(value.indicator),
            shown=shown(value, min_count),
        )
        if differences is not None:
            difference = differences.get(row.key)
            if difference is None or difference.other is None:
                row.other_missing = True
            else:
                row.other = shown(difference.other, min_count)
                row.other_number = None if difference.other.suppressed else difference.other.value
                row.change_number = difference.change
                row.change = format_change(difference.change, value.unit)
        rows.append(row)
    return rows


def families_with_indicators(codes: Iterable[str]) -> list[tuple[str, str, list[Indicator]]]:
    """(family code, family name, indicators with values) in the registry's order."""
    present = set(codes)
    return [
        (family, str(name), [i for i in INDICATORS if i.family == family and i.code in present])
        for family, name in FAMILIES.items()
        if any(i.family == family and i.code in present for i in INDICATORS)
    ]


def districts_of(municipality: Municipality) -> QuerySet[District]:
    return District.objects.filter(municipality=municipality).order_by("name")
