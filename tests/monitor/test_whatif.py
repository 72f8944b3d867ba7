"""The coverage what-if: hand-worked gains on the world of tests/monitor/coverage_world.py, small-cell
protection (no differencing), no writes at all, and its page (who may, what it shows, errors). The API
is in test_whatif_api.py."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from nabij.accounts.models import Role
from nabij.core.models import AuditEntry, Neighbourhood
from nabij.monitor.areas import area_tree
from nabij.monitor.models import MonitorSettings, Snapshot
from nabij.monitor.whatif import ActivityFilter, Hypothetical, Scenario, WhatIfResult, check_scenario, run_whatif
from nabij.socialmap.models import Activity, BarrierProfileChange, Place
from nabij.testing.factories import PlaceFactory, RoleAssignmentFactory, UserFactory
from nabij.testing.personas import Personas, login
from tests.monitor.coverage_world import (
    CENTRUM,
    GM,
    HAVEN,
    HOFJE,
    KLEIN,
    MOLEN,
    NOORD,
    CoverageWorld,
    build_coverage_world,
    client_for,
)

pytestmark = pytest.mark.django_db

PAGE = "/alfadorp/monitor/wat-als/"
DASH = "\N{EN DASH}"  # a protected figure


@pytest.fixture
def world(personas: Personas, scope_a: None) -> CoverageWorld:
    return build_coverage_world(personas)


def run(world: CoverageWorld, **scenario: Any) -> WhatIfResult:
    return run_whatif(municipality=world.a, scenario=Scenario(**scenario))


def gains(result: WhatIfResult) -> dict[str, Any]:
    """Area code → (before numerator, after numerator, gain, points), None where protected."""
    return {
        row.code: (row.before.numerator, row.after.numerator, row.gain.numerator, row.points) for row in result.rows()
    }


# --- the calculation ---------------------------------------------------------------------------


def test_removing_cost_everywhere(world: CoverageWorld) -> None:
    result = run(world, target_group="gevoelig", measure="any", remove_barriers=("cost",))
    # Published activities active today: A1-A5 and A7 (A6 is a draft). Cost goes from A2 and A7.
    assert (result.selected, result.changed, result.without_place) == (6, 2, 0)
    # A2 now serves the east half of Oude Haven (5 of 10 points of 2001: 1000 residents);
    # A7 (bewegen) now serves all of Klein (50).
    assert gains(result) == {
        GM: (2302, 3352, 1050, 31.3),  # 1050 / 3352
        CENTRUM: (1301, 2301, 1000, 43.5),  # 1000 / 2301
        NOORD: (1001, 1051, 50, 4.8),  # 50 / 1051
        HAVEN: (1001, 2001, 1000, 50.0),
        MOLEN: (300, 300, 0, 0.0),
        KLEIN: (0, 50, 50, 100.0),
        HOFJE: (1001, 1001, 0, 0.0),
    }
    assert result.municipality.before.value == 68.7  # 2302 / 3352
    assert result.municipality.after.value == 100.0
    assert [d.code for d in result.districts] == [CENTRUM, NOORD]
    assert [n.code for n in result.neighbourhoods] == [MOLEN, HAVEN, HOFJE, KLEIN]  # by district, then name


def test_the_measured_type_only_counts_its_own_activities(world: CoverageWorld) -> None:
    result = run(world, target_group="gevoelig", measure="ontmoeten", remove_barriers=("cost",))
    assert gains(result)[KLEIN] == (0, 0, 0, 0.0)  # A7 is bewegen
    assert gains(result)[HAVEN] == (1001, 2001, 1000, 50.0)


def test_a_group_that_was_never_stopped_gains_nothing(world: CoverageWorld) -> None:
    result = run(world, target_group="iedereen", measure="any", remove_barriers=("cost",))
    assert {row.gain.numerator for row in result.rows()} == {0}
    assert result.changed == 2  # the profiles change, the group did not mind them


@pytest.mark.parametrize(
    ("select", "selected", "changed"),
    [
        (ActivityFilter(participation_type="ontmoeten"), 3, 1),  # A1, A2, A5; A2 has cost
        (ActivityFilter(area=MOLEN), 1, 0),  # A3
        (ActivityFilter(area=NOORD), 2, 1),  # A4 and A7 (A6 is a draft)
        (ActivityFilter(action_perspective="warme_plek"), 2, 1),  # A1, A2
        (ActivityFilter(has_barrier="cost"), 2, 2),  # A2, A7
        (ActivityFilter(has_barrier="registration"), 1, 0),  # A3: has registration, not cost
    ],
)
def test_filters_choose_the_activities(
    world: CoverageWorld, select: ActivityFilter, selected: int, changed: int
) -> None:
    result = run(world, target_group="gevoelig", select=select, remove_barriers=("cost",))
    assert (result.selected, result.changed) == (selected, changed)


def test_filters_combine(world: CoverageWorld) -> None:
    select = ActivityFilter(organisation=world.organisation.pk, has_barrier="cost")
    result = run(world, target_group="gevoelig", select=select, remove_barriers=("cost",))
    # Only A2 (De Linde's; A7 is Sportclub Vooruit's): Oude Haven gains, Klein does not.
    assert (result.selected, result.changed) == (1, 1)
    assert gains(result)[HAVEN][2] == 1000 and gains(result)[KLEIN][2] == 0
    other = ActivityFilter(organisation=world.other_organisation.pk)
    assert run(world, target_group="gevoelig", select=other, remove_barriers=("cost",)).selected == 3  # A3, A4, A7


def test_a_new_activity_at_a_place(world: CoverageWorld) -> None:
    klein_huis = world.places["klein"].pk
    result = run(world, target_group="gevoelig", measure="ontmoeten", add=Hypothetical(klein_huis, "ontmoeten"))
    # At Klein's centroid: all 50 of Klein; Hofje (5 km away) and the rest gain nothing.
    assert gains(result)[KLEIN] == (0, 50, 50, 100.0)
    assert gains(result)[NOORD] == (0, 50, 50, 4.8)
    assert gains(result)[GM] == (1001, 1051, 50, 1.5)
    assert result.selected == 0 and result.changed == 0
    # With a barrier the group minds, it helps nobody of that group; others still gain.
    costly = Hypothetical(klein_huis, "ontmoeten", ("cost",))
    assert gains(run(world, target_group="gevoelig", measure="ontmoeten", add=costly))[KLEIN][2] == 0
    assert gains(run(world, target_group="iedereen", measure="ontmoeten", add=costly))[KLEIN][2] == 50


def test_both_changes_at_once(world: CoverageWorld) -> None:
    result = run(
        world,
        target_group="gevoelig",
        measure="any",
        select=ActivityFilter(participation_type="ontmoeten"),
        remove_barriers=("cost",),
        add=Hypothetical(world.places["klein"].pk, "ontmoeten"),
    )
    assert gains(result)[HAVEN][2] == 1000 and gains(result)[KLEIN][2] == 50


def test_a_changed_activity_without_a_place_helps_nobody(world: CoverageWorld) -> None:
    a5 = world.activities["A5"]  # online
    a5.barrier_mask = 1  # cost
    a5.save()
    result = run(
        world, target_group="gevoelig", select=ActivityFilter(participation_type="ontmoeten"), remove_barriers=("cost",)
    )
    assert (result.changed, result.without_place) == (2, 1)


def test_small_gains_are_protected_and_cannot_be_recovered(world: CoverageWorld) -> None:
    Neighbourhood.objects.filter(code=KLEIN).update(population=4)
    result = run(
        world, target_group="gevoelig", measure="any", select=ActivityFilter(area=NOORD), remove_barriers=("cost",)
    )
    klein = next(n for n in result.neighbourhoods if n.code == KLEIN)
    # Klein gains its 4 residents: a count under 5, on a base under 20.
    assert klein.gain.suppressed and klein.gain.numerator is None
    assert klein.before.suppressed and klein.after.suppressed and klein.population is None and klein.points is None
    assert_no_differencing(world, result)


def assert_no_differencing(world: CoverageWorld, result: WhatIfResult) -> None:
    """An attacker who knows every published numerator and the equations (areas add up; before + gain =
    after) fills in whatever one equation with one unknown gives away. No protected number may follow."""
    tree = area_tree(world.a)
    rows = {row.code: row for row in result.rows()}
    known: dict[tuple[str, str], float] = {}
    hidden: set[tuple[str, str]] = set()
    for code, row in rows.items():
        for part, cell in (("before", row.before), ("after", row.after), ("gain", row.gain)):
            if cell.suppressed:
                hidden.add((part, code))
            else:
                known[(part, code)] = float(cell.numerator or 0)
    equations: list[tuple[tuple[str, str], list[tuple[str, str]]]] = []
    for part in ("before", "after", "gain"):
        for parent in [tree.municipality, *tree.districts]:
            equations.append(((part, parent), [(part, child) for child in tree.children(parent)]))
    for code in rows:
        equations.append((("after", code), [("before", code), ("gain", code)]))
    changed = True
    while changed:
        changed = False
        for total, parts in equations:
            unknown = [v for v in [total, *parts] if v not in known]
            if len(unknown) != 1:
                continue
            missing = unknown[0]
            value = sum(known[p] for p in parts if p in known)
            known[missing] = known[total] - value if missing != total else value
            changed = True
    assert not (hidden & known.keys()), f"recovered: {sorted(hidden & known.keys())}"


def test_protection_uses_the_municipalitys_thresholds(world: CoverageWorld) -> None:
    # With a base of at least 100, Molenbuurt (300) is fine but Klein (50) is not.
    MonitorSettings.objects.filter(pk=world.settings.pk).update(min_base=100)
    result = run(world, target_group="gevoelig", remove_barriers=("cost",))
    klein = next(n for n in result.neighbourhoods if n.code == KLEIN)
    assert klein.before.suppressed and klein.after.suppressed
    assert not next(n for n in result.neighbourhoods if n.code == MOLEN).before.suppressed
    assert_no_differencing(world, result)


def test_nothing_is_written(world: CoverageWorld) -> None:
    def state() -> tuple[Any, ...]:
        return (
            sorted(Activity.objects.values_list("pk", "barrier_mask", "status", "updated_at")),
            Place.objects.count(),
            BarrierProfileChange.objects.count(),
            AuditEntry.objects.count(),
            MonitorSettings.objects.count(),
            Snapshot.objects.count(),
        )

    before = state()
    with CaptureQueriesContext(connection) as queries:
        run(
            world,
            target_group="gevoelig",
            remove_barriers=("cost", "registration"),
            add=Hypothetical(world.places["klein"].pk, "bewegen", ("cost",)),
        )
    writes = [
        q["sql"] for q in queries.captured_queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]
    assert writes == []
    assert state() == before


# --- checking a scenario -----------------------------------------------------------------------


def errors_of(world: CoverageWorld, **scenario: Any) -> dict[str, list[str]]:
    try:
        check_scenario(world.a, Scenario(**scenario))
    except ValidationError as error:
        return dict(error.message_dict)
    return {}


def test_scenario_checks(world: CoverageWorld, personas: Personas) -> None:
    assert errors_of(world, target_group="gevoelig", remove_barriers=("cost",)) == {}
    assert set(errors_of(world, target_group="onbekend", remove_barriers=("cost",))) == {"target_group"}
    assert set(errors_of(world, target_group="gevoelig", measure="zwemmen", remove_barriers=("cost",))) == {"measure"}
    assert errors_of(world, target_group="gevoelig", remove_barriers=("distance",)) == {
        "remove_barriers": ["Deze drempel bestaat niet in deze gemeente: distance."]  # relational: never in a mask
    }
    assert errors_of(world, target_group="gevoelig", select=ActivityFilter(participation_type="ontmoeten")) == {
        "remove_barriers": ["Kies welke drempel de gekozen activiteiten weghalen."]
    }
    assert errors_of(world, target_group="gevoelig") == {
        "__all__": [
            "Kies welke drempel activiteiten weghalen, of voeg een nieuwe activiteit toe. Anders verandert er niets."
        ]
    }
    assert set(
        errors_of(world, target_group="gevoelig", select=ActivityFilter(area="WK000201"), remove_barriers=("cost",))
    ) == {"area"}
    nowhere = PlaceFactory.create(organisation=world.organisation, lat=None, lon=None)
    assert set(errors_of(world, target_group="gevoelig", add=Hypothetical(nowhere.pk, "ontmoeten"))) == {"add_place"}
    with scope(municipality=personas.municipality_b):
        elsewhere = PlaceFactory.create(organisation__municipality=personas.municipality_b)
    assert set(errors_of(world, target_group="gevoelig", add=Hypothetical(elsewhere.pk, "ontmoeten"))) == {"add_place"}
    assert set(errors_of(world, target_group="gevoelig", add=Hypothetical(nowhere.pk, "x", ("y",)))) == {
        "add_place",
        "add_participation_type",
        "add_barriers",
    }


# --- the page ----------------------------------------------------------------------------------


@pytest.fixture
def client_as(world: CoverageWorld) -> Callable[[str], Client]:
    return lambda name: client_for(world, name)


PAGE_MATRIX = {
    "anonymous": "login",
    "resident": 404,
    "organiser": 404,
    "professional": 404,
    "outsider": 404,  # a professional of Betastad
    "coordinator": 200,
    "coordinator_no_2fa": 200,  # estimates of supply, no people: no second factor needed
    "analyst": 200,
    "admin": 200,
}


@pytest.mark.parametrize("name", list(PAGE_MATRIX))
def test_page_matrix(world: CoverageWorld, client_as: Callable[[str], Client], name: str) -> None:
    response = client_as(name).get(PAGE)
    expected = PAGE_MATRIX[name]
    if expected == "login":
        assert response.status_code == 302 and response["Location"].startswith("/account/inloggen/")
    else:
        assert response.status_code == expected


def test_another_municipalitys_coordinator_sees_nothing(
    world: CoverageWorld, client_as: Callable[[str], Client]
) -> None:
    with scopes_disabled():
        beta_coordinator = UserFactory.create(email="coordinator@betastad.test")
        RoleAssignmentFactory.create(
            user=beta_coordinator, municipality=world.personas.municipality_b, role=Role.COORDINATOR
        )
    client = login(Client(), beta_coordinator)
    assert client.get(PAGE).status_code == 404
    assert client.get(PAGE, {"group": "gevoelig", "remove": "cost"}).status_code == 404
    assert client.get("/betastad/monitor/wat-als/").status_code == 200  # their own


def text_of(response: Any) -> str:
    """The page as a reader gets it: without tags, entities resolved, spaces collapsed."""
    page = response.content.decode()
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_page_without_a_question_shows_the_form(world: CoverageWorld, client_as: Callable[[str], Client]) -> None:
    response = client_as("analyst").get(PAGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="group"' in html and 'name="remove"' in html and 'name="place"' in html
    assert "<table" not in html and "<svg" not in html
    assert "Gevoelig voor kosten" in html and "Hofjeshuis" in html
    assert 'value="distance"' not in html  # a relational barrier is not in any activity's profile


def test_page_shows_the_gain_as_map_and_table(world: CoverageWorld, client_as: Callable[[str], Client]) -> None:
    response = client_as("coordinator").get(PAGE, {"group": "gevoelig", "measure": "any", "remove": "cost"})
    assert response.status_code == 200
    text = text_of(response)
    # Area, residents, now, then, gain (residents), gain (points).
    assert "Oude Haven 2.001 50,0% 100,0% 1.000 +50,0 procentpunten" in text
    assert "Klein 50 0,0% 100,0% 50 +100,0 procentpunten" in text
    assert "Wijk Noord 1.051 95,2% 100,0% 50 +4,8 procentpunten" in text
    assert "Hele gemeente 3.352 68,7% 100,0% 1.050 +31,3 procentpunten" in text
    assert "Gekozen activiteiten 6" in text and "Met een drempel minder 2" in text
    html = response.content.decode()
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in html.split("<svg", 1)[1][:300]
    assert "Oude Haven: +50,0 procentpunt" not in svg  # the map shows the number, the unit after it
    assert "Oude Haven: 50,0 procentpunt" in svg
    assert svg.count("data-code=") == 4


def test_page_protects_small_gains(world: CoverageWorld, client_as: Callable[[str], Client]) -> None:
    Neighbourhood.objects.filter(code=KLEIN).update(population=4)
    response = client_as("analyst").get(PAGE, {"group": "gevoelig", "area": NOORD, "remove": "cost"})
    text = text_of(response)
    hidden = f"{DASH} (te weinig mensen om te tonen)"
    assert f"Klein {DASH} {hidden} {hidden} <5 (minder dan 5) {hidden}" in text
    assert "<5 (minder dan 5)" in text
    svg = response.content.decode().split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "Klein: afgeschermd (te weinig mensen)" in svg


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"group": "onbekend", "remove": "cost"}, "group", "Kies een doelgroep uit de lijst."),
        ({"group": "gevoelig", "remove": "distance"}, "remove", "Kies een drempel uit de lijst."),
        ({"group": "gevoelig", "type": "ontmoeten"}, "remove", "Kies welke drempel de gekozen activiteiten weghalen."),
        ({"group": "gevoelig", "new_type": "bewegen"}, "place", "Kies een plek voor de nieuwe activiteit."),
        ({"group": "gevoelig", "area": "WK000201", "remove": "cost"}, "area", "Kies een wijk of buurt uit de lijst."),
    ],
)
def test_page_errors(
    world: CoverageWorld, client_as: Callable[[str], Client], query: dict[str, str], field: str, message: str
) -> None:
    response = client_as("analyst").get(PAGE, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html and message in html
    assert "<table" not in html


def test_page_needs_a_change(world: CoverageWorld, client_as: Callable[[str], Client]) -> None:
    response = client_as("analyst").get(PAGE, {"group": "gevoelig"})
    assert response.status_code == 400
    assert "Anders verandert er niets." in response.content.decode()


def test_page_errors_in_english(world: CoverageWorld, client_as: Callable[[str], Client]) -> None:
    # Needs the translations of /tmp/tr-whatif.json in locale/en.
    client = client_as("analyst")
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(PAGE, {"group": "gevoelig", "type": "ontmoeten"})
    assert response.status_code == 400
    assert "Choose which barrier the selected activities remove." in response.content.decode()


def test_the_page_writes_nothing(world: CoverageWorld, client_as: Callable[[str], Client]) -> None:
    client = client_as("coordinator")
    masks = sorted(Activity.objects.values_list("pk", "barrier_mask"))
    counts = (BarrierProfileChange.objects.count(), AuditEntry.objects.count(), Activity.objects.count())
    with CaptureQueriesContext(connection) as queries:
        client.get(
            PAGE, {"group": "gevoelig", "remove": "cost", "place": world.places["klein"].pk, "new_type": "bewegen"}
        )
    writes = [
        q["sql"] for q in queries.captured_queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]
    assert writes == []
    assert sorted(Activity.objects.values_list("pk", "barrier_mask")) == masks
    assert (BarrierProfileChange.objects.count(), AuditEntry.objects.count(), Activity.objects.count()) == counts
