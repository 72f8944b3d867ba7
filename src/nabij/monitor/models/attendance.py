"""Attendance per activity session, in one set of definitions for every partner (collective impact).

A session is one activity on one date. It carries an anonymous head count, and named attendance rows
only for participants who consented to monitoring, by their profile (the monitor reads the profile's
pseudonymous key, never a name). Who came = named rows + the anonymous count.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from nabij.core.models import Municipality
from nabij.people.models import ResidentProfile
from nabij.socialmap.models import Activity


class AttendanceSession(models.Model):
    # No index of their own: (municipality, on) and the unique (activity, on) lead with them.
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", db_index=False, verbose_name=_("gemeente")
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="attendance_sessions",
        db_index=False,
        verbose_name=_("activiteit"),
    )
    on = models.DateField(_("datum"))
    # People who came without being counted by name: no consent, or simply not asked.
    anonymous_count = models.PositiveIntegerField(_("aantal bezoekers zonder naam"), default=0)
    # Named rows are denormalised into this count, so totals need no join.
    named_count = models.PositiveIntegerField(_("aantal bezoekers met pseudoniem"), default=0, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now=True)

    objects: ClassVar[models.Manager[AttendanceSession]] = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("bijeenkomsten")
        ordering = ["-on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "on"], name="one_session_per_activity_day"),
        ]
        indexes = [models.Index(fields=["municipality", "on"], name="attendance_session_period")]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.on}"

    @property
    def total(self) -> int:
        return self.anonymous_count + self.named_count


class Attendance(models.Model):
    """One consented participant at one session. `activity` and `on` repeat the session's, so the
    monitor reads a period's attendance from one indexed table (millions of rows at city scale)."""

    # Millions of rows: no index of their own where (municipality, on) and the unique
    # (session, profile) lead with them; every index costs time on each insert.
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", db_index=False, verbose_name=_("gemeente")
    )
    session = models.ForeignKey(
        AttendanceSession,
        on_delete=models.CASCADE,
        related_name="attendances",
        db_index=False,
        verbose_name=_("bijeenkomst"),
    )
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+", verbose_name=_("activiteit"))
    on = models.DateField(_("datum"))
    profile = models.ForeignKey(
        ResidentProfile, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("deelnemer")
    )

    objects: ClassVar[models.Manager[Attendance]] = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("aanwezigheid")
        verbose_name_plural = _("aanwezigheden")
        ordering = ["on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "profile"], name="one_attendance_per_session"),
        ]
        indexes = [
            models.Index(fields=["municipality", "on"], name="attendance_period"),
            models.Index(fields=["profile", "on"], name="attendance_profile"),
        ]

    def __str__(self) -> str:
        return f"{self.profile} @ {self.session}"
