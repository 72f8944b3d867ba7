"""The checks every social-map service starts with: who may edit, and what the input refers to."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from nabij.accounts import permissions
from nabij.core.models import Municipality
from nabij.socialmap.models import (
    Organisation,
)


def _check_editor(actor: Any, organisation: Organisation) -> None:
    if actor is not None and not permissions.can_edit_organisation_offer(actor, organisation):
        raise PermissionDenied


def _check_not_archived(organisation: Organisation) -> None:
    if organisation.archived_at is not None:
        raise ValidationError(
            _("%(name)s is gearchiveerd; er kan niets nieuws bij.") % {"name": organisation.name},
            code="archived",
        )


def _resolve(model: Any, municipality: Municipality, value: Any) -> Any:
    """A catalogue entry given as itself or as its code, of this municipality."""
    if isinstance(value, model):
        entry = value
    else:
        entry = model.objects.filter(municipality=municipality, code=value).first()
        if entry is None:
            raise ValidationError(_("Onbekende code: %(code)s.") % {"code": value})
    if entry.municipality_id != municipality.pk:
        raise ValidationError(_("Dit hoort niet bij deze gemeente."))
    return entry


def _changes_allowed(changes: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationError(_("Deze velden kun je niet wijzigen: %(fields)s.") % {"fields": ", ".join(unknown)})
