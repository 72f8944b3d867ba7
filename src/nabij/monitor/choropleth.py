"""A neighbourhood map (choropleth) as inline SVG, drawn on the server: no JavaScript, no tiles.

Each neighbourhood is drawn from its GeoJSON boundary (a square at its centroid when it has none),
coloured by its value in one of five classes of a colour-blind-safe sequential palette (ColorBrewer
YlGnBu, dark = high). Suppressed (protected) values are hatched, missing ones light grey; both are in the legend.
The SVG is `role="img"` with a `<title>` and a `<desc>` that says what the map shows; every area has
its own `<title>` (name and value) for a pointer. The numbers belong in a table next to the map:
the map is the picture, the table is the data.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nabij.monitor.coverage import polygons_of

# ColorBrewer YlGnBu, 5 classes: sequential and safe for the common colour-vision deficiencies.
PALETTE = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
MISSING = "#d9d9d9"
HATCH_STROKE = "#4d4d4d"
OUTLINE = "#4d4d4d"
TEXT = "#1a1a1a"
CLASSES = len(PALETTE)

WIDTH = 640.0
MAX_MAP_HEIGHT = 560.0
PAD = 8.0
SQUARE = 12.0  # side of the marker of an area without a boundary
LEGEND_ROW = 24.0
# Consecutive boundary points closer than this (in SVG units) are dropped: keeps the page small.
SIMPLIFY = 0.75


@dataclass
class _Shape:
    code: str
    name: str
    rings: list[list[tuple[float, float]]]  # lon/lat rings; empty → square at the centroid
    centroid: tuple[float, float]  # lon, lat


def _shape(area: Any) -> _Shape:
    rings = [[(float(p[0]), float(p[1])) for p in ring] for polygon in polygons_of(area.boundary) for ring in polygon]
    return _Shape(str(area.code), str(area.name), rings, (float(area.centroid_lon), float(area.centroid_lat)))


def class_breaks(values: Sequence[float]) -> list[float]:
    """Upper bounds of five equal-interval classes between the lowest and highest value (one class
    when they are all equal)."""
    if not values:
        return []
    low, high = min(values), max(values)
    if math.isclose(low, high):
        return [high]
    step = (high - low) / CLASSES
    return [low + step * (k + 1) for k in range(CLASSES - 1)] + [high]


def class_of(value: float, breaks: Sequence[float]) -> int:
    for index, bound in enumerate(breaks):
        if value <= bound + 1e-9:
            return index
    return len(breaks) - 1


def _colour(index: int, classes: int) -> str:
    # One class (all values equal) takes the middle colour; fewer classes spread over the palette.
    if classes <= 1:
        return PALETTE[CLASSES // 2]
    return PALETTE[round(index * (CLASSES - 1) / (classes - 1))]


def _number(value: float, decimals: int) -> str:
    return str(number_format(value, decimal_pos=decimals, use_l10n=True))


def format_value(value: float, unit: str, decimals: int) -> str:
    """A number with its unit: the monitor's unit codes (`percentage`, `count`, `ratio`, `days`) or any
    word to put after it ("procentpunt")."""
    number = _number(value, decimals)
    if unit in ("%", "percentage"):
        return f"{number}%"
    if unit in ("", "count", "ratio"):
        return number
    if unit == "days":
        return ngettext("%(days)s dag", "%(days)s dagen", 1 if value == 1 else 2) % {"days": number}
    return f"{number} {unit}"


class _Frame:
    """Equirectangular lon/lat → SVG units, fitted to the map area with the north up."""

    def __init__(self, shapes: Sequence[_Shape]) -> None:
        # Boundaries, and the centroids of areas drawn as a square: everything must fit.
        points = [p for s in shapes for ring in s.rings for p in ring] + [s.centroid for s in shapes if not s.rings]
        lons = [p[0] for p in points]
        lats = [p[1] for p in points]
        self.kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
        self.left, self.top = min(lons) * self.kx, max(lats)
        span_x = max((max(lons) - min(lons)) * self.kx, 1e-9)
        span_y = max(max(lats) - min(lats), 1e-9)
        inner = WIDTH - 2 * PAD
        self.scale = min(inner / span_x, (MAX_MAP_HEIGHT - 2 * PAD) / span_y)
        if max(lons) == min(lons) and max(lats) == min(lats):
            self.scale = 1.0  # one point: anything will do
        # Centre horizontally when the height is what limits the scale.
        self.offset_x = PAD + (inner - span_x * self.scale) / 2 if span_x * self.scale < inner else PAD
        self.height = span_y * self.scale + 2 * PAD

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return self.offset_x + (lon * self.kx - self.left) * self.scale, PAD + (self.top - lat) * self.scale


def _path(shape: _Shape, frame: _Frame) -> str:
    """The shape as path data; empty when it has no boundary or would be too small to see (then a
    square marks it at its centroid, so no neighbourhood disappears from the map)."""
    if not shape.rings:
        return ""
    corners = [frame.xy(lon, lat) for ring in shape.rings for lon, lat in ring]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    if max(max(xs) - min(xs), max(ys) - min(ys)) < SQUARE / 2:
        return ""
    parts: list[str] = []
    for ring in shape.rings:
        kept: list[tuple[float, float]] = []
        for lon, lat in ring:
            x, y = frame.xy(lon, lat)
            if kept and abs(x - kept[-1][0]) < SIMPLIFY and abs(y - kept[-1][1]) < SIMPLIFY:
                continue
            kept.append((x, y))
        if len(kept) < 3:
            continue
        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in kept) + "Z")
    return "".join(parts)


def choropleth_svg(
    neighbourhoods: Iterable[Any],
    values: dict[str, float | None],
    *,
    title: str,
    unit: str,
    suppressed: set[str] | None = None,
    decimals: int | None = None,
) -> SafeString:
    """An inline SVG map of `neighbourhoods` (objects with code, name, boundary, centroid_lat,
    centroid_lon) coloured by `values` (code → number; None or absent = no data). Codes in
    `suppressed` are hatched as protected. `unit` follows each number: a monitor unit (`percentage`,
    `count`, `ratio`, `days`), "%" or a word ("procentpunt"). `decimals` fixes the decimals shown
    (default: one, none for whole counts)."""
    hidden = set(suppressed or ())
    shapes = [_shape(n) for n in neighbourhoods]
    known = {code: float(v) for code, v in values.items() if v is not None and code not in hidden}
    numbers = [known[s.code] for s in shapes if s.code in known]
    # Percentages always with one decimal, as everywhere in the monitor; whole counts without.
    if decimals is None:
        decimals = 0 if unit not in ("%", "percentage") and all(float(n).is_integer() for n in numbers) else 1
    breaks = class_breaks(numbers)
    uid = uuid.uuid4().hex[:8]
    title_id, desc_id, hatch_id = f"map-{uid}-title", f"map-{uid}-desc", f"map-{uid}-hatch"

    if not shapes:
        frame_height = 0.0
        body: list[str] = []
    else:
        frame = _Frame(shapes)
        frame_height = frame.height
        body = []
        for shape in shapes:
            if shape.code in hidden:
                fill, label = f"url(#{hatch_id})", _("afgeschermd (te weinig mensen)")
            elif shape.code in known:
                value = known[shape.code]
                fill, label = _colour(class_of(value, breaks), len(breaks)), format_value(value, unit, decimals)
            else:
                fill, label = MISSING, _("geen gegevens")
            tooltip = f"<title>{escape(shape.name)}: {escape(label)}</title>"
            path = _path(shape, frame)
            if path:
                body.append(
                    f'<path d="{path}" fill="{fill}" fill-rule="evenodd" stroke="{OUTLINE}" stroke-width="0.75" '
                    f'data-code="{escape(shape.code)}">{tooltip}</path>'
                )
            else:
                x, y = frame.xy(*shape.centroid)
                body.append(
                    f'<rect x="{x - SQUARE / 2:.1f}" y="{y - SQUARE / 2:.1f}" width="{SQUARE:.0f}" '
                    f'height="{SQUARE:.0f}" fill="{fill}" stroke="{OUTLINE}" stroke-width="0.75" '
                    f'data-code="{escape(shape.code)}">{tooltip}</rect>'
                )

    # The legend: one row per class, then "protected" and "no data" when they occur.
    legend: list[tuple[str, str]] = []
    lower = min(numbers) if numbers else 0.0
    # Whole numbers can still have fractional class bounds (3 to 7 in five classes): show them.
    places = 0 if decimals == 0 and all(float(b).is_integer() for b in breaks) else 1
    for index, bound in enumerate(breaks):
        if len(breaks) == 1:
            text = format_value(bound, unit, decimals)
        else:
            text = f"{_number(lower, places)} \N{EN DASH} {format_value(bound, unit, places)}"
        legend.append((_colour(index, len(breaks)), text))
        lower = bound
    if hidden & {s.code for s in shapes}:
        legend.append((f"url(#{hatch_id})", _("afgeschermd (te weinig mensen)")))
    if any(s.code not in known and s.code not in hidden for s in shapes):
        legend.append((MISSING, _("geen gegevens")))
    legend_top = frame_height + PAD
    rows = []
    for k, (fill, text) in enumerate(legend):
        y = legend_top + k * LEGEND_ROW
        rows.append(
            f'<rect x="{PAD:.0f}" y="{y:.1f}" width="18" height="14" fill="{fill}" stroke="{OUTLINE}" '
            f'stroke-width="0.75"/><text x="{PAD + 26:.0f}" y="{y + 12:.1f}" font-size="14" fill="{TEXT}">'
            f"{escape(text)}</text>"
        )
    height = legend_top + len(legend) * LEGEND_ROW + PAD

    description = _describe(shapes, known, hidden, unit, decimals)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="nabij-choropleth" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" viewBox="0 0 {WIDTH:.0f} {height:.1f}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" style="max-width: {WIDTH:.0f}px; height: auto; display: block" '
        f'font-family="inherit">'
        f'<title id="{title_id}">{escape(title)}</title>'
        f'<desc id="{desc_id}">{escape(description)}</desc>'
        f'<defs><pattern id="{hatch_id}" patternUnits="userSpaceOnUse" width="6" height="6" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{HATCH_STROKE}" stroke-width="2"/></pattern></defs>'
        f'<g class="nabij-choropleth__areas">{"".join(body)}</g>'
        f'<g class="nabij-choropleth__legend">{"".join(rows)}</g>'
        f"</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every interpolated text above is escaped


def _describe(shapes: Sequence[_Shape], known: dict[str, float], hidden: set[str], unit: str, decimals: int) -> str:
    """One sentence a screen reader can use instead of the picture: lowest and highest area."""
    present = [s for s in shapes if s.code in known]
    sentences = [
        _("Buurten op de kaart: %(count)s. Hoe donkerder de kleur, hoe hoger de waarde.") % {"count": len(shapes)}
    ]
    if present:
        low = min(present, key=lambda s: (known[s.code], s.name))
        high = max(present, key=lambda s: (known[s.code], s.name))
        sentences.append(
            _("Laagste waarde: %(low_name)s (%(low)s). Hoogste waarde: %(high_name)s (%(high)s).")
            % {
                "low_name": low.name,
                "low": format_value(known[low.code], unit, decimals),
                "high_name": high.name,
                "high": format_value(known[high.code], unit, decimals),
            }
        )
    hidden_count = sum(1 for s in shapes if s.code in hidden)
    if hidden_count:
        sentences.append(
            _("Buurten die afgeschermd zijn omdat het om te weinig mensen gaat: %(count)s.") % {"count": hidden_count}
        )
    sentences.append(_("De cijfers staan ook in de tabel."))
    return " ".join(sentences)
