"""Template filters for the social map's pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from nabij.socialmap.search import format_distance

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def catalogue_label(entry: Any) -> str:
    """A catalogue entry's label in the page's language (Dutch when there is no English one)."""
    if entry is None:
        return ""
    return str(entry.label(get_language() or "nl"))


@register.filter
def barrier_codes(activity: Any, barriers: dict[str, Any]) -> list[str]:
    """The codes of the activity's barriers, in catalogue order."""
    present = [b for b in barriers.values() if activity.barrier_mask & b.mask]
    return [b.code for b in sorted(present, key=lambda b: (b.position, b.bit))]


@register.filter
def distance(metres: float | None) -> str:
    return "" if metres is None else format_distance(metres)


@register.filter
def cents(value: int) -> str:
    """1250 → '12,50' (Dutch decimal comma)."""
    return f"{int(value) / 100:.2f}".replace(".", ",")


@register.filter
def advice(barrier: Any, language: str) -> str:
    """How to lower a barrier, in the page's language where the catalogue has it."""
    return str(barrier.advice(language or "nl")) if barrier is not None else ""
