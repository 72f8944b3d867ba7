"""The municipality's area tree (gemeente → wijk → buurt) by CBS code, as the monitor uses it."""

from __future__ import annotations

from dataclasses import dataclass, field

from nabij.core.models import District, Municipality, Neighbourhood


@dataclass
class AreaTree:
    municipality: str
    districts: dict[str, str] = field(default_factory=dict)  # code → name
    neighbourhoods: dict[str, str] = field(default_factory=dict)  # code → name
    district_of: dict[str, str] = field(default_factory=dict)  # neighbourhood code → district code
    neighbourhood_code: dict[int, str] = field(default_factory=dict)  # pk → code
    district_code: dict[int, str] = field(default_factory=dict)  # pk → code
    population: dict[str, int] = field(default_factory=dict)  # neighbourhood code → residents

    def parent(self, code: str) -> str | None:
        if code.startswith("BU"):
            return self.district_of.get(code)
        if code.startswith("WK"):
            return self.municipality
        return None

    def children(self, code: str) -> list[str]:
        if code.startswith("GM"):
            return sorted(self.districts)
        if code.startswith("WK"):
            return sorted(n for n, d in self.district_of.items() if d == code)
        return []

    def chain(self, neighbourhood_pk: int | None) -> list[str]:
        """The codes a row in this neighbourhood counts for: buurt, wijk, gemeente (or only gemeente)."""
        code = self.neighbourhood_code.get(neighbourhood_pk) if neighbourhood_pk is not None else None
        if code is None:
            return [self.municipality]
        return [code, self.district_of[code], self.municipality]

    def name(self, code: str) -> str:
        return self.neighbourhoods.get(code) or self.districts.get(code) or code

    @staticmethod
    def level(code: str) -> str:
        return code[:2]


def area_tree(municipality: Municipality) -> AreaTree:
    """Needs the municipality's scope (django-scopes)."""
    tree = AreaTree(municipality=municipality.code)
    for pk, code, name in District.objects.filter(municipality=municipality).values_list("pk", "code", "name"):
        tree.districts[code] = name
        tree.district_code[pk] = code
    rows = Neighbourhood.objects.filter(municipality=municipality).values_list(
        "pk", "code", "name", "district_id", "population"
    )
    for pk, code, name, district_id, population in rows:
        tree.neighbourhoods[code] = name
        tree.neighbourhood_code[pk] = code
        tree.district_of[code] = tree.district_code[district_id]
        tree.population[code] = population or 0
    return tree
