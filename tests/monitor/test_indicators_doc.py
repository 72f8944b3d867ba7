"""docs/indicators.md is generated from the definitions and must be up to date."""

from __future__ import annotations

from pathlib import Path

from nabij.monitor.indicators.definitions import FAMILIES, INDICATORS
from nabij.monitor.indicators.docs import render

PAGE = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"


def test_the_page_is_what_the_definitions_give() -> None:
    assert PAGE.read_text(encoding="utf-8") == render(), "run: python scripts/indicators_doc.py"


def test_every_indicator_is_on_the_page_once() -> None:
    text = render()
    for indicator in INDICATORS:
        assert text.count(f"### `{indicator.code}`:") == 1


def test_definitions_are_complete() -> None:
    codes = [indicator.code for indicator in INDICATORS]
    assert len(codes) == len(set(codes))
    for indicator in INDICATORS:
        assert indicator.family in FAMILIES
        assert indicator.unit in {"count", "percentage", "ratio", "days"}
        assert indicator.name_nl and indicator.name_en and indicator.numerator and indicator.sources
        assert "." not in indicator.code, "a dot separates the code from its breakdown"
