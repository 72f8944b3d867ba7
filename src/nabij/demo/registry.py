"""The demo generator's extension point: each app adds its demo data as steps in its `demo.py`.

    from nabij.demo.registry import DemoContext, step

    @step(order=40, name="activities", label="Activiteiten")
    def activities(ctx: DemoContext) -> None:
        count = {"small": 120, "city": 8_000}[ctx.scale.name]
        ctx.progress.start(count)
        ...
        ctx.add("activities", created)

Steps run in `order` inside one transaction and inside the demo municipality's scope (from the
first step that creates it). Each step gets its own `random.Random`, seeded from the run's seed
and the step's name, so adding a step never changes what the other steps generate.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import autodiscover_modules

from nabij.core.models import Municipality
from nabij.core.taskqueue import NullProgress, Progress


@dataclass(frozen=True)
class Scale:
    """How big the demo city is. Apps with volumes of their own key them by `name`."""

    name: str
    districts: int
    columns: int  # the neighbourhood grid: columns x rows cells, one neighbourhood each
    rows: int
    cell_km: tuple[float, float]  # width, height of a neighbourhood
    population: int
    organisations_per_district: int
    extra_residents: int
    extra_supporters: int

    @property
    def neighbourhoods(self) -> int:
        return self.columns * self.rows


SCALES = {
    # A small town: quick to generate, enough to click through every page.
    "small": Scale(
        "small",
        districts=3,
        columns=4,
        rows=3,
        cell_km=(1.0, 0.9),
        population=40_000,
        organisations_per_district=4,
        extra_residents=20,
        extra_supporters=6,
    ),
    # Rotterdam-sized (DESIGN.md §5): the data set the benchmarks run on.
    "city": Scale(
        "city",
        districts=14,
        columns=10,
        rows=9,
        cell_km=(1.5, 1.4),
        population=650_000,
        organisations_per_district=7,
        extra_residents=1_500,
        extra_supporters=400,
    ),
}


@dataclass
class DemoContext:
    seed: int
    scale: Scale
    # Replaced before every step by one seeded for that step; a fixed default keeps even misuse reproducible.
    rng: random.Random = field(default_factory=lambda: random.Random(0))  # noqa: S311
    progress: Progress = field(default_factory=NullProgress)
    # What the steps made, by kind ("districts", "organisations", "users:resident", ...), for later steps.
    created: dict[str, list[Any]] = field(default_factory=dict)
    _municipality: Municipality | None = None

    @property
    def municipality(self) -> Municipality:
        if self._municipality is None:
            raise RuntimeError("The geography step, which creates the municipality, has not run yet.")
        return self._municipality

    @municipality.setter
    def municipality(self, value: Municipality) -> None:
        self._municipality = value

    @property
    def has_municipality(self) -> bool:
        return self._municipality is not None

    def add(self, kind: str, objects: list[Any]) -> None:
        self.created.setdefault(kind, []).extend(objects)

    def get(self, kind: str) -> list[Any]:
        return self.created.get(kind, [])

    def counts(self) -> dict[str, int]:
        return {kind: len(objects) for kind, objects in sorted(self.created.items())}


StepFunction = Callable[[DemoContext], None]


@dataclass(frozen=True)
class Step:
    order: int
    name: str
    label: str
    function: StepFunction


_STEPS: dict[str, Step] = {}


def step(*, order: int, name: str, label: str) -> Callable[[StepFunction], StepFunction]:
    """Register a demo step. `label` is Dutch: it is the progress bar's text."""

    def register(function: StepFunction) -> StepFunction:
        existing = _STEPS.get(name)
        # The same function again (a module imported twice) is fine; another one is a clash.
        if existing is not None and (existing.function.__module__, existing.function.__qualname__) != (
            function.__module__,
            function.__qualname__,
        ):
            raise ValueError(f"Demo step {name!r} is registered twice.")
        _STEPS[name] = Step(order, name, label, function)
        return function

    return register


def steps() -> list[Step]:
    """Every app's steps, in order; importing each app's `demo` module registers them."""
    autodiscover_modules("demo")
    return sorted(_STEPS.values(), key=lambda s: (s.order, s.name))
