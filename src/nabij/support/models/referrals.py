"""Warm hand-overs (warme overdracht): a professional refers a consenting resident onwards."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from nabij.core.models import Municipality
from nabij.groups.models import Group
from nabij.people.models import ResidentProfile
from nabij.socialmap.models import Activity
from nabij.support.models.supporters import Supporter


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", _("voorgesteld")
    INTRODUCED = "introduced", _("kennisgemaakt")
    PARTICIPATING = "participating", _("doet mee")
    STOPPED = "stopped", _("gestopt")


class Referral(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("gemeente")
    )
    profile = models.ForeignKey(
        ResidentProfile, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("bewoner")
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("verwezen door"),
    )
    # Exactly one target: an activity, a group or a supporter.
    activity = models.ForeignKey(Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    supporter = models.ForeignKey(Supporter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(
        _("status"), max_length=14, choices=ReferralStatus.choices, default=ReferralStatus.PROPOSED
    )
    # Set while the resident's referral consent is revoked: the hand-over waits, nothing is shared.
    paused_at = models.DateTimeField(_("gepauzeerd op"), null=True, blank=True)
    note = models.TextField(_("wat de ontvanger moet weten"), blank=True)
    outcome = models.TextField(_("uitkomst"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[models.Manager[Referral]] = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("warme overdracht")
        verbose_name_plural = _("warme overdrachten")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(activity__isnull=False, group__isnull=True, supporter__isnull=True)
                    | Q(activity__isnull=True, group__isnull=False, supporter__isnull=True)
                    | Q(activity__isnull=True, group__isnull=True, supporter__isnull=False)
                ),
                name="referral_has_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('overdracht')} {self.pk} ({self.get_status_display()})"

    @property
    def collective(self) -> bool:
        """To a group or an activity rather than one-to-one support (the monitor counts this)."""
        return self.activity_id is not None or self.group_id is not None
