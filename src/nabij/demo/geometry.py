"""Plausible area boundaries for the demo city: a jittered grid of cells that tile exactly.

Every grid vertex and every cell edge is computed once and shared by the cells on both sides,
so neighbourhoods fit their neighbours without gaps or overlaps, and a district (a block of
cells) is traced along the same points. The jitter is small enough that every ring stays simple.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

Point = tuple[float, float]  # (x, y) in km from the south-west corner
Cell = tuple[int, int]  # (column, row), row 0 in the south

# Corners move up to this share of a cell side, edges bend up to this share of their length:
# small enough that no two edges of a ring can cross.
CORNER_JITTER = 0.18
EDGE_BEND = 0.07
KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LON_AT_EQUATOR = 111.320


@dataclass(frozen=True)
class Block:
    """A rectangle of cells: columns x..x+width-1, rows y..y+height-1."""

    x: int
    y: int
    width: int
    height: int

    @property
    def cells(self) -> list[Cell]:
        return [(i, j) for j in range(self.y, self.y + self.height) for i in range(self.x, self.x + self.width)]

    @property
    def size(self) -> int:
        return self.width * self.height


@dataclass
class JitteredGrid:
    columns: int
    rows: int
    cell_width: float
    cell_height: float
    rng: random.Random
    _vertices: dict[tuple[int, int], Point] = field(default_factory=dict)
    _edges: dict[tuple[tuple[int, int], tuple[int, int]], list[Point]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Generated in a fixed order, so the same seed gives the same city.
        for j in range(self.rows + 1):
            for i in range(self.columns + 1):
                dx = self.rng.uniform(-CORNER_JITTER, CORNER_JITTER) * self.cell_width
                dy = self.rng.uniform(-CORNER_JITTER, CORNER_JITTER) * self.cell_height
                self._vertices[(i, j)] = (i * self.cell_width + dx, j * self.cell_height + dy)
        for j in range(self.rows + 1):
            for i in range(self.columns + 1):
                if i < self.columns:
                    self._edges[((i, j), (i + 1, j))] = self._bend((i, j), (i + 1, j))
                if j < self.rows:
                    self._edges[((i, j), (i, j + 1))] = self._bend((i, j), (i, j + 1))

    def _bend(self, start: tuple[int, int], end: tuple[int, int]) -> list[Point]:
        """Two inner points, pushed sideways: a street or a ditch rarely runs straight."""
        (x0, y0), (x1, y1) = self._vertices[start], self._vertices[end]
        length = math.hypot(x1 - x0, y1 - y0)
        nx, ny = -(y1 - y0) / length, (x1 - x0) / length
        points = []
        for t in (1 / 3, 2 / 3):
            offset = self.rng.uniform(-EDGE_BEND, EDGE_BEND) * length
            points.append((x0 + t * (x1 - x0) + offset * nx, y0 + t * (y1 - y0) + offset * ny))
        return points

    def _edge(self, start: tuple[int, int], end: tuple[int, int]) -> list[Point]:
        """The points from `start` up to (not including) `end`."""
        if (start, end) in self._edges:
            return [self._vertices[start], *self._edges[(start, end)]]
        return [self._vertices[start], *reversed(self._edges[(end, start)])]

    @staticmethod
    def _cell_edges(cell: Cell) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """The cell's sides as vertex pairs, counter-clockwise (RFC 7946's right-hand rule)."""
        i, j = cell
        return [((i, j), (i + 1, j)), ((i + 1, j), (i + 1, j + 1)), ((i + 1, j + 1), (i, j + 1)), ((i, j + 1), (i, j))]

    def ring(self, cells: list[Cell]) -> list[Point]:
        """The closed outline of a block of cells (one cell, a district, the whole city)."""
        members = set(cells)
        inner = {(a, b) for cell in members for a, b in self._cell_edges(cell)}
        # A side shared by two member cells appears in both directions and is not on the outline.
        outline = {a: b for a, b in inner if (b, a) not in inner}
        start = min(outline)
        points: list[Point] = []
        current = start
        while True:
            following = outline.pop(current)
            points.extend(self._edge(current, following))
            current = following
            if current == start:
                break
        if outline:
            raise ValueError("The cells do not form one block without holes.")
        return [*points, points[0]]


def partition(rng: random.Random, columns: int, rows: int, parts: int) -> list[Block]:
    """Split the grid into `parts` rectangles by repeatedly cutting the largest one across."""
    blocks = [Block(0, 0, columns, rows)]
    while len(blocks) < parts:
        block = max(blocks, key=lambda b: (b.size, -b.y, -b.x))
        if block.size < 2:
            raise ValueError("More parts than cells.")
        blocks.remove(block)
        if block.width >= block.height:
            cut = _cut(rng, block.width)
            blocks += [
                Block(block.x, block.y, cut, block.height),
                Block(block.x + cut, block.y, block.width - cut, block.height),
            ]
        else:
            cut = _cut(rng, block.height)
            blocks += [
                Block(block.x, block.y, block.width, cut),
                Block(block.x, block.y + cut, block.width, block.height - cut),
            ]
    return blocks


def _cut(rng: random.Random, length: int) -> int:
    low, high = max(1, round(length / 3)), min(length - 1, round(2 * length / 3))
    return rng.randint(low, max(low, high))


def to_lon_lat(points: list[Point], origin_lat: float, origin_lon: float, decimals: int = 6) -> list[list[float]]:
    """km offsets to GeoJSON positions [lon, lat]; a flat-earth conversion is exact enough for one city."""
    km_per_degree_lon = KM_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians(origin_lat))
    return [
        [round(origin_lon + x / km_per_degree_lon, decimals), round(origin_lat + y / KM_PER_DEGREE_LAT, decimals)]
        for x, y in points
    ]
