"""Writes on the per-municipality catalogues: barriers, participation types, domains, target groups."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nabij.accounts import permissions
from nabij.core.audit import audit
from nabij.core.models import AuditAction, AuditPurpose, Municipality
from nabij.socialmap import catalogue
from nabij.socialmap.models import (
    MAX_BARRIER_BIT,
    Barrier,
    Domain,
    ParticipationType,
    TargetGroup,
    barriers_by_code,
)

# Bits 0..9 belong to the default barriers; a municipality's own barriers start here.
FIRST_OWN_BIT = len(catalogue.DEFAULT_BARRIERS)


@dataclass
class CatalogueDefaultsResult:
    created: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.created.values())


def _check_catalogue_manager(actor: Any, municipality: Municipality) -> None:
    if actor is not None and not permissions.can_manage_social_map_catalogue(actor, municipality):
        raise PermissionDenied


@transaction.atomic
def catalogue_ensure_defaults(*, municipality: Municipality, actor: Any = None) -> CatalogueDefaultsResult:
    """Create the default barriers, participation types, domains and target groups that are missing.

    Idempotent: running it again creates nothing and changes nothing a municipality edited.
    """
    _check_catalogue_manager(actor, municipality)
    result = CatalogueDefaultsResult()
    barriers = barriers_by_code(municipality)
    new_barriers = [
        Barrier(
            municipality=municipality,
            code=d.code,
            bit=d.bit,
            label_nl=d.label_nl,
            label_en=d.label_en,
            how_to_lower=d.how_to_lower,
            how_to_lower_en=d.how_to_lower_en,
            relational=d.relational,
            position=d.bit,
        )
        for d in catalogue.DEFAULT_BARRIERS
        if d.code not in barriers
    ]
    Barrier.objects.bulk_create(new_barriers)
    result.created["barriers"] = len(new_barriers)
    catalogues: tuple[tuple[Any, tuple[catalogue.EntryDefault, ...], str], ...] = (
        (ParticipationType, catalogue.DEFAULT_PARTICIPATION_TYPES, "participation_types"),
        (Domain, catalogue.DEFAULT_DOMAINS, "domains"),
    )
    for model, defaults, key in catalogues:
        existing = set(model.objects.filter(municipality=municipality).values_list("code", flat=True))
        new = [
            model(municipality=municipality, code=d.code, label_nl=d.label_nl, label_en=d.label_en, position=number)
            for number, d in enumerate(defaults)
            if d.code not in existing
        ]
        model.objects.bulk_create(new)
        result.created[key] = len(new)
    barriers = barriers_by_code(municipality)
    existing_groups = set(TargetGroup.objects.filter(municipality=municipality).values_list("code", flat=True))
    new_groups = [
        TargetGroup(
            municipality=municipality,
            code=g.code,
            name_nl=g.name_nl,
            name_en=g.name_en,
            sensitivity_mask=sum(barriers[code].mask for code in g.barriers),
        )
        for g in catalogue.DEFAULT_TARGET_GROUPS
        if g.code not in existing_groups
    ]
    TargetGroup.objects.bulk_create(new_groups)
    result.created["target_groups"] = len(new_groups)
    if result.total:
        audit(
            actor=actor,
            municipality=municipality,
            action=AuditAction.CREATE,
            purpose=AuditPurpose.ADMINISTRATION,
            record_type="socialmap.catalogue",
            record_ref=municipality.code,
            detail={"created": result.created},
        )
    return result


@transaction.atomic
def barrier_create(
    *,
    actor: Any,
    municipality: Municipality,
    code: str,
    label_nl: str,
    label_en: str = "",
    how_to_lower: str = "",
    how_to_lower_en: str = "",
) -> Barrier:
    """A municipality's own barrier, on the lowest free bit from 10 up (at most bit 62)."""
    _check_catalogue_manager(actor, municipality)
    # Serialises bit allocation per municipality (a no-op on SQLite, which locks the database).
    Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
    taken = set(Barrier.objects.filter(municipality=municipality).values_list("bit", flat=True))
    free = [bit for bit in range(FIRST_OWN_BIT, MAX_BARRIER_BIT + 1) if bit not in taken]
    if not free:
        raise ValidationError(
            _("Er passen geen drempels meer bij: deze gemeente heeft er al %(count)d.") % {"count": len(taken)}
        )
    barrier = Barrier(
        municipality=municipality,
        code=code,
        bit=free[0],
        label_nl=label_nl,
        label_en=label_en,
        how_to_lower=how_to_lower,
        how_to_lower_en=how_to_lower_en,
        position=free[0],
    )
    barrier.full_clean()
    barrier.save()
    audit(
        actor=actor,
        municipality=municipality,
        action=AuditAction.CREATE,
        purpose=AuditPurpose.ADMINISTRATION,
        record=barrier,
        detail={"code": code, "bit": barrier.bit},
    )
    return barrier


def mask_for_codes(municipality: Municipality | int, codes: Iterable[str]) -> int:
    barriers = barriers_by_code(municipality)
    unknown = sorted(set(codes) - set(barriers))
    if unknown:
        raise ValidationError(_("Onbekende drempel: %(codes)s.") % {"codes": ", ".join(unknown)})
    mask = 0
    for code in codes:
        mask |= barriers[code].mask
    return mask


@transaction.atomic
def target_group_create(
    *, actor: Any, municipality: Municipality, code: str, name_nl: str, name_en: str = "", barriers: Iterable[str]
) -> TargetGroup:
    _check_catalogue_manager(actor, municipality)
    group = TargetGroup(
        municipality=municipality,
        code=code,
        name_nl=name_nl,
        name_en=name_en,
        sensitivity_mask=mask_for_codes(municipality, list(barriers)),
    )
    group.full_clean()
    group.save()
    audit(
        actor=actor,
        municipality=municipality,
        action=AuditAction.CREATE,
        purpose=AuditPurpose.ADMINISTRATION,
        record=group,
        detail={"code": code, "sensitivity_mask": group.sensitivity_mask},
    )
    return group
