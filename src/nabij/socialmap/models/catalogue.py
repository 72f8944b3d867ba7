"""Per-municipality catalogues: participation types, domains, themes, barriers and target groups."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from nabij.core.models import Municipality

MAX_BARRIER_BIT = 62


class CatalogueEntry(models.Model):
    """A code with a Dutch and an English label, per municipality."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("gemeente")
    )
    code = models.SlugField(_("code"), max_length=40)
    label_nl = models.CharField(_("naam (Nederlands)"), max_length=120)
    label_en = models.CharField(_("naam (Engels)"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.label_nl

    def label(self, language: str = "nl") -> str:
        return self.label_en if language.startswith("en") and self.label_en else self.label_nl


class ParticipationType(CatalogueEntry):
    """Ontmoeten, bewegen, creatief, vrijwilligerswerk (seed 003), and what a municipality adds."""

    objects: ClassVar[models.Manager[ParticipationType]] = ScopedManager(municipality="municipality")

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("soort deelname")
        verbose_name_plural = _("soorten deelname")
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="unique_participation_type")]


class Domain(CatalogueEntry):
    """A domain of the social basis (seed 004)."""

    objects: ClassVar[models.Manager[Domain]] = ScopedManager(municipality="municipality")

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("domein van de sociale basis")
        verbose_name_plural = _("domeinen van de sociale basis")
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="unique_domain")]


class Theme(CatalogueEntry):
    """A free, curated tag (seed 000: themes instead of rigid frames)."""

    objects: ClassVar[models.Manager[Theme]] = ScopedManager(municipality="municipality")

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="unique_theme")]


class Barrier(CatalogueEntry):
    """A barrier (drempel). Each owns one bit of the masks; `distance` is relational, never in a mask."""

    bit = models.PositiveSmallIntegerField(
        _("bit"), validators=[MinValueValidator(0), MaxValueValidator(MAX_BARRIER_BIT)]
    )
    how_to_lower = models.TextField(_("zo maak je de drempel lager"), blank=True)
    how_to_lower_en = models.TextField(_("zo maak je de drempel lager (Engels)"), blank=True)
    # Computed per person (walking distance), so never stored in an activity's mask.
    relational = models.BooleanField(_("hangt af van de persoon"), default=False)

    objects: ClassVar[models.Manager[Barrier]] = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("drempel")
        verbose_name_plural = _("drempels")
        ordering = ["bit"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="unique_barrier_code"),
            models.UniqueConstraint(fields=["municipality", "bit"], name="unique_barrier_bit"),
            models.CheckConstraint(condition=Q(bit__lte=MAX_BARRIER_BIT), name="barrier_bit_in_range"),
        ]

    @property
    def mask(self) -> int:
        return 1 << self.bit

    def advice(self, language: str = "nl") -> str:
        """How to lower it, in English when asked and written, else in Dutch."""
        return self.how_to_lower_en if language.startswith("en") and self.how_to_lower_en else self.how_to_lower


def barriers_by_code(municipality: Municipality | int) -> dict[str, Barrier]:
    return {b.code: b for b in Barrier.objects.filter(municipality=municipality)}


def mask_of(barriers: Iterable[Barrier]) -> int:
    mask = 0
    for barrier in barriers:
        mask |= barrier.mask
    return mask


def bits_of(mask: int) -> list[int]:
    return [bit for bit in range(MAX_BARRIER_BIT + 1) if mask & (1 << bit)]


class TargetGroup(models.Model):
    """A group and the barriers it is sensitive to (e.g. `epa`: cost, registration, crowded, no_host)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="target_groups", verbose_name=_("gemeente")
    )
    code = models.SlugField(_("code"), max_length=40)
    name_nl = models.CharField(_("naam (Nederlands)"), max_length=160)
    name_en = models.CharField(_("naam (Engels)"), max_length=160, blank=True)
    sensitivity_mask = models.BigIntegerField(_("gevoelig voor (bitmasker)"), default=0)

    objects: ClassVar[models.Manager[TargetGroup]] = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("doelgroep")
        verbose_name_plural = _("doelgroepen")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="unique_target_group"),
            models.CheckConstraint(condition=Q(sensitivity_mask__gte=0), name="target_group_mask_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name_nl


# ---------------------------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------------------------
