"""Supporters: create, change, deactivate; their VOG, capacity, availability and what they lift.

Coordinators and admins of the municipality keep the list (`permissions.can_manage_support`);
`actor` None is the system (demo, import). Every change is audited with the purpose support.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from nabij.accounts import permissions
from nabij.accounts.models import User
from nabij.core.audit import audit
from nabij.core.models import AuditAction, AuditPurpose, Municipality, Neighbourhood
from nabij.people.models import ALL_SLOTS, availability_mask
from nabij.socialmap.models import barriers_by_code
from nabij.support.models import Supporter, SupporterRole, VogStatus
from nabij.support.selectors import today

SUPPORTER_EDITABLE = frozenset(
    {
        "name",
        "role",
        "user",
        "vog_status",
        "vog_issued_on",
        "capacity",
        "availability",
        "interests",
        "languages",
        "neighbourhood",
        "lifts_mask",
    }
)
# More participants at once than a volunteer can be present for is not support.
MAX_CAPACITY = 10
MAX_WORDS = 20
LANGUAGE_CODE = re.compile(r"[a-z]{2}")
# What a supporter who goes along takes away by default (DESIGN.md §2).
DEFAULT_LIFTS = ("no_host", "registration")


def default_lifts_mask(municipality: Municipality) -> int:
    """The municipality's `no_host` and `registration` bits."""
    catalogue = barriers_by_code(municipality)
    mask = 0
    for code in DEFAULT_LIFTS:
        if code in catalogue:
            mask |= catalogue[code].mask
    return mask


def _check_manager(actor: Any, municipality: Municipality) -> None:
    if actor is not None and not permissions.can_manage_support(actor, municipality):
        raise PermissionDenied


def _words(values: Any, field: str) -> list[str]:
    if isinstance(values, str):
        values = values.split(",")
    result: list[str] = []
    for value in values or ():
        word = " ".join(str(value).split())
        if not word or word.casefold() in {w.casefold() for w in result}:
            continue
        if len(word) > 40:
            raise ValidationError({field: _("Hoogstens 40 tekens per woord: %(word)s.") % {"word": word[:40]}})
        result.append(word)
    if len(result) > MAX_WORDS:
        raise ValidationError({field: _("Hoogstens %(count)s.") % {"count": MAX_WORDS}})
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
    if mask == 0:
        raise ValidationError({"availability": _("Kies minstens één dagdeel waarop het maatje tijd heeft.")})
    return mask


def _neighbourhood(municipality: Municipality, value: Any) -> Neighbourhood | None:
    if value in (None, ""):
        return None
    found = (
        value
        if isinstance(value, Neighbourhood)
        else Neighbourhood.objects.filter(municipality=municipality, code=str(value)).first()
    )
    if found is None or found.municipality_id != municipality.pk:
        raise ValidationError({"neighbourhood": _("Deze buurt hoort niet bij deze gemeente.")})
    return found


def _lifts_mask(municipality: Municipality, value: Any) -> int:
    known = 0
    for barrier in barriers_by_code(municipality).values():
        known |= barrier.mask
    mask = int(value or 0)
    if mask < 0 or mask & ~known:
        raise ValidationError({"lifts_mask": _("Dit zijn geen drempels uit de lijst van deze gemeente.")})
    return mask


def _user(municipality: Municipality, value: Any, supporter: Supporter | None) -> User | None:
    if value is None:
        return None
    if not isinstance(value, User) or not permissions.is_supporter_in(value, municipality):
        raise ValidationError({"user": _("Dit account heeft geen rol als maatje in deze gemeente.")})
    # One supporter per account across all municipalities (a one-to-one field).
    with scopes_disabled():
        others = Supporter.objects.filter(user=value)
        taken = (others.exclude(pk=supporter.pk) if supporter else others).exists()
    if taken:
        raise ValidationError({"user": _("Dit account hoort al bij een ander maatje.")})
    return value


def _clean(municipality: Municipality, fields: dict[str, Any], supporter: Supporter | None) -> dict[str, Any]:
    unknown = sorted(set(fields) - SUPPORTER_EDITABLE)
    if unknown:
        raise ValidationError(_("Deze velden bestaan niet: %(fields)s.") % {"fields": ", ".join(unknown)})
    values = dict(fields)
    cleaners: dict[str, Any] = {
        "name": lambda v: " ".join(str(v or "").split()),
        "interests": lambda v: _words(v, "interests"),
        "languages": _languages,
        "availability": _availability,
        "neighbourhood": lambda v: _neighbourhood(municipality, v),
        "lifts_mask": lambda v: _lifts_mask(municipality, v),
        "user": lambda v: _user(municipality, v, supporter),
    }
    for name, cleaner in cleaners.items():
        if name in values:
            values[name] = cleaner(values[name])
    if "name" in values and not values["name"]:
        raise ValidationError({"name": _("Vul de naam van het maatje in.")})
    if "role" in values and values["role"] not in SupporterRole.values:
        raise ValidationError({"role": _("Kies een rol uit de lijst.")})
    if "capacity" in values:
        capacity = values["capacity"]
        if not isinstance(capacity, int) or isinstance(capacity, bool) or not 1 <= capacity <= MAX_CAPACITY:
            raise ValidationError(
                {"capacity": _("Een maatje heeft 1 tot en met %(most)s deelnemers tegelijk.") % {"most": MAX_CAPACITY}}
            )
    return values


def _check_vog(supporter: Supporter) -> None:
    if supporter.vog_status not in VogStatus.values:
        raise ValidationError({"vog_status": _("Kies of er een VOG is.")})
    if supporter.vog_status == VogStatus.ISSUED:
        if supporter.vog_issued_on is None:
            raise ValidationError({"vog_issued_on": _("Vul in wanneer de VOG is afgegeven.")})
        if supporter.vog_issued_on > today():
            raise ValidationError({"vog_issued_on": _("Deze datum ligt in de toekomst.")})
    else:
        # Without an issued VOG a date would suggest one: it is not kept.
        supporter.vog_issued_on = None


@transaction.atomic
def supporter_create(*, actor: Any, municipality: Municipality, **fields: Any) -> Supporter:
    """A new supporter. Without `lifts_mask` they lift the municipality's default barriers."""
    _check_manager(actor, municipality)
    values = _clean(municipality, fields, None)
    values.setdefault("lifts_mask", default_lifts_mask(municipality))
    if "availability" not in values:
        raise ValidationError({"availability": _("Kies minstens één dagdeel waarop het maatje tijd heeft.")})
    supporter = Supporter(municipality=municipality, **values)
    _check_vog(supporter)
    supporter.full_clean()
    supporter.save()
    audit(
        actor=actor,
        municipality=municipality,
        action=AuditAction.CREATE,
        purpose=AuditPurpose.SUPPORT,
        record=supporter,
        detail={"fields": sorted(values)},
    )
    return supporter


@transaction.atomic
def supporter_update(*, actor: Any, supporter: Supporter, **changes: Any) -> Supporter:
    """Change a supporter's facts. A lower capacity leaves existing relations as they are."""
    _check_manager(actor, supporter.municipality)
    values = _clean(supporter.municipality, changes, supporter)
    changed = sorted(name for name, value in values.items() if getattr(supporter, name) != value)
    for name, value in values.items():
        setattr(supporter, name, value)
    _check_vog(supporter)
    supporter.full_clean()
    supporter.save()
    if changed:
        audit(
            actor=actor,
            municipality=supporter.municipality,
            action=AuditAction.CHANGE,
            purpose=AuditPurpose.SUPPORT,
            record=supporter,
            detail={"fields": changed},
        )
    return supporter


@transaction.atomic
def supporter_set_active(*, actor: Any, supporter: Supporter, active: bool) -> Supporter:
    """Inactive: no new participants (rounds skip them); open relations go on."""
    _check_manager(actor, supporter.municipality)
    if supporter.active != active:
        supporter.active = active
        supporter.save(update_fields=["active"])
        audit(
            actor=actor,
            municipality=supporter.municipality,
            action=AuditAction.CHANGE,
            purpose=AuditPurpose.SUPPORT,
            record=supporter,
            detail={"fields": ["active"], "active": active},
        )
    return supporter


def supporter_deactivate(*, actor: Any, supporter: Supporter) -> Supporter:
    return supporter_set_active(actor=actor, supporter=supporter, active=False)


def vog_renewal_due(supporter: Supporter, day: dt.date | None = None) -> bool:
    """An issued VOG older than three years: renewal is advised, and it no longer counts."""
    return supporter.vog_status == VogStatus.ISSUED and not supporter.vog_valid_on(day or today())
