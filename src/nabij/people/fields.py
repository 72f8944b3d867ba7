"""Cleaning the input for a profile's facts, shared by profile_create and profile_update.

Each problem is a ValidationError keyed by the field, with a Dutch message a form can show.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from nabij.core.models import Municipality, Neighbourhood
from nabij.people.models import ALL_SLOTS, ResidentProfile, availability_mask
from nabij.socialmap.models import Barrier, ParticipationType

# What a profile holds besides its key, municipality and bookkeeping.
PROFILE_FIELDS = frozenset(
    {
        "user",
        "name",
        "neighbourhood",
        "birth_year_band",
        "isolation_type",
        "barrier_mask",
        "interests",
        "languages",
        "availability",
        "preferred_types",
        "requires_vog",
        "support_wanted_since",
    }
)
MAX_INTERESTS = 20
LANGUAGE_CODE = re.compile(r"[a-z]{2}")


def field_error(field: str, message: Any, code: str) -> ValidationError:
    """A ValidationError for one field that keeps its code (a dict argument would drop it)."""
    return ValidationError({field: ValidationError(message, code=code)})


def _neighbourhood(municipality: Municipality, value: Any) -> Neighbourhood | None:
    if value in (None, ""):
        return None
    if isinstance(value, Neighbourhood):
        neighbourhood: Neighbourhood | None = value
    else:
        neighbourhood = Neighbourhood.objects.filter(municipality=municipality, code=str(value)).first()
    if neighbourhood is None or neighbourhood.municipality_id != municipality.pk:
        raise ValidationError({"neighbourhood": _("Deze buurt hoort niet bij deze gemeente.")})
    return neighbourhood


def _participation_types(municipality: Municipality, values: Iterable[Any]) -> list[ParticipationType]:
    result = []
    for value in values:
        found = (
            value
            if isinstance(value, ParticipationType)
            else ParticipationType.objects.filter(municipality=municipality, code=str(value)).first()
        )
        if found is None or found.municipality_id != municipality.pk:
            raise ValidationError({"preferred_types": _("Onbekende soort deelname: %(code)s.") % {"code": value}})
        result.append(found)
    return result


def _words(values: Any, field: str) -> list[str]:
    if isinstance(values, str):
        values = values.split(",")
    result: list[str] = []
    for value in values or ():
        word = str(value).strip()
        if not word or word.casefold() in {w.casefold() for w in result}:
            continue
        if len(word) > 40:
            raise ValidationError({field: _("Hoogstens 40 tekens per woord: %(word)s.") % {"word": word[:40]}})
        result.append(word)
    if len(result) > MAX_INTERESTS:
        raise ValidationError({field: _("Hoogstens %(count)s.") % {"count": MAX_INTERESTS}})
    return result


def _languages(values: Any) -> list[str]:
    codes = [code.lower() for code in _words(values, "languages")]
    wrong = [code for code in codes if not LANGUAGE_CODE.fullmatch(code)]
    if wrong:
        raise ValidationError(
            {
                "languages": _("Gebruik taalcodes van twee letters, zoals nl, ar of tr: %(codes)s.")
                % {"codes": ", ".join(wrong)}
            }
        )
    return codes


def _availability(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        mask = value
    else:
        try:
            mask = availability_mask(value or ())
        except ValueError as error:
            raise ValidationError({"availability": _("Onbekend dagdeel.")}) from error
    if not 0 <= mask <= ALL_SLOTS:
        raise ValidationError({"availability": _("Onbekend dagdeel.")})
    return mask


def _barrier_mask(municipality: Municipality, value: Any) -> int:
    mask = int(value or 0)
    known = 0
    for barrier in Barrier.objects.filter(municipality=municipality):
        known |= barrier.mask
    if mask < 0 or mask & ~known:
        raise ValidationError({"barrier_mask": _("Dit zijn geen drempels uit de lijst van deze gemeente.")})
    return mask


def _user(value: Any, profile: ResidentProfile | None) -> Any:
    if value is None:
        return None
    with scopes_disabled():
        others = ResidentProfile.objects.filter(user=value)
        if profile is not None:
            others = others.exclude(pk=profile.pk)
        taken = others.exists()
    if taken:
        raise field_error("user", _("Dit account hoort al bij een ander profiel."), "taken")
    return value


def prepare_profile_fields(
    municipality: Municipality, fields: Mapping[str, Any], profile: ResidentProfile | None = None
) -> tuple[dict[str, Any], list[ParticipationType] | None]:
    unknown = sorted(set(fields) - PROFILE_FIELDS)
    if unknown:
        raise ValidationError(_("Deze velden bestaan niet: %(fields)s.") % {"fields": ", ".join(unknown)})
    values = dict(fields)
    types = None
    if "preferred_types" in values:
        types = _participation_types(municipality, values.pop("preferred_types") or ())
    cleaners = {
        "neighbourhood": lambda v: _neighbourhood(municipality, v),
        "interests": lambda v: _words(v, "interests"),
        "languages": _languages,
        "availability": _availability,
        "barrier_mask": lambda v: _barrier_mask(municipality, v),
        "user": lambda v: _user(v, profile),
        "name": lambda v: str(v or "").strip(),
    }
    for name, cleaner in cleaners.items():
        if name in values:
            values[name] = cleaner(values[name])
    return values, types
