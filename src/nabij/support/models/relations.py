"""Support relations: a supporter who introduces a participant and stays present."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from nabij.core.models import Municipality
from nabij.people.models import ResidentProfile
from nabij.support.models.supporters import Supporter


class RelationStatus(models.TextChoices):
    PROPOSED = "proposed", _("voorgesteld")
    INTRODUCED = "introduced", _("kennisgemaakt")
    ACTIVE = "active", _("actief")
    ENDED = "ended", _("beëindigd")


class EndReason(models.TextChoices):
    GOAL_REACHED = "goal_reached", _("doel bereikt: de deelnemer gaat zelf")
    NO_CLICK = "no_click", _("het klikte niet")
    PARTICIPANT_STOPPED = "participant_stopped", _("de deelnemer wilde stoppen")
    SUPPORTER_STOPPED = "supporter_stopped", _("het maatje stopte")
    CONSENT_REVOKED = "consent_revoked", _("toestemming ingetrokken")
    OTHER = "other", _("anders")


OPEN_STATUSES = (RelationStatus.PROPOSED, RelationStatus.INTRODUCED, RelationStatus.ACTIVE)


class SupportRelation(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("gemeente")
    )
    participant = models.ForeignKey(
        ResidentProfile, on_delete=models.CASCADE, related_name="support_relations", verbose_name=_("deelnemer")
    )
    supporter = models.ForeignKey(
        Supporter, on_delete=models.CASCADE, related_name="relations", verbose_name=_("maatje")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RelationStatus.choices, default=RelationStatus.PROPOSED
    )
    explanation = models.TextField(_("waarom deze koppeling"), blank=True)
    proposed_at = models.DateTimeField(_("voorgesteld op"), auto_now_add=True)
    # Since when the participant waited for a supporter: the monitor's "time from request to match".
    requested_at = models.DateTimeField(_("wachtte op een maatje sinds"), null=True, blank=True)
    started_on = models.DateField(_("begonnen op"), null=True, blank=True)
    ended_on = models.DateField(_("geëindigd op"), null=True, blank=True)
    end_reason = models.CharField(_("reden van einde"), max_length=20, choices=EndReason.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[models.Manager[SupportRelation]] = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("steunrelatie")
        verbose_name_plural = _("steunrelaties")
        ordering = ["proposed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "supporter"],
                condition=Q(status__in=["proposed", "introduced", "active"]),
                name="one_open_relation_per_pair",
            ),
            models.CheckConstraint(
                condition=Q(status="ended", ended_on__isnull=False) | ~Q(status="ended"), name="ended_relation_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} - {self.supporter}"


class ContactKind(models.TextChoices):
    MEETING = "meeting", _("afgesproken")
    TOGETHER = "together", _("samen naar een activiteit")
    PHONE = "phone", _("gebeld of geappt")
    OTHER = "other", _("anders")


class ContactMoment(models.Model):
    """Logged by the supporter: that there was contact, not what was said."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("gemeente")
    )
    relation = models.ForeignKey(
        SupportRelation, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("steunrelatie")
    )
    on = models.DateField(_("datum"), db_index=True)
    kind = models.CharField(_("soort contact"), max_length=10, choices=ContactKind.choices)
    note = models.CharField(_("korte notitie"), max_length=280, blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    logged_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[ContactMoment]] = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("contactmoment")
        verbose_name_plural = _("contactmomenten")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.relation} {self.on}"
