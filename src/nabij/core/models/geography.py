"""Tenancy and geography: Municipality (the tenant) → District (wijk) → Neighbourhood (buurt)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from nabij.core import cbs

# Slugs that would shadow a top-level URL of the product.
RESERVED_SLUGS = frozenset({"admin", "api", "account", "accounts", "static", "media", "i18n", "taken", "tasks"})


def validate_slug_not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS or cbs.MUNICIPALITY_CODE.fullmatch(value.upper()):
        raise ValidationError(_("Deze korte naam is gereserveerd; kies een andere."), code="reserved")


class AreaFields(models.Model):
    """What every CBS area has: a name, a centroid, an optional boundary and population figures."""

    name = models.CharField(_("naam"), max_length=120)
    centroid_lat = models.FloatField(_("middelpunt breedtegraad"), validators=[cbs.validate_latitude])
    centroid_lon = models.FloatField(_("middelpunt lengtegraad"), validators=[cbs.validate_longitude])
    boundary = models.JSONField(_("grens (GeoJSON)"), null=True, blank=True, validators=[cbs.validate_boundary])
    population = models.PositiveIntegerField(_("inwoners"), default=0)
    households = models.PositiveIntegerField(_("huishoudens"), null=True, blank=True)
    # CBS Kerncijfers age bands as counts, e.g. {"0-14": 1200, "15-24": 800, ...}.
    population_by_age = models.JSONField(_("inwoners per leeftijd"), default=dict, blank=True)

    class Meta:
        abstract = True

    def geojson_feature(self, **extra: Any) -> dict[str, Any]:
        return {
            "type": "Feature",
            "id": self.code,  # type: ignore[attr-defined]
            "geometry": self.boundary or {"type": "Point", "coordinates": [self.centroid_lon, self.centroid_lat]},
            "properties": {
                "code": self.code,  # type: ignore[attr-defined]
                "name": self.name,
                "population": self.population,
                "households": self.households,
                "centroid": [self.centroid_lon, self.centroid_lat],
                **extra,
            },
        }


class Municipality(AreaFields):
    """The tenant: every tenant-owned row carries one, and no query may cross it."""

    code = models.CharField(
        _("CBS-gemeentecode"), max_length=6, unique=True, validators=[cbs.validate_municipality_code]
    )
    slug = models.SlugField(
        _("korte naam in de URL"), max_length=60, unique=True, validators=[validate_slug_not_reserved]
    )
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class District(AreaFields):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="districts", verbose_name=_("gemeente")
    )
    code = models.CharField(_("CBS-wijkcode"), max_length=8, unique=True)

    objects: ClassVar[models.Manager[District]] = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        municipality = Municipality.objects.filter(pk=self.municipality_id).first()
        cbs.validate_district_code(self.code, municipality.code if municipality else None)


class Neighbourhood(AreaFields):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="neighbourhoods", verbose_name=_("gemeente")
    )
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="neighbourhoods", verbose_name=_("wijk")
    )
    code = models.CharField(_("CBS-buurtcode"), max_length=10, unique=True)

    objects: ClassVar[models.Manager[Neighbourhood]] = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("buurt")
        verbose_name_plural = _("buurten")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        district = District._base_manager.filter(pk=self.district_id).first()
        if district is not None:
            cbs.validate_neighbourhood_code(self.code, district.code)
            if self.municipality_id and district.municipality_id != self.municipality_id:
                raise ValidationError(_("De buurt en haar wijk horen bij verschillende gemeenten."))
        else:
            cbs.validate_neighbourhood_code(self.code)
