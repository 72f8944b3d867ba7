"""Validated instruments, stored as time series per profile (scoring in people/instruments.py)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from nabij.core.models import Municipality
from nabij.people.models.profiles import ResidentProfile


class LonelinessCategory(models.TextChoices):
    NOT = "niet eenzaam", _("niet eenzaam")
    MODERATE = "matig eenzaam", _("matig eenzaam")
    SEVERE = "ernstig eenzaam", _("ernstig eenzaam")
    VERY_SEVERE = "zeer ernstig eenzaam", _("zeer ernstig eenzaam")


class LonelinessMeasurement(models.Model):
    """One De Jong Gierveld questionnaire (6 or 11 items) and its scores."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("gemeente")
    )
    profile = models.ForeignKey(
        ResidentProfile, on_delete=models.CASCADE, related_name="loneliness", verbose_name=_("profiel")
    )
    measured_on = models.DateField(_("gemeten op"), db_index=True)
    version = models.PositiveSmallIntegerField(_("versie"), choices=[(6, "6 vragen"), (11, "11 vragen")])
    answers = models.JSONField(_("antwoorden"))
    total = models.PositiveSmallIntegerField(_("totaal"), null=True, blank=True)
    emotional = models.PositiveSmallIntegerField(_("emotionele eenzaamheid"), null=True, blank=True)
    social = models.PositiveSmallIntegerField(_("sociale eenzaamheid"), null=True, blank=True)
    category = models.CharField(_("uitkomst"), max_length=20, choices=LonelinessCategory.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[models.Manager[LonelinessMeasurement]] = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("meting eenzaamheid")
        verbose_name_plural = _("metingen eenzaamheid")
        ordering = ["measured_on", "pk"]

    def __str__(self) -> str:
        return f"{self.profile} {self.measured_on}: {self.total}"


class LadderRung(models.IntegerChoices):
    """The participatieladder (Movisie/Divosa): from isolated to paid work."""

    ISOLATED = 1, _("geïsoleerd")
    SOCIAL_CONTACTS = 2, _("sociale contacten buitenshuis")
    ORGANISED_ACTIVITIES = 3, _("deelname aan georganiseerde activiteiten")
    UNPAID_WORK = 4, _("onbetaald werk")
    PAID_WORK_WITH_SUPPORT = 5, _("betaald werk met ondersteuning")
    PAID_WORK = 6, _("betaald werk")


class LadderMeasurement(models.Model):
    """One rung on the participation ladder at a moment: before, during or after support."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("gemeente")
    )
    profile = models.ForeignKey(
        ResidentProfile, on_delete=models.CASCADE, related_name="ladder", verbose_name=_("profiel")
    )
    measured_on = models.DateField(_("gemeten op"), db_index=True)
    rung = models.PositiveSmallIntegerField(
        _("trede"), choices=LadderRung.choices, validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[models.Manager[LadderMeasurement]] = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("meting participatieladder")
        verbose_name_plural = _("metingen participatieladder")
        ordering = ["measured_on", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(rung__gte=1, rung__lte=6), name="ladder_rung_1_to_6")]

    def __str__(self) -> str:
        return f"{self.profile} {self.measured_on}: {self.rung}"
