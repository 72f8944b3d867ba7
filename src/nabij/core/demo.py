"""Demo step of the core app: Voorbeeldstad's districts and neighbourhoods, with boundaries and figures."""

from __future__ import annotations

import math
import random

from django_scopes import scope

from nabij.core import cbs
from nabij.core.area_files import AreaLevel, AreaRecord
from nabij.core.models import District, Municipality, Neighbourhood
from nabij.core.services import areas_save
from nabij.demo.figures import apportion
from nabij.demo.geometry import Block, Cell, JitteredGrid, partition, to_lon_lat
from nabij.demo.logins import DEMO_MUNICIPALITY_CODE, DEMO_MUNICIPALITY_NAME
from nabij.demo.names import NameGenerator
from nabij.demo.registry import DemoContext, step

# The south-west corner of the city: farmland in the middle of the country, so the map has room.
ORIGIN_LAT, ORIGIN_LON = 52.06, 5.52
# Share of neighbourhoods that are business parks, with hardly anyone living there (as in every city).
INDUSTRIAL_SHARE = 0.05
# Age-band shares in the centre and at the edge of town; neighbourhoods lie in between.
AGE_SHARES_CENTRE = (0.10, 0.17, 0.36, 0.22, 0.15)
AGE_SHARES_EDGE = (0.19, 0.11, 0.24, 0.27, 0.19)


def _polygon(ring: list[tuple[float, float]]) -> dict[str, object]:
    return {"type": "Polygon", "coordinates": [to_lon_lat(ring, ORIGIN_LAT, ORIGIN_LON)]}


def _distance_from_centre(cell: Cell, columns: int, rows: int) -> float:
    """0 in the middle of town, 1 in its far corner."""
    dx, dy = cell[0] + 0.5 - columns / 2, cell[1] + 0.5 - rows / 2
    return math.hypot(dx, dy) / math.hypot(columns / 2, rows / 2)


def _age_bands(rng: random.Random, population: int, distance: float) -> dict[str, int]:
    shares = [
        (centre + (edge - centre) * distance) * rng.uniform(0.85, 1.15)
        for centre, edge in zip(AGE_SHARES_CENTRE, AGE_SHARES_EDGE, strict=True)
    ]
    return dict(zip(cbs.AGE_BANDS, apportion(population, shares), strict=True))


def _reading_order(block: Block) -> tuple[float, float]:
    """North-west first, as one reads a map: codes then run across the city like CBS's do."""
    return (-(block.y + block.height / 2), block.x + block.width / 2)


@step(order=10, name="geography", label="Wijken en buurten")
def geography(ctx: DemoContext) -> None:
    spec, rng = ctx.scale, ctx.rng
    grid = JitteredGrid(spec.columns, spec.rows, *spec.cell_km, rng=rng)
    blocks = sorted(partition(rng, spec.columns, spec.rows, spec.districts), key=_reading_order)
    centre_cell = (spec.columns // 2, spec.rows // 2)
    distance = {cell: _distance_from_centre(cell, spec.columns, spec.rows) for block in blocks for cell in block.cells}
    outer_cells = [cell for cell in sorted(distance) if distance[cell] > 0.55]
    industrial = set(rng.sample(outer_cells, max(1, round(INDUSTRIAL_SHARE * len(distance)))))

    cells = sorted(distance)
    weights = [
        0.01 if cell in industrial else (0.35 + 1.3 * (1 - distance[cell]) ** 1.5) * rng.lognormvariate(0, 0.3)
        for cell in cells
    ]
    population = dict(zip(cells, apportion(spec.population, weights), strict=True))

    names = NameGenerator(rng)
    records: list[AreaRecord] = []
    for number, block in enumerate(blocks, start=1):
        central = centre_cell in block.cells
        district_code = f"WK{DEMO_MUNICIPALITY_CODE[2:]}{number:02d}"
        district_name = "Centrum" if central else names.district()
        names.used.add(district_name)
        district_boundary = _polygon(grid.ring(block.cells))
        records.append(
            AreaRecord(
                row=len(records) + 1,
                level=AreaLevel.DISTRICT,
                municipality_code=DEMO_MUNICIPALITY_CODE,
                municipality_name=DEMO_MUNICIPALITY_NAME,
                district_code=district_code,
                district_name=district_name,
                boundary=district_boundary,
                centroid=cbs.boundary_centroid(district_boundary),
            )
        )
        for index, cell in enumerate(sorted(block.cells, key=lambda c: (-c[1], c[0])), start=1):
            boundary = _polygon(grid.ring([cell]))
            people = population[cell]
            # Smaller households in the centre, families at the edge of town.
            household_size = 1.6 + 0.9 * distance[cell] + rng.uniform(-0.1, 0.1)
            records.append(
                AreaRecord(
                    row=len(records) + 1,
                    level=AreaLevel.NEIGHBOURHOOD,
                    municipality_code=DEMO_MUNICIPALITY_CODE,
                    municipality_name=DEMO_MUNICIPALITY_NAME,
                    district_code=district_code,
                    district_name=district_name,
                    neighbourhood_code=f"BU{district_code[2:]}{index:02d}",
                    neighbourhood_name=names.neighbourhood(
                        district_name=district_name,
                        central=central and distance[cell] < 0.3,
                        industrial=cell in industrial,
                    ),
                    boundary=boundary,
                    centroid=cbs.boundary_centroid(boundary),
                    population=people,
                    households=round(people / household_size),
                    population_by_age=_age_bands(rng, people, distance[cell]),
                )
            )
    city_boundary = _polygon(grid.ring(cells))
    records.append(
        AreaRecord(
            row=len(records) + 1,
            level=AreaLevel.MUNICIPALITY,
            municipality_code=DEMO_MUNICIPALITY_CODE,
            municipality_name=DEMO_MUNICIPALITY_NAME,
            boundary=city_boundary,
            centroid=cbs.boundary_centroid(city_boundary),
        )
    )

    # Through the import service: the demo's areas pass the same checks as a CBS file.
    areas_save(actor=None, records=records, source="demo", progress=ctx.progress)
    ctx.municipality = Municipality.objects.get(code=DEMO_MUNICIPALITY_CODE)
    with scope(municipality=ctx.municipality):
        ctx.add("districts", list(District.objects.order_by("code")))
        ctx.add("neighbourhoods", list(Neighbourhood.objects.order_by("code")))
