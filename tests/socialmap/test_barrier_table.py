"""The barrier table (participation type x number of barriers for a group) and its command.

The inventory below is small enough to count by hand. Target group `epa` is sensitive to
cost, registration, crowded and no_host; skills and digital do not count for it.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scope

from nabij.socialmap import catalogue
from nabij.socialmap.models import Activity, ParticipationType, TargetGroup
from nabij.socialmap.selectors import barrier_table
from nabij.testing.factories import (
    ActivityFactory,
    DistrictFactory,
    NeighbourhoodFactory,
    OrganisationFactory,
    PlaceFactory,
)
from nabij.testing.personas import Personas
from tests.conftest import SocialMap

pytestmark = pytest.mark.django_db

BIT = {d.code: d.bit for d in catalogue.DEFAULT_BARRIERS}
DAY = dt.date(2025, 6, 1)


def mask(*codes: str) -> int:
    return sum(1 << BIT[code] for code in codes)


@pytest.fixture
def inventory(socialmap: SocialMap, personas: Personas) -> dict[str, object]:
    a = personas.municipality_a
    district_2 = DistrictFactory.create(municipality=a, code="WK000102", name="Noord Alfa")
    buurt_2 = NeighbourhoodFactory.create(district=district_2, code="BU00010201", name="Noorderhof")
    org = socialmap.organisation
    in_centre = PlaceFactory.create(organisation=org, neighbourhood=personas.neighbourhood_a)
    in_north = PlaceFactory.create(organisation=org, neighbourhood=buurt_2)
    types = {t.code: t for t in ParticipationType.objects.all()}

    def activity(kind: str, place: object, barriers: int, **extra: object) -> Activity:
        return ActivityFactory.create(
            organisation=org, place=place, participation_type=types[kind], barrier_mask=barriers, **extra
        )

    activity("ontmoeten", in_centre, 0)  # 0
    activity("ontmoeten", in_centre, mask("cost", "digital"))  # 1: digital does not count for epa
    activity("ontmoeten", in_north, mask("cost", "registration", "crowded", "no_host", "skills"))  # 4+
    activity("bewegen", in_north, mask("registration", "crowded"))  # 2
    # 3, active on exactly DAY only: both ends are inclusive.
    activity("bewegen", in_centre, mask("cost", "registration", "no_host"), active_from=DAY, active_until=DAY)
    activity("creatief", None, mask("no_host"))  # 1, online: counts only municipality-wide
    # None of these count on DAY:
    activity("ontmoeten", in_centre, 0, status="draft")
    activity("ontmoeten", in_centre, 0, status="archived")
    activity("ontmoeten", in_centre, 0, active_until=DAY - dt.timedelta(days=1))
    activity("bewegen", in_north, 0, active_from=DAY + dt.timedelta(days=1))  # counts the day after
    with scope(municipality=personas.municipality_b):
        other = OrganisationFactory.create(municipality=personas.municipality_b)
        ActivityFactory.create(
            organisation=other,
            place=PlaceFactory.create(organisation=other, neighbourhood=personas.neighbourhood_b),
            participation_type=ParticipationType.objects.get(code="ontmoeten"),
            barrier_mask=0,
        )
    return {"district_2": district_2, "buurt_2": buurt_2}


def table(personas: Personas, day: dt.date = DAY, **area: object) -> dict[str, tuple[int, ...]]:
    rows = barrier_table(
        municipality=personas.municipality_a, target_group=TargetGroup.objects.get(code="epa"), day=day, **area
    )
    return {row.code: row.counts for row in rows}


def test_municipality_wide(inventory: dict[str, object], personas: Personas) -> None:
    assert table(personas) == {
        "ontmoeten": (1, 1, 0, 0, 1),
        "bewegen": (0, 0, 1, 1, 0),
        "creatief": (0, 1, 0, 0, 0),
        "vrijwilligerswerk": (0, 0, 0, 0, 0),
    }


def test_another_day(inventory: dict[str, object], personas: Personas) -> None:
    # The one-day activity is over; the one starting the next day has begun.
    assert table(personas, day=DAY + dt.timedelta(days=1))["bewegen"] == (1, 0, 1, 0, 0)


def test_per_district(inventory: dict[str, object], personas: Personas) -> None:
    assert table(personas, district=personas.district_a) == {
        "ontmoeten": (1, 1, 0, 0, 0),
        "bewegen": (0, 0, 0, 1, 0),
        "creatief": (0, 0, 0, 0, 0),
        "vrijwilligerswerk": (0, 0, 0, 0, 0),
    }


def test_per_neighbourhood(inventory: dict[str, object], personas: Personas) -> None:
    assert table(personas, neighbourhood=inventory["buurt_2"]) == {
        "ontmoeten": (0, 0, 0, 0, 1),
        "bewegen": (0, 0, 1, 0, 0),
        "creatief": (0, 0, 0, 0, 0),
        "vrijwilligerswerk": (0, 0, 0, 0, 0),
    }


def test_a_group_without_sensitivities_has_everything_at_zero(inventory: dict[str, object], personas: Personas) -> None:
    group = TargetGroup.objects.create(municipality=personas.municipality_a, code="alle", name_nl="Iedereen")
    rows = barrier_table(municipality=personas.municipality_a, target_group=group, day=DAY)
    assert {row.code: row.counts for row in rows}["ontmoeten"] == (3, 0, 0, 0, 0)


def run(*args: str) -> str:
    out = StringIO()
    call_command("barrier_table", *args, stdout=out)
    return out.getvalue()


def test_command_csv(inventory: dict[str, object]) -> None:
    assert run("--municipality", "GM0001", "--group", "epa", "--date", "2025-06-01", "--format", "csv") == (
        "participation_type,0,1,2,3,4+\n"
        "ontmoeten,1,1,0,0,1\n"
        "bewegen,0,0,1,1,0\n"
        "creatief,0,1,0,0,0\n"
        "vrijwilligerswerk,0,0,0,0,0\n"
    )
    assert run(
        "--municipality",
        "gm0001",
        "--group",
        "epa",
        "--district",
        "WK000102",
        "--date",
        "2025-06-01",
        "--format",
        "csv",
    ).splitlines()[1:3] == ["ontmoeten,0,0,0,0,1", "bewegen,0,0,1,0,0"]
    assert (
        run(
            "--municipality",
            "GM0001",
            "--group",
            "epa",
            "--neighbourhood",
            "BU00010101",
            "--date",
            "2025-06-01",
            "--format",
            "csv",
        ).splitlines()[1]
        == "ontmoeten,1,1,0,0,0"
    )


def test_command_table(inventory: dict[str, object]) -> None:
    text = run("--municipality", "GM0001", "--group", "epa", "--date", "2025-06-01", "--format", "table")
    lines = text.splitlines()
    assert lines[0] == "Drempeltabel voor Mensen met een ernstige psychische aandoening (EPA), Alfadorp, 2025-06-01"
    assert lines[1].split() == ["Soort", "deelname", "0", "1", "2", "3", "4+"]
    assert lines[2].split() == ["Ontmoeten", "1", "1", "0", "0", "1"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--municipality", "GM0404", "--group", "epa"], "Gemeente GM0404 staat niet in Nabij"),
        (["--municipality", "GM0001", "--group", "jongeren"], "Onbekende doelgroep in Alfadorp: jongeren"),
        (["--municipality", "GM0001", "--group", "epa", "--district", "WK000199"], "Onbekende wijk: WK000199"),
        (
            ["--municipality", "GM0001", "--group", "epa", "--district", "WK000201"],
            "De wijk WK000201 hoort bij Betastad, niet bij Alfadorp",
        ),
        (["--municipality", "GM0001", "--group", "epa", "--neighbourhood", "BU00000000"], "Onbekende buurt"),
        (
            ["--municipality", "GM0001", "--group", "epa", "--neighbourhood", "BU00020101"],
            "De buurt BU00020101 hoort bij Betastad",
        ),
        (["--municipality", "GM0001", "--group", "epa", "--date", "1-6-2025"], "Ongeldige datum: 1-6-2025"),
        (
            ["--municipality", "GM0001", "--group", "epa", "--district", "WK000101", "--neighbourhood", "BU00010101"],
            "Kies --district of --neighbourhood, niet allebei",
        ),
    ],
)
def test_command_errors_are_dutch(inventory: dict[str, object], args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args, "--format", "csv")
