"""Matching rounds: waiting participants and supporters with room, assigned at minimum total cost."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from nabij.core.models import Municipality, TaskRun
from nabij.people.models import ResidentProfile
from nabij.support.models.supporters import Supporter


class RoundStatus(models.TextChoices):
    RUNNING = "running", _("bezig")
    PROPOSED = "proposed", _("voorstellen klaar")
    CLOSED = "closed", _("afgerond")
    FAILED = "failed", _("mislukt")


class MatchingRound(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("gemeente")
    )
    status = models.CharField(_("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.RUNNING)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    task_run = models.ForeignKey(TaskRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The weights and limits used, and what came out (participants, supporters, edges, cost).
    settings = models.JSONField(_("instellingen"), default=dict, blank=True)
    stats = models.JSONField(_("uitkomst"), default=dict, blank=True)

    objects: ClassVar[models.Manager[MatchingRound]] = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("koppelronde")
        verbose_name_plural = _("koppelrondes")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{_('koppelronde')} {self.started_at:%Y-%m-%d %H:%M}"


class ProposalDecision(models.TextChoices):
    PENDING = "pending", _("nog te beslissen")
    CONFIRMED = "confirmed", _("bevestigd")
    REJECTED = "rejected", _("afgewezen")
    WITHDRAWN = "withdrawn", _("vervallen")  # e.g. the participant revoked consent


class MatchProposal(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("gemeente")
    )
    round = models.ForeignKey(
        MatchingRound,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("ronde"),
    )
    participant = models.ForeignKey(ResidentProfile, on_delete=models.CASCADE, related_name="+")
    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="+")
    cost = models.FloatField(_("kosten"))
    explanation = models.TextField(_("waarom dit paar"))
    decision = models.CharField(
        _("besluit"), max_length=10, choices=ProposalDecision.choices, default=ProposalDecision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[MatchProposal]] = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("koppelvoorstel")
        verbose_name_plural = _("koppelvoorstellen")
        ordering = ["cost", "pk"]

    def __str__(self) -> str:
        return f"{self.participant} - {self.supporter} ({self.cost:.2f})"
