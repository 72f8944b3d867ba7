"""The snapshot API: who may read it (401 anonymous, 404 for other roles and municipalities), the
values with their filters and pagination, the CSV and PDF, the indicator definitions, and starting a
computation. The numbers are those of tests/monitor/conftest.py."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client

from nabij.core.models import TaskRun
from nabij.monitor.exports import write_snapshot_csv
from nabij.monitor.indicators.definitions import INDICATORS
from nabij.monitor.selectors import DASH
from nabij.testing.personas import login
from tests.api.helpers import API, assert_problem, bearer, token_for
from tests.monitor.conftest import MonitorWorld

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("scope_a")]

M = f"{API}/municipalities/GM0001/monitor"
ENDPOINTS = [
    f"{M}/indicators",
    f"{M}/snapshots",
    f"{M}/snapshots/2026-Q3",
    f"{M}/snapshots/2026-Q3/values",
    f"{M}/snapshots/2026-Q3/values.csv",
    f"{M}/snapshots/2026-Q3/report.pdf",
]


def _client(world: MonitorWorld, name: str) -> Client:
    if name == "anonymous":
        return Client()
    user = world.analyst if name == "analyst" else getattr(world.personas, name)
    # No second factor: the monitor's API holds no personal data.
    return login(Client(), user, second_factor=False)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("anonymous", 401),
        ("resident", 404),
        ("professional", 404),
        ("outsider", 404),
        ("coordinator", 200),
        ("analyst", 200),
        ("admin", 200),
    ],
)
def test_who_may_read(monitor_world: MonitorWorld, name: str, expected: int) -> None:
    client = _client(monitor_world, name)
    for url in ENDPOINTS:
        response = client.get(url)
        if expected == 200:
            assert response.status_code == 200, (name, url)
        else:
            assert_problem(response, expected, "not-authenticated" if expected == 401 else None)


def test_an_analyst_of_a_cannot_read_b(monitor_world: MonitorWorld) -> None:
    client = _client(monitor_world, "analyst")
    for url in ENDPOINTS:
        assert_problem(client.get(url.replace("GM0001", "GM0002")), 404)


def test_a_personal_token_works(monitor_world: MonitorWorld) -> None:
    key = token_for(monitor_world.analyst)
    response = Client().get(f"{M}/snapshots", headers=bearer(key))
    assert response.status_code == 200


def test_list_snapshots(monitor_world: MonitorWorld) -> None:
    body = _client(monitor_world, "analyst").get(f"{M}/snapshots").json()
    assert body["count"] == 3
    assert [(s["period"], s["status"]) for s in body["results"]] == [
        ("2026-Q4", "running"),
        ("2026-Q3", "done"),
        ("2026-Q2", "done"),
    ]
    assert body["results"][1]["parameters"] == {"min_count": 5, "min_base": 20}


def test_one_snapshot_and_the_period_in_the_path(monitor_world: MonitorWorld) -> None:
    client = _client(monitor_world, "analyst")
    assert client.get(f"{M}/snapshots/2026-q3").json()["period"] == "2026-Q3"
    body = assert_problem(client.get(f"{M}/snapshots/2026-Q5"), 422, "validation-error")
    assert body["errors"] == [
        {
            "location": ["path", "period"],
            "message": "'2026-Q5' is geen periode. Gebruik een jaar (2026), een kwartaal (2026-Q3) of een maand "
            "(2026-07).",
            "code": "invalid_period",
        }
    ]
    assert_problem(client.get(f"{M}/snapshots/2026-Q4"), 404)  # still running
    assert_problem(client.get(f"{M}/snapshots/2025"), 404)  # never computed


def _values(client: Client, **params: Any) -> dict[str, Any]:
    response = client.get(f"{M}/snapshots/2026-Q3/values", params)
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def test_values_with_suppressed_cells(monitor_world: MonitorWorld) -> None:
    client = _client(monitor_world, "analyst")
    body = _values(client, indicator="visits.ontmoeten", level="BU")
    assert body["count"] == 3
    rows = {r["area_code"]: r for r in body["results"]}
    assert rows["BU00010101"] == {
        "indicator": "visits.ontmoeten",
        "code": "visits",
        "breakdown": "ontmoeten",
        "unit": "count",
        "area_code": "BU00010101",
        "area_level": "BU",
        "target_group": "",
        "numerator": None,
        "denominator": None,
        "value": None,
        "suppressed": True,
        "shown": "<5",
    }
    assert rows["BU00010201"]["value"] == 0 and rows["BU00010201"]["shown"] == "0"


def test_values_filters(monitor_world: MonitorWorld) -> None:
    client = _client(monitor_world, "analyst")
    assert _values(client)["count"] == 37
    assert _values(client, family="supply")["count"] == 12  # coverage: 6 areas x 2 breakdowns
    assert _values(client, family="dynamics")["count"] == 18  # visits: 6 areas x 3 breakdowns
    assert _values(client, indicator="visits")["count"] == 18
    # Centrum Alfa and its two neighbourhoods, every indicator: visits 9, coverage 6, access 2.
    assert _values(client, district="WK000101")["count"] == 17
    # Everyone ("" as the group) versus one isolation type.
    everyone = _values(client, indicator="access_support", target_group="")
    assert {(r["area_code"], r["value"]) for r in everyone["results"]} == {
        ("GM0001", 30.0),
        ("WK000101", None),
        ("WK000102", None),
    }
    individual = _values(client, indicator="access_support", target_group="isolation:individual")
    assert [(r["area_code"], r["suppressed"], r["shown"]) for r in individual["results"]] == [("GM0001", True, DASH)]
    coverage = _values(client, indicator="coverage.any", level="GM")["results"]
    assert [(r["numerator"], r["denominator"], r["value"]) for r in coverage] == [(3500, 6000, 58.3)]


def test_values_are_paginated(monitor_world: MonitorWorld) -> None:
    client = _client(monitor_world, "analyst")
    page = _values(client, page_size=10, page=4)
    assert page["count"] == 37 and len(page["results"]) == 7 and page["next"] is None
    assert page["previous"].endswith("page=3&page_size=10") or "page=3" in page["previous"]


def test_value_filters_are_checked(monitor_world: MonitorWorld) -> None:
    client = _client(monitor_world, "analyst")
    body = assert_problem(
        client.get(f"{M}/snapshots/2026-Q3/values", {"indicator": "geluk", "district": "WK000201"}),
        422,
        "validation-error",
    )
    assert {tuple(e["location"]): e["message"] for e in body["errors"]} == {
        ("query", "indicator"): "Onbekende indicator: geluk.",
        ("query", "district"): "Dit gebied bestaat niet in deze gemeente: WK000201.",
    }
    assert_problem(client.get(f"{M}/snapshots/2026-Q3/values", {"level": "XX"}), 422, "validation-error")
    assert_problem(client.get(f"{M}/snapshots/2026-Q3/values", {"family": "geluk"}), 422, "validation-error")


def test_values_csv_is_the_export(monitor_world: MonitorWorld) -> None:
    response = _client(monitor_world, "analyst").get(f"{M}/snapshots/2026-Q3/values.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="monitor-GM0001-2026-Q3.csv"'
    expected = io.StringIO()
    write_snapshot_csv(monitor_world.q3, expected)
    assert response.content.decode() == expected.getvalue()


def test_report_pdf(monitor_world: MonitorWorld) -> None:
    client = _client(monitor_world, "analyst")
    response = client.get(f"{M}/snapshots/2026-Q3/report.pdf", {"district": "WK000101"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="monitor-WK000101-2026-Q3.pdf"'
    assert response.content.startswith(b"%PDF-")
    body = assert_problem(
        client.get(f"{M}/snapshots/2026-Q3/report.pdf", {"district": "WK000201"}), 422, "validation-error"
    )
    assert body["errors"][0]["location"] == ["query", "district"]
    # A district code of another municipality is caught by its form first.
    assert_problem(client.get(f"{M}/snapshots/2026-Q3/report.pdf", {"district": "WK12"}), 422, "validation-error")


def test_indicator_definitions(monitor_world: MonitorWorld) -> None:
    client = _client(monitor_world, "analyst")
    body = client.get(f"{M}/indicators", {"page_size": 100}).json()
    assert body["count"] == len(INDICATORS)
    coverage = next(i for i in body["results"] if i["code"] == "coverage")
    assert coverage["name"] == "Bereik: inwoners met toegankelijk aanbod op loopafstand"
    assert coverage["family"] == "supply" and coverage["unit"] == "percentage"
    assert coverage["levels"] == ["GM", "WK", "BU"] and coverage["dimensions"] == ["target_group"]
    english = client.get(f"{M}/indicators", {"page_size": 100}, headers={"Accept-Language": "en"}).json()
    coverage = next(i for i in english["results"] if i["code"] == "coverage")
    assert coverage["name"] == "Coverage: residents with accessible supply within walking distance"


# --- starting a computation ------------------------------------------------------------------------


@pytest.fixture
def fake_enqueue(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def enqueue(**kwargs: Any) -> TaskRun:
        calls.append(kwargs)
        return TaskRun.objects.create(name="monitor.snapshot", municipality=kwargs["municipality"])

    monkeypatch.setattr("nabij.monitor.services.snapshots.snapshot_enqueue", enqueue)
    return calls


def test_start_a_computation(monitor_world: MonitorWorld, fake_enqueue: list[dict[str, Any]]) -> None:
    client = _client(monitor_world, "analyst")
    response = client.post(f"{M}/snapshots", {"period": "2026-q3"}, content_type="application/json")
    assert response.status_code == 202, response.content
    run = TaskRun.objects.get()
    assert response.json() == {"period": "2026-Q3", "task": str(run.id)}
    assert fake_enqueue == [
        {"actor": monitor_world.analyst, "municipality": monitor_world.personas.municipality_a, "period": "2026-Q3"}
    ]


def test_start_a_computation_refuses_bad_input_and_outsiders(
    monitor_world: MonitorWorld, fake_enqueue: list[dict[str, Any]]
) -> None:
    analyst = _client(monitor_world, "analyst")
    body = assert_problem(
        analyst.post(f"{M}/snapshots", {"period": "Q3"}, content_type="application/json"), 422, "validation-error"
    )
    assert body["errors"][0]["location"] == ["body", "period"]
    assert "geen periode" in body["errors"][0]["message"]
    anonymous = Client().post(f"{M}/snapshots", {"period": "2026-Q3"}, content_type="application/json")
    assert_problem(anonymous, 401, "not-authenticated")
    professional = _client(monitor_world, "professional")
    assert_problem(professional.post(f"{M}/snapshots", {"period": "2026-Q3"}, content_type="application/json"), 404)
    assert fake_enqueue == []
