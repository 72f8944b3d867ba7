"""The admin's area-import page: upload, background task, progress page; and who may not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_scopes import scope

from nabij.core.models import Neighbourhood, TaskRun, TaskStatus
from nabij.testing.personas import Personas, login

URL = "/alfadorp/beheer/gebieden/"
SQUARE = [[[4.02, 52.0], [4.03, 52.0], [4.03, 52.01], [4.02, 52.01], [4.02, 52.0]]]


def _geojson(*buurten: tuple[str, str, str]) -> SimpleUploadedFile:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": SQUARE},
            "properties": {"BU_CODE": bu, "BU_NAAM": name, "WK_CODE": f"WK{bu[2:8]}", "GM_CODE": gm, "AANT_INW": 900},
        }
        for bu, name, gm in buurten
    ]
    body = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    return SimpleUploadedFile("buurten.geojson", body, content_type="application/geo+json")


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def admin_client(personas: Personas) -> Client:
    return login(Client(), personas.admin)


def test_admin_imports_own_buurten_only(admin_client: Client, personas: Personas, media: Path) -> None:
    upload = _geojson(("BU00010102", "Nieuwe Werf", "GM0001"), ("BU00020102", "Elders", "GM0002"))
    response = admin_client.post(URL, {"file": upload})
    run = TaskRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/taken/{run.pk}/"
    assert run.status == TaskStatus.DONE, run.error
    assert run.created_by == personas.admin and run.municipality == personas.municipality_a
    with scope(municipality=personas.municipality_a):
        assert Neighbourhood.objects.get(code="BU00010102").population == 900
    with scope(municipality=personas.municipality_b):
        assert not Neighbourhood.objects.filter(code="BU00020102").exists()
    # The upload does not linger once the import has read it.
    assert not any(p.is_file() for p in media.rglob("*"))
    assert admin_client.get(response["Location"]).status_code == 200


def test_dry_run_saves_nothing(admin_client: Client, personas: Personas) -> None:
    admin_client.post(URL, {"file": _geojson(("BU00010102", "Nieuwe Werf", "GM0001")), "dry_run": "on"})
    assert TaskRun.objects.get().status == TaskStatus.DONE
    with scope(municipality=personas.municipality_a):
        assert not Neighbourhood.objects.filter(code="BU00010102").exists()


def test_bad_file_fails_the_run_with_a_row_report(admin_client: Client, personas: Personas) -> None:
    admin_client.post(URL, {"file": _geojson(("BU0001010", "Te kort", "GM0001"))})
    run = TaskRun.objects.get()
    assert run.status == TaskStatus.FAILED
    assert run.message == "Het bestand heeft 1 fout; er is niets opgeslagen."
    assert run.result["problems"][0]["column"] == "BU_CODE"
    assert "BU en 8 cijfers" in run.result["problems"][0]["message"]
    page = admin_client.get(f"/taken/{run.pk}/").content.decode()
    assert "BU en 8 cijfers" in page


def test_wrong_kind_of_file_is_refused_in_the_form(admin_client: Client) -> None:
    response = admin_client.post(URL, {"file": SimpleUploadedFile("kaart.xlsx", b"PK\x03\x04")})
    assert response.status_code == 200
    assert "eindigt op .geojson, .json of .csv" in response.content.decode()
    assert not TaskRun.objects.exists()


def test_who_may_not_import(
    personas: Personas, coordinator_client: Client, outsider_client: Client, client: Client
) -> None:
    upload = _geojson(("BU00010102", "Nieuwe Werf", "GM0001"))
    assert coordinator_client.post(URL, {"file": upload}).status_code == 404
    assert outsider_client.get(URL).status_code == 404
    assert client.get(URL).status_code == 302  # to the login page
    unverified = login(Client(), personas.admin, second_factor=False).get(URL)
    assert unverified["Location"].startswith("/account/tweede-stap/")
    assert not TaskRun.objects.exists()
