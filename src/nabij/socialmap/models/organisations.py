"""Organisations: every actor of the social map, in one of the three spheres (de drie O's)."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from nabij.core.models import Municipality


class Sphere(models.TextChoices):
    """De drie O's (seed 002): every actor belongs to exactly one."""

    OIKOS = "oikos", _("Oikos: bewoners en hun netwerken")
    OVERHEID = "overheid", _("Overheid en publieke sector")
    ONDERNEMINGEN = "ondernemingen", _("Ondernemingen")


class OrganisationKind(models.TextChoices):
    BEWONERSINITIATIEF = "bewonersinitiatief", _("bewonersinitiatief")
    VERENIGING = "vereniging", _("vereniging")
    COOPERATIE = "cooperatie", _("coöperatie")
    SOCIALE_ONDERNEMING = "sociale_onderneming", _("sociale onderneming")
    ZORGBOERDERIJ = "zorgboerderij", _("zorgboerderij")
    WELZIJN = "welzijn", _("welzijnsorganisatie")
    BIBLIOTHEEK = "bibliotheek", _("bibliotheek")
    WIJKTEAM = "wijkteam", _("wijkteam")
    GEMEENTE = "gemeente", _("gemeente")
    ZORG = "zorg", _("zorgorganisatie")
    BEDRIJF = "bedrijf", _("bedrijf")
    OVERIG = "overig", _("overig")


class Organisation(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="organisations", verbose_name=_("gemeente")
    )
    # Stable public identifier: the id in the API, HSDS and iCal, kept across exports and imports.
    uid = models.UUIDField(_("publieke id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("naam"), max_length=160)
    sphere = models.CharField(_("sfeer"), max_length=15, choices=Sphere.choices)
    kind = models.CharField(_("soort"), max_length=25, choices=OrganisationKind.choices)
    description = models.TextField(_("beschrijving"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    # Archived rather than deleted: activities, history and the monitor keep pointing at it.
    archived_at = models.DateTimeField(_("gearchiveerd op"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[Organisation]] = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="unique_organisation_name")]

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------------------------------------
# Validators
# ---------------------------------------------------------------------------------------------
