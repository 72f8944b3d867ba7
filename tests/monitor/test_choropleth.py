"""The neighbourhood map as inline SVG: shapes, classes, legend, protected and missing values, escaping."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace
from typing import Any

from django.utils import translation

from nabij.monitor.choropleth import MISSING, PALETTE, choropleth_svg, class_breaks, class_of

SVG = "{http://www.w3.org/2000/svg}"
DASH = "\N{EN DASH}"


def square(lon: float, lat: float, size: float = 0.01) -> dict[str, Any]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def area(code: str, name: str, lon: float, lat: float, boundary: dict[str, Any] | None = None) -> SimpleNamespace:
    return SimpleNamespace(code=code, name=name, boundary=boundary, centroid_lon=lon + 0.005, centroid_lat=lat + 0.005)


# Five neighbourhoods in a row from west to east, the last one without a boundary.
AREAS = [
    area("BU00010101", "Oude Haven", 4.00, 52.0, square(4.00, 52.0)),
    area("BU00010102", "Molenbuurt", 4.01, 52.0, square(4.01, 52.0)),
    area("BU00010103", "Hofje", 4.02, 52.0, square(4.02, 52.0)),
    area("BU00010104", "Noord", 4.03, 52.0, square(4.03, 52.0)),
    area("BU00010105", "Zonder grens", 4.04, 52.0),
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def shapes(root: ET.Element) -> dict[str, ET.Element]:
    group = root.find(f"{SVG}g[@class='nabij-choropleth__areas']")
    assert group is not None
    return {element.get("data-code", ""): element for element in group}


def legend_texts(root: ET.Element) -> list[str]:
    group = root.find(f"{SVG}g[@class='nabij-choropleth__legend']")
    assert group is not None
    return [element.text or "" for element in group.iter(f"{SVG}text")]


def test_accessible_image_with_title_and_description() -> None:
    svg = choropleth_svg(AREAS, {"BU00010101": 10.0, "BU00010102": 90.0}, title="Bereik, epa", unit="%")
    root = parse(svg)
    assert root.get("role") == "img"
    title_id, desc_id = (root.get("aria-labelledby") or "").split()
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.get("id") == title_id and title.text == "Bereik, epa"
    assert desc is not None and desc.get("id") == desc_id
    assert "Laagste waarde: Oude Haven (10,0%)" in (desc.text or "")
    assert "Hoogste waarde: Molenbuurt (90,0%)" in (desc.text or "")
    assert "De cijfers staan ook in de tabel." in (desc.text or "")


def test_one_shape_per_neighbourhood_with_its_name_and_value() -> None:
    values: dict[str, float | None] = {"BU00010101": 0.0, "BU00010102": 25.0, "BU00010103": 50.0}
    values |= {"BU00010104": 75.0, "BU00010105": 100.0}
    root = parse(choropleth_svg(AREAS, values, title="Kaart", unit="%"))
    found = shapes(root)
    assert list(found) == [a.code for a in AREAS]
    assert [found[a.code].tag for a in AREAS] == [f"{SVG}path"] * 4 + [f"{SVG}rect"]  # no boundary: a square
    # Equal intervals of 20 between 0 and 100: one value in each class, light to dark.
    assert [found[a.code].get("fill") for a in AREAS] == list(PALETTE)
    tooltip = found["BU00010103"].find(f"{SVG}title")
    assert tooltip is not None and tooltip.text == "Hofje: 50,0%"
    bounds = ["0,0", "20,0", "40,0", "60,0", "80,0", "100,0"]
    assert legend_texts(root) == [f"{low} {DASH} {high}%" for low, high in itertools.pairwise(bounds)]


def test_west_is_left_and_north_is_up() -> None:
    north = area("BU00010106", "Boven", 4.00, 52.02, square(4.00, 52.02))
    root = parse(choropleth_svg([AREAS[0], AREAS[1], north], {}, title="Kaart", unit="%"))
    found = shapes(root)

    def first_point(code: str) -> tuple[float, float]:
        match = re.match(r"M([\d.]+),([\d.]+)", found[code].get("d", ""))
        assert match is not None
        return float(match.group(1)), float(match.group(2))

    assert first_point("BU00010101")[0] < first_point("BU00010102")[0]
    assert first_point("BU00010106")[1] < first_point("BU00010101")[1]


def test_protected_values_are_hatched_and_missing_ones_grey() -> None:
    values: dict[str, float | None] = {"BU00010101": 3.0, "BU00010102": 7.0, "BU00010103": None}
    svg = choropleth_svg(AREAS, values, title="Kaart", unit="count", suppressed={"BU00010104"})
    root = parse(svg)
    found = shapes(root)
    pattern = root.find(f"{SVG}defs/{SVG}pattern")
    assert pattern is not None
    assert found["BU00010104"].get("fill") == f"url(#{pattern.get('id')})"
    assert found["BU00010103"].get("fill") == MISSING
    assert found["BU00010105"].get("fill") == MISSING  # absent from `values`
    tooltip = found["BU00010104"].find(f"{SVG}title")
    assert tooltip is not None and tooltip.text == "Noord: afgeschermd (te weinig mensen)"
    texts = legend_texts(root)
    assert texts[-2:] == ["afgeschermd (te weinig mensen)", "geen gegevens"]
    # Counts are whole numbers, shown without decimals.
    assert texts[0] == f"3,0 {DASH} 3,8"  # (7 - 3) / 5 = 0,8 per class: the bounds need a decimal
    tooltip = found["BU00010101"].find(f"{SVG}title")
    assert tooltip is not None and tooltip.text == "Oude Haven: 3"  # a count: no decimals
    desc = root.find(f"{SVG}desc")
    assert desc is not None and "Buurten die afgeschermd zijn omdat het om te weinig mensen gaat: 1." in (
        desc.text or ""
    )


def test_a_suppressed_code_never_shows_its_value() -> None:
    svg = choropleth_svg(
        AREAS[:2], {"BU00010101": 12.0, "BU00010102": 3.0}, title="K", unit="count", suppressed={"BU00010102"}
    )
    assert "3" not in "".join(t.text or "" for t in parse(svg).iter(f"{SVG}title") if "Molenbuurt" in (t.text or ""))
    assert "Molenbuurt: afgeschermd" in svg


def test_all_values_equal_is_one_class() -> None:
    root = parse(choropleth_svg(AREAS[:2], {"BU00010101": 4.0, "BU00010102": 4.0}, title="K", unit="count"))
    fills = {element.get("fill") for element in shapes(root).values()}
    assert fills == {PALETTE[2]}
    assert legend_texts(root) == ["4"]


def test_names_and_title_are_escaped() -> None:
    evil = area("BU00010101", '<script>alert("x")</script> & Co', 4.0, 52.0, square(4.0, 52.0))
    svg = choropleth_svg([evil], {"BU00010101": 1.0}, title="<b>Titel</b>", unit="%")
    assert "<script>" not in svg and "<b>" not in svg
    root = parse(svg)  # still well-formed XML
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == "<b>Titel</b>"
    tooltip = shapes(root)["BU00010101"].find(f"{SVG}title")
    assert tooltip is not None and tooltip.text == '<script>alert("x")</script> & Co: 1,0%'


def test_multipolygon_with_a_hole_is_drawn_even_odd() -> None:
    outer = [[4.0, 52.0], [4.02, 52.0], [4.02, 52.02], [4.0, 52.02], [4.0, 52.0]]
    hole = [[4.005, 52.005], [4.015, 52.005], [4.015, 52.015], [4.005, 52.015], [4.005, 52.005]]
    island = square(4.03, 52.0)["coordinates"]
    multi = {"type": "MultiPolygon", "coordinates": [[outer, hole], island]}
    root = parse(choropleth_svg([area("BU00010101", "Eiland", 4.0, 52.0, multi)], {}, title="K", unit="%"))
    path = shapes(root)["BU00010101"]
    assert path.get("fill-rule") == "evenodd"
    assert path.get("d", "").count("M") == 3  # outer ring, hole, island


def test_english_numbers_and_days() -> None:
    with translation.override("en"):
        root = parse(choropleth_svg(AREAS[:2], {"BU00010101": 1.5, "BU00010102": 1234.0}, title="K", unit="%"))
    tooltip = shapes(root)["BU00010101"].find(f"{SVG}title")
    assert tooltip is not None and tooltip.text == "Oude Haven: 1.5%"
    root = parse(choropleth_svg(AREAS[:2], {"BU00010101": 1.0, "BU00010102": 14.0}, title="K", unit="days"))
    found = shapes(root)
    assert [found[c].find(f"{SVG}title").text for c in ("BU00010101", "BU00010102")] == [  # type: ignore[union-attr]
        "Oude Haven: 1 dag",
        "Molenbuurt: 14 dagen",
    ]


def test_no_neighbourhoods_is_still_an_image() -> None:
    root = parse(choropleth_svg([], {}, title="Leeg", unit="%"))
    assert root.get("role") == "img" and shapes(root) == {}


def test_class_breaks() -> None:
    assert class_breaks([]) == []
    assert class_breaks([2.0, 2.0]) == [2.0]
    breaks = class_breaks([0.0, 10.0])
    assert breaks == [2.0, 4.0, 6.0, 8.0, 10.0]
    assert [class_of(v, breaks) for v in (0.0, 2.0, 2.1, 9.9, 10.0)] == [0, 0, 1, 4, 4]


def test_areas_without_a_boundary_stay_inside_the_picture() -> None:
    far = area("BU00010109", "Ver weg", 4.30, 52.10)  # no boundary, far north-east of the others
    tiny = area("BU00010108", "Klein", 4.0, 52.0, square(4.0, 52.0, size=0.00001))  # a metre wide
    root = parse(choropleth_svg([AREAS[0], far, tiny], {}, title="K", unit="%"))
    width, height = (float(v) for v in (root.get("viewBox") or "").split()[2:])
    found = shapes(root)
    for code in ("BU00010109", "BU00010108"):
        rect = found[code]
        assert rect.tag == f"{SVG}rect"  # no boundary, or too small to see: a square
        x, y = float(rect.get("x", "-1")), float(rect.get("y", "-1"))
        assert 0 <= x <= width - 12 and 0 <= y <= height - 12
