"""Supporters (maatjes, buddies, mentors, peer experts, confidants) and their VOG."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from nabij.core.models import Municipality, Neighbourhood
from nabij.people.models import ALL_SLOTS

# A VOG (Verklaring Omtrent het Gedrag) is advised to be renewed after three years.
VOG_VALID_FOR = dt.timedelta(days=3 * 365)


class SupporterRole(models.TextChoices):
    MAATJE = "maatje", _("maatje")
    BUDDY = "buddy", _("buddy")
    MENTOR = "mentor", _("mentor")
    ERVARINGSDESKUNDIGE = "ervaringsdeskundige", _("ervaringsdeskundige")
    VERTROUWENSPERSOON = "vertrouwenspersoon", _("vertrouwenspersoon")


class VogStatus(models.TextChoices):
    NONE = "none", _("geen VOG")
    REQUESTED = "requested", _("aangevraagd")
    ISSUED = "issued", _("afgegeven")


class SupporterQuerySet(models.QuerySet["Supporter"]):
    def with_valid_vog(self, on: dt.date) -> SupporterQuerySet:
        return self.filter(vog_status=VogStatus.ISSUED, vog_issued_on__gt=on - VOG_VALID_FOR)


SupporterManager = models.Manager.from_queryset(SupporterQuerySet)


class Supporter(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="supporters", verbose_name=_("gemeente")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supporter",
        verbose_name=_("account"),
    )
    name = models.CharField(_("naam"), max_length=120)
    role = models.CharField(_("rol"), max_length=20, choices=SupporterRole.choices, default=SupporterRole.MAATJE)
    vog_status = models.CharField(_("VOG"), max_length=10, choices=VogStatus.choices, default=VogStatus.NONE)
    vog_issued_on = models.DateField(_("VOG afgegeven op"), null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(_("hoeveel deelnemers tegelijk"), default=1)
    availability = models.PositiveIntegerField(
        _("beschikbaarheid (bitmasker)"), default=0, validators=[MaxValueValidator(ALL_SLOTS)]
    )
    interests = models.JSONField(_("interesses"), default=list, blank=True)
    languages = models.JSONField(_("talen"), default=list, blank=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("woonbuurt")
    )
    # Barrier bits this supporter lifts by going along (default: no_host and registration).
    lifts_mask = models.BigIntegerField(_("drempels die wegvallen als dit maatje meegaat"), default=0)
    active = models.BooleanField(_("beschikbaar voor nieuwe deelnemers"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[SupporterQuerySet] = ScopedManager(_manager_class=SupporterManager, municipality="municipality")

    class Meta:
        verbose_name = _("maatje of vrijwilliger")
        verbose_name_plural = _("maatjes en vrijwilligers")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(vog_status="issued", vog_issued_on__isnull=False) | ~models.Q(vog_status="issued"),
                name="vog_issued_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def vog_valid_on(self, day: dt.date) -> bool:
        return (
            self.vog_status == VogStatus.ISSUED
            and self.vog_issued_on is not None
            and self.vog_issued_on > day - VOG_VALID_FOR
        )
