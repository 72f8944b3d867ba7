"""The dashboard pages: who may open them, what they show of the stored snapshots (with "<5" and a dash
for protected values, never a number), the filters, period comparison, chart, map and recompute button.

The numbers are those of tests/monitor/conftest.py; every expected figure is worked out there."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from nabij.core.models import TaskRun
from nabij.monitor.models import SnapshotValue
from nabij.monitor.selectors import DASH
from nabij.testing.personas import login
from tests.monitor.conftest import MonitorWorld

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("scope_a")]

A = "/alfadorp/monitor"
PAGES = {
    "overview": f"{A}/",
    "period": f"{A}/2026-Q3/",
    "indicator": f"{A}/2026-Q3/visits/",
    "csv": f"{A}/2026-Q3/cijfers.csv",
    "pdf": f"{A}/2026-Q3/rapport.pdf",
}


def _client(world: MonitorWorld, name: str) -> Client:
    if name == "anonymous":
        return Client()
    if name == "analyst":
        return login(Client(), world.analyst, second_factor=False)
    # Coordinators and admins need no second factor here: snapshots hold no personal data.
    return login(Client(), getattr(world.personas, name), second_factor=False)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("anonymous", "login"),
        ("resident", 404),
        ("professional", 404),
        ("outsider", 404),  # a professional of Betastad
        ("coordinator", 200),
        ("analyst", 200),
        ("admin", 200),
    ],
)
def test_who_may_open_the_pages(monitor_world: MonitorWorld, name: str, expected: int | str) -> None:
    client = _client(monitor_world, name)
    for page, url in PAGES.items():
        response = client.get(url)
        if expected == "login":
            assert response.status_code == 302 and response["Location"].startswith("/account/inloggen/"), page
        else:
            assert response.status_code == expected, (name, page)


def test_another_municipality_does_not_exist_for_a_reader_of_a(monitor_world: MonitorWorld) -> None:
    analyst = _client(monitor_world, "analyst")
    for url in ("/betastad/monitor/", "/betastad/monitor/2026-Q3/", "/betastad/monitor/2026-Q3/cijfers.csv"):
        assert analyst.get(url).status_code == 404, url


def test_periods_without_a_finished_snapshot_are_not_found(analyst_client: Client) -> None:
    assert analyst_client.get(f"{A}/2026-Q4/").status_code == 404  # still running
    assert analyst_client.get(f"{A}/2026-Q1/").status_code == 404  # never computed
    assert analyst_client.get(f"{A}/2026-Q4/visits/").status_code == 404
    assert analyst_client.get(f"{A}/2026-Q3/bestaat_niet/").status_code == 404
    assert analyst_client.get(f"{A}/2026-Q5/").status_code == 404  # not a period at all


def _text(response: Any) -> str:
    """The page's text without tags, spaces squeezed, to read it as a person would."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


# --- overview ---------------------------------------------------------------------------------------


def test_overview_shows_the_latest_snapshot_with_a_headline_per_indicator(analyst_client: Client) -> None:
    response = analyst_client.get(f"{A}/")
    assert response.status_code == 200
    text = _text(response)
    assert "Monitor: 2026-Q3" in text
    # Visits: the total for everyone (130). Coverage has no "everyone": epa, at least one of any type,
    # 3500 of 6000 = 58.3%. Access: 12 of 40 = 30.0%. Time to match: 14.5 days.
    assert "Bezoeken aan activiteiten 130 Iedereen, totaal" in text
    assert "Bereik: inwoners met toegankelijk aanbod op loopafstand 58,3% " in text
    assert "Toegang: kwetsbare deelnemers met een actieve steunrelatie 30,0% Iedereen" in text
    assert "Toegang: wachttijd tot een maatje (mediaan) 14,5 dagen Iedereen" in text
    # Families in the registry's order, only those with values.
    assert text.index("Aanbod") < text.index("De vier dynamische principes") < text.index("Stabiliteit en dynamiek")
    assert "Uitkomsten" not in text
    # Every period, the running one without a link; Betastad's snapshot is not here.
    assert "2026-Q4 Bezig" in text
    html = response.content.decode()
    assert f'href="{A}/2026-Q2/"' in html and f'href="{A}/2026-Q4/"' not in html
    assert "999" not in text
    assert f'href="{A}/2026-Q3/visits/"' in html
    assert f'href="{A}/2026-Q3/cijfers.csv"' in html
    assert "nabij/monitor.css" in html


def test_overview_of_an_earlier_period(analyst_client: Client) -> None:
    text = _text(analyst_client.get(f"{A}/2026-Q2/"))
    assert "Monitor: 2026-Q2" in text
    assert "Bezoeken aan activiteiten 100 Iedereen, totaal" in text
    # Q2 has no access figures.
    assert "Toegang" not in text


def test_overview_without_snapshots(monitor_world: MonitorWorld) -> None:
    with_nothing = _client(monitor_world, "coordinator")
    SnapshotValue.objects.all().delete()
    monitor_world.q3.delete()
    monitor_world.q2.delete()
    text = _text(with_nothing.get(f"{A}/"))
    assert "Er zijn nog geen cijfers." in text
    assert "Bereken opnieuw" in text


# --- recompute -------------------------------------------------------------------------------------


def test_recompute_starts_the_snapshot_task_and_shows_its_progress(
    monitor_world: MonitorWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []

    def fake_enqueue(**kwargs: Any) -> TaskRun:
        calls.append(kwargs)
        return TaskRun.objects.create(name="monitor.snapshot", municipality=kwargs["municipality"])

    monkeypatch.setattr("nabij.monitor.services.snapshots.snapshot_enqueue", fake_enqueue)
    client = _client(monitor_world, "coordinator")
    response = client.post(f"{A}/opnieuw-berekenen/", {"periode": " 2026-q3 "})
    run = TaskRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("task_progress", args=[run.id])
    assert calls == [
        {
            "actor": monitor_world.personas.coordinator,
            "municipality": monitor_world.personas.municipality_a,
            "period": "2026-Q3",
        }
    ]


def test_recompute_with_a_bad_period_says_what_is_wrong(
    monitor_world: MonitorWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("nabij.monitor.services.snapshots.snapshot_enqueue", lambda **kw: pytest.fail("started"))
    client = _client(monitor_world, "analyst")
    response = client.post(f"{A}/opnieuw-berekenen/", {"periode": "2026-Q5"})
    assert response.status_code == 400
    text = _text(response)
    assert "'2026-Q5' is geen periode. Gebruik een jaar (2026), een kwartaal (2026-Q3) of een maand (2026-07)." in text
    assert response.content.decode().count('role="alert"') == 1
    assert _text(client.post(f"{A}/opnieuw-berekenen/", {"periode": ""})).count("Vul een periode in") == 1


def test_recompute_is_a_post_for_readers_only(monitor_world: MonitorWorld) -> None:
    assert _client(monitor_world, "analyst").get(f"{A}/opnieuw-berekenen/").status_code == 405
    response = _client(monitor_world, "professional").post(f"{A}/opnieuw-berekenen/", {"periode": "2026-Q3"})
    assert response.status_code == 404
    response = _client(monitor_world, "anonymous").post(f"{A}/opnieuw-berekenen/", {"periode": "2026-Q3"})
    assert response.status_code == 302 and "inloggen" in response["Location"]
    assert not TaskRun.objects.exists()


# --- one indicator ---------------------------------------------------------------------------------


def test_indicator_page_shows_the_municipality_by_default(analyst_client: Client) -> None:
    response = analyst_client.get(f"{A}/2026-Q3/visits/")
    assert response.status_code == 200
    text = _text(response)
    assert "Bezoeken aan activiteiten" in text
    # Hele gemeente, everyone: three bars (ontmoeten 5, bewegen 125, total 130).
    # One group in view: it is in the caption, not in a column of its own.
    assert "Bezoeken aan activiteiten, 2026-Q3: hele gemeente, iedereen Gebied Uitsplitsing Waarde" in text
    table = text[text.index("Gebied Uitsplitsing Waarde") :]
    assert "Alfadorp Bewegen 125 Alfadorp Ontmoeten 5 Alfadorp Totaal 130" in table
    html = response.content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert svg.count('class="nabij-chart__bar"') == 3
    assert [label for label in re.findall(r'nabij-chart__label"[^>]*>([^<]*)<', svg)] == [
        "Bewegen",
        "Ontmoeten",
        "Totaal",
    ]
    assert re.findall(r'nabij-chart__value"[^>]*>([^<]*)<', svg) == ["125", "5", "130"]


def test_protected_counts_are_shown_as_less_than_five_never_as_a_number(analyst_client: Client) -> None:
    response = analyst_client.get(f"{A}/2026-Q3/visits/", {"niveau": "BU", "uitsplitsing": "ontmoeten"})
    assert response.status_code == 200
    html = response.content.decode()
    svg = html[html.index('<svg class="nabij-chart__svg') : html.index("</svg>")]
    # Oude Haven and Nieuwe Markt are protected (3 and 2 in truth): empty outlines labelled "<5".
    assert svg.count("nabij-chart__bar--empty") == 2
    assert re.findall(r'nabij-chart__value"[^>]*>([^<]*)<', svg) == ["&lt;5", "&lt;5", "0"]
    text = _text(response)
    assert "Oude Haven <5 (minder dan 5)" in text
    assert "Bergweg 0" in text


def test_protected_percentages_are_a_dash_with_the_reason(analyst_client: Client) -> None:
    response = analyst_client.get(f"{A}/2026-Q3/access_support/", {"niveau": "WK"})
    text = _text(response)
    assert f"Centrum Alfa {DASH} (te weinig mensen om te tonen) {DASH} {DASH}" in text
    assert "te weinig mensen om te tonen" in response.content.decode().split("<svg", 1)[1].split("</svg>")[0]
    # The municipality's figure, on the GM level, with its numerator and denominator.
    text = _text(analyst_client.get(f"{A}/2026-Q3/access_support/", {"groep": "alle"}))
    assert "Alfadorp Iedereen 30,0% 12 40" in text
    assert f"Alfadorp Individueel maatschappelijk isolement {DASH} (te weinig mensen om te tonen) {DASH} {DASH}" in text


def test_a_custom_threshold_shows_in_the_sign(monitor_world: MonitorWorld, analyst_client: Client) -> None:
    monitor_world.q3.parameters = {"min_count": 10, "min_base": 20}
    monitor_world.q3.save()
    text = _text(analyst_client.get(f"{A}/2026-Q3/visits/", {"niveau": "BU", "uitsplitsing": "ontmoeten"}))
    assert "Oude Haven <10 (minder dan 10)" in text
    assert "<5" not in text


def test_district_filter_shows_its_neighbourhoods_only(analyst_client: Client) -> None:
    response = analyst_client.get(f"{A}/2026-Q3/coverage/", {"niveau": "BU", "wijk": "WK000101", "uitsplitsing": "any"})
    text = _text(response)
    table = text[text.index("Gebied Waarde Teller Noemer") :]
    # 1800/2000 = 90.0% and 1200/2000 = 60.0%; Bergweg lies in Noord Alfa.
    assert "Oude Haven 90,0% 1.800 2.000" in table
    assert "Nieuwe Markt" in table and "Bergweg" not in table


def test_comparing_two_periods_shows_a_difference_only_where_both_are_published(analyst_client: Client) -> None:
    response = analyst_client.get(
        f"{A}/2026-Q3/coverage/", {"niveau": "BU", "uitsplitsing": "any", "vergelijk": "2026-Q2"}
    )
    assert response.status_code == 200
    text = _text(response).replace("Mensen met een ernstige psychische aandoening (EPA)", "EPA")
    # Oude Haven 90.0 now, 80.0 then: +10.0 points. Nieuwe Markt 60.0 both times. Bergweg 25.0 now,
    # protected then: no difference.
    assert "Oude Haven 90,0% 1.800 2.000 80,0% +10,0 procentpunten" in text
    assert "Nieuwe Markt 60,0% 1.200 2.000 60,0% ±0,0 procentpunten" in text
    assert f"Bergweg 25,0% 500 2.000 {DASH} (te weinig mensen om te tonen) {DASH}" in text
    html = response.content.decode()
    assert html.count("nabij-chart__bar--other") == 3


def test_comparing_counts_where_the_other_period_is_protected(analyst_client: Client) -> None:
    text = _text(analyst_client.get(f"{A}/2026-Q3/visits/", {"vergelijk": "2026-Q2"}))
    # Totals 130 and 100: +30. Ontmoeten: 5 now, protected then. Bewegen: not computed in Q2.
    assert "Alfadorp Totaal 130 100 +30" in text
    assert f"Alfadorp Ontmoeten 5 <5 (minder dan 5) {DASH}" in text
    assert f"Alfadorp Bewegen 125 niet berekend {DASH}" in text


def test_bad_filter_choices_get_a_clear_error(analyst_client: Client) -> None:
    response = analyst_client.get(f"{A}/2026-Q3/visits/", {"niveau": "XX", "vergelijk": "2019"})
    assert response.status_code == 400
    text = _text(response)
    assert "Kies een gebied uit de lijst." in text
    assert "Kies een periode uit de lijst." in text
    assert "Fout:" in response.content.decode().split("</title>")[0]
    # The page still shows the default view.
    assert "Alfadorp Totaal 130" in text


def test_too_many_bars_leave_the_chart_out_but_not_the_table(
    monitor_world: MonitorWorld, analyst_client: Client
) -> None:
    rows = [("visits.total", "count", f"BU0001{n:04d}", "", 10.0, None, 10.0) for n in range(300, 345)]
    SnapshotValue.objects.bulk_create(
        SnapshotValue(
            municipality=monitor_world.personas.municipality_a,
            snapshot=monitor_world.q3,
            indicator=i,
            unit=u,
            area_code=a,
            target_group=g,
            numerator=n,
            denominator=d,
            value=v,
        )
        for i, u, a, g, n, d, v in rows
    )
    response = analyst_client.get(f"{A}/2026-Q3/visits/", {"niveau": "BU", "uitsplitsing": "total"})
    html = response.content.decode()
    assert "nabij-chart__svg" not in html
    assert "te veel voor één grafiek" in html
    assert html.count('scope="row"') == 48  # 45 made up + 3 real neighbourhoods


def test_the_map_shows_neighbourhoods_with_protected_ones_hatched(analyst_client: Client) -> None:
    response = analyst_client.get(f"{A}/2026-Q3/visits/", {"uitsplitsing": "ontmoeten"})
    html = response.content.decode()
    assert "Kaart van de buurten" in html
    map_svg = html[html.index('class="nabij-choropleth"') :]
    assert 'data-code="BU00010101"' in map_svg and 'data-code="BU00010201"' in map_svg
    assert "Oude Haven: afgeschermd (te weinig mensen)" in map_svg
    assert "Bergweg: 0" in map_svg


def test_no_map_where_the_indicator_has_no_neighbourhoods(analyst_client: Client) -> None:
    html = analyst_client.get(f"{A}/2026-Q3/access_support/").content.decode()
    assert "nabij-choropleth" not in html


def test_htmx_gets_only_the_results(analyst_client: Client) -> None:
    response = analyst_client.get(f"{A}/2026-Q3/visits/", {"niveau": "WK"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<form" not in html
    assert "Centrum Alfa" in html and "Noord Alfa" in html


def test_pages_in_english(analyst_client: Client) -> None:
    analyst_client.cookies["django_language"] = "en"
    text = _text(analyst_client.get(f"{A}/2026-Q3/coverage/", {"niveau": "BU", "uitsplitsing": "any"}))
    # Names from the registry and catalogues in English; numbers with a decimal point.
    assert "Coverage: residents with accessible supply within walking distance" in text
    assert "People with a severe mental illness (SMI)" in text
    assert "90.0%" in text and "90,0%" not in text
