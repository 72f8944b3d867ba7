"""The social map's answers to core's signals."""

from __future__ import annotations

from typing import Any

from django_scopes import scope

from nabij.core.models import Municipality
from nabij.socialmap.services import catalogue_ensure_defaults


def give_default_catalogues(sender: Any, *, municipality: Municipality, actor: Any = None, **kwargs: Any) -> None:
    """A municipality the area import creates can have a social map at once (the system acts)."""
    with scope(municipality=municipality):
        catalogue_ensure_defaults(municipality=municipality)
