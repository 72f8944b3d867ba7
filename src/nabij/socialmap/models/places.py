"""Places where activities happen, with the accessibility facts the barrier profile reads."""

from __future__ import annotations

import re
import uuid
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from nabij.core import cbs
from nabij.core.models import Municipality, Neighbourhood
from nabij.socialmap.models.organisations import Organisation

POSTCODE = re.compile(r"[1-9][0-9]{3} ?[A-Z]{2}")
# SA, SD and SS are not issued as postcode letters.
POSTCODE_EXCLUDED_LETTERS = frozenset({"SA", "SD", "SS"})


def normalise_postcode(value: str) -> str:
    """'1234ab' and '1234 AB' become '1234 AB'; anything else is returned as it was."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if re.fullmatch(r"[0-9]{4}[A-Z]{2}", compact):
        return f"{compact[:4]} {compact[4:]}"
    return value


def validate_postcode(value: str) -> None:
    if not POSTCODE.fullmatch(value) or value[-2:] in POSTCODE_EXCLUDED_LETTERS:
        raise ValidationError(
            _("Vul een Nederlandse postcode in: vier cijfers en twee letters, zoals 1234 AB."), code="postcode"
        )


class PlaceKind(models.TextChoices):
    BUURTHUIS = "buurthuis", _("buurthuis")
    BIBLIOTHEEK = "bibliotheek", _("bibliotheek")
    INLOOPHUIS = "inloophuis", _("inloophuis")
    SPORTPARK = "sportpark", _("sportpark")
    SPORTHAL = "sporthal", _("sporthal")
    KERK = "kerk", _("kerk of moskee")
    SCHOOL = "school", _("school")
    ZORGLOCATIE = "zorglocatie", _("zorglocatie")
    TUIN = "tuin", _("(moes)tuin")
    HORECA = "horeca", _("café of restaurant")
    WINKEL = "winkel", _("winkel")
    BUITEN = "buiten", _("buiten, in de openbare ruimte")
    OVERIG = "overig", _("overig")


class Place(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="places", verbose_name=_("gemeente")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="places", verbose_name=_("organisatie")
    )
    # Stable public identifier: the id in the API, HSDS and iCal, kept across exports and imports.
    uid = models.UUIDField(_("publieke id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("naam"), max_length=160)
    kind = models.CharField(_("soort plek"), max_length=20, choices=PlaceKind.choices)
    street = models.CharField(_("straat"), max_length=120, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=12, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True, validators=[validate_postcode])
    city = models.CharField(_("plaats"), max_length=80, blank=True)
    lat = models.FloatField(_("breedtegraad"), null=True, blank=True, validators=[cbs.validate_latitude])
    lon = models.FloatField(_("lengtegraad"), null=True, blank=True, validators=[cbs.validate_longitude])
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="places",
        verbose_name=_("buurt"),
    )
    # Accessibility facts: None means nobody has checked yet.
    step_free_entrance = models.BooleanField(_("drempelvrije ingang"), null=True, blank=True)
    wheelchair_accessible = models.BooleanField(_("rolstoeltoegankelijk"), null=True, blank=True)
    accessible_toilet = models.BooleanField(_("toegankelijk toilet"), null=True, blank=True)
    # Archived rather than deleted: activities, history and the monitor keep pointing at it.
    archived_at = models.DateTimeField(_("gearchiveerd op"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[Place]] = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("plek")
        verbose_name_plural = _("plekken")
        ordering = ["name"]
        # The bounding box of a walking distance starts from here (search.py).
        indexes = [models.Index(fields=["lat", "lon"], name="place_lat_lon")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.postcode = normalise_postcode(self.postcode)
        super().save(*args, **kwargs)

    def clean_fields(self, exclude: Any = None) -> None:
        self.postcode = normalise_postcode(self.postcode)  # '1234ab' is fine: it is stored as '1234 AB'
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if (self.lat is None) != (self.lon is None):
            errors["lon"] = _("Vul de breedtegraad en de lengtegraad allebei in, of geen van beide.")
        organisation = Organisation._base_manager.filter(pk=self.organisation_id).first()
        if organisation is not None and organisation.municipality_id != self.municipality_id:
            errors["organisation"] = _("Deze organisatie hoort niet bij deze gemeente.")
        neighbourhood = (
            Neighbourhood._base_manager.filter(pk=self.neighbourhood_id).first() if self.neighbourhood_id else None
        )
        if neighbourhood is not None and neighbourhood.municipality_id != self.municipality_id:
            errors["neighbourhood"] = _("Deze buurt hoort niet bij deze gemeente.")
        if errors:
            raise ValidationError(errors)

    @property
    def address(self) -> str:
        return ", ".join(p for p in (f"{self.street} {self.house_number}".strip(), self.postcode, self.city) if p)


# ---------------------------------------------------------------------------------------------
# Activities
# ---------------------------------------------------------------------------------------------
