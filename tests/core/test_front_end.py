"""The vendored front-end assets: unchanged since vendoring, and light enough for residents' pages."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.test import Client

from nabij.testing.personas import Personas

VENDOR = Path(__file__).resolve().parents[2] / "src" / "nabij" / "static" / "vendor"
# What a resident's page may weigh over the wire, HTML, CSS and JavaScript together (gzip).
BUDGET = 60 * 1024


def test_vendored_files_are_the_ones_recorded() -> None:
    """A vendored file is never edited by hand: rerun scripts/vendor_assets.py instead."""
    record = json.loads((VENDOR / "VERSIONS.json").read_text())
    assert {entry["package"] for entry in record} >= {"htmx.org", "@utrecht/component-library-css"}
    for entry in record:
        assert entry["version"] and entry["licence"]
        for file in entry["files"]:
            data = (VENDOR / file["path"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == file["sha256"], file["path"]


def test_resident_page_stays_under_the_weight_budget(client: Client, personas: Personas) -> None:
    response = client.get(f"/{personas.municipality_a.slug}/")
    html = response.content
    assets = re.findall(rb'<(?:link rel="stylesheet" href|script src)="/static/([^"]+)"', html)
    assert len(assets) >= 3, "expected the theme, the components and htmx"
    total = len(gzip.compress(html, 9))
    for asset in assets:
        path = finders.find(asset.decode())
        assert path, asset
        total += len(gzip.compress(Path(path).read_bytes(), 9))
    assert total < BUDGET, f"{total} bytes compressed; the budget is {BUDGET}"


def test_a_municipality_can_use_its_own_theme(client: Client, personas: Personas, settings: Any) -> None:
    settings.NABIJ_THEME_CSS = "nabij/nabij.css"  # any static file stands in for a theme here
    settings.NABIJ_THEME_CLASS = "rotterdam-theme"
    page = client.get("/alfadorp/").content.decode()
    assert 'class="utrecht-root rotterdam-theme"' in page
    assert 'href="/static/nabij/nabij.css"' in page
    assert "voorbeeld-design-tokens" not in page
