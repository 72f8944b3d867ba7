"""Per-municipality monitor settings and the stored snapshots the dashboards read.

A snapshot holds only *published* values: small-cell protection is applied before anything is
stored, so no page, API call, CSV or PDF can show a protected number by accident.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from nabij.core.models import Municipality, TaskRun

# Defaults follow the usual CBS practice; a municipality may be stricter (or, with a reason, looser).
DEFAULT_MIN_COUNT = 5
DEFAULT_MIN_BASE = 20
DEFAULT_WALK_METRES = 800
# Streets do not run straight: walking distance ~ straight-line distance x this factor (docs/indicators.md).
DEFAULT_DETOUR_FACTOR = 1.3


class MonitorSettings(models.Model):
    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="monitor_settings", verbose_name=_("gemeente")
    )
    min_count = models.PositiveSmallIntegerField(
        _("kleinste aantal dat we tonen"),
        default=DEFAULT_MIN_COUNT,
        validators=[MinValueValidator(2), MaxValueValidator(100)],
        help_text=_("Aantallen van 1 tot dit getal tonen we niet. Je ziet dan '<' en dit getal, zoals '<5'."),
    )
    min_base = models.PositiveSmallIntegerField(
        _("kleinste basis voor een percentage"),
        default=DEFAULT_MIN_BASE,
        validators=[MinValueValidator(2), MaxValueValidator(1000)],
    )
    walk_metres = models.PositiveSmallIntegerField(
        _("loopafstand in meters"), default=DEFAULT_WALK_METRES, validators=[MinValueValidator(100)]
    )
    detour_factor = models.FloatField(
        _("omweg-factor"),
        default=DEFAULT_DETOUR_FACTOR,
        validators=[MinValueValidator(1.0), MaxValueValidator(3.0)],
        help_text=_("Looproute gedeeld door de afstand in vogelvlucht."),
    )

    objects: ClassVar[models.Manager[MonitorSettings]] = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("monitorinstellingen")
        verbose_name_plural = _("monitorinstellingen")
        constraints = [models.CheckConstraint(condition=Q(min_base__gte=2), name="monitor_min_base_at_least_2")]

    def __str__(self) -> str:
        return str(self.municipality)

    @property
    def reach_metres(self) -> float:
        """Straight-line radius that stands for `walk_metres` of walking."""
        return self.walk_metres / self.detour_factor


class SnapshotStatus(models.TextChoices):
    RUNNING = "running", _("bezig")
    DONE = "done", _("klaar")
    FAILED = "failed", _("mislukt")


class Snapshot(models.Model):
    """All indicators of one municipality for one period (2026, 2026-Q3 or 2026-07)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("gemeente")
    )
    period = models.CharField(_("periode"), max_length=7)
    status = models.CharField(_("status"), max_length=8, choices=SnapshotStatus.choices, default=SnapshotStatus.RUNNING)
    computed_at = models.DateTimeField(_("berekend op"), auto_now=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    task_run = models.ForeignKey(TaskRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The thresholds and distances in force when it was computed: a snapshot explains itself.
    parameters = models.JSONField(_("instellingen"), default=dict, blank=True)
    seconds = models.FloatField(_("rekentijd (s)"), null=True, blank=True)

    objects: ClassVar[models.Manager[Snapshot]] = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("momentopname")
        verbose_name_plural = _("momentopnamen")
        ordering = ["-period"]
        constraints = [models.UniqueConstraint(fields=["municipality", "period"], name="one_snapshot_per_period")]

    def __str__(self) -> str:
        return f"{self.municipality} {self.period}"


class Unit(models.TextChoices):
    COUNT = "count", _("aantal")
    PERCENTAGE = "percentage", _("percentage")
    RATIO = "ratio", _("verhouding")
    DAYS = "days", _("dagen")


class SnapshotValue(models.Model):
    """One published value: indicator (with its breakdown), area, target group. Suppressed values
    keep only their key and `suppressed=True`; the numbers are never stored."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="values")
    indicator = models.CharField(max_length=80)
    unit = models.CharField(max_length=10, choices=Unit.choices)
    area_code = models.CharField(max_length=10)
    target_group = models.CharField(max_length=60, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    suppressed = models.BooleanField(default=False)

    objects: ClassVar[models.Manager[SnapshotValue]] = ScopedManager(municipality="municipality")

    class Meta:
        ordering = ["indicator", "area_code", "target_group"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "indicator", "area_code", "target_group"], name="one_value_per_cell"
            ),
            models.CheckConstraint(
                condition=Q(suppressed=False) | Q(numerator__isnull=True, denominator__isnull=True, value__isnull=True),
                name="suppressed_value_has_no_numbers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.area_code} {self.target_group}"
