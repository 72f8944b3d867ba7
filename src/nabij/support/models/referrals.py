"""Warm hand-overs (warme overdracht): a professional refers a consenting resident onwards."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from nabij.core.models import Municipality
from nabij.groups.models import Group
from nabij.people import signals as people_signals
from nabij.people.models import Consent, ConsentPurpose, ResidentProfile
from nabij.socialmap.models import Activity
from nabij.support.models.supporters import Supporter


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", _("voorgesteld")
    INTRODUCED = "introduced", _("kennisgemaakt")
    PARTICIPATING = "participating", _("doet mee")
    STOPPED = "stopped", _("gestopt")


OPEN = (ReferralStatus.PROPOSED, ReferralStatus.INTRODUCED, ReferralStatus.PARTICIPATING)


class ReferralQuerySet(models.QuerySet["Referral"]):
    def open(self) -> ReferralQuerySet:
        return self.filter(status__in=OPEN)

    def shareable(self) -> ReferralQuerySet:
        """What a receiver may see: not paused, and the resident's referral consent is current."""
        return self.filter(
            paused_at__isnull=True,
            profile__erased_at__isnull=True,
        ).filter(
            models.Exists(
                Consent.objects.filter(
                    profile=models.OuterRef("profile"), purpose=ConsentPurpose.REFERRAL, revoked_at__isnull=True
                )
            )
        )


ReferralManager = models.Manager.from_queryset(ReferralQuerySet)


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

    objects: ClassVar[ReferralQuerySet] = ScopedManager(_manager_class=ReferralManager, municipality="municipality")

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
    def target(self) -> Any:
        return self.activity or self.group or self.supporter

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def collective(self) -> bool:
        """To a group or an activity rather than one-to-one support (the monitor counts this)."""
        return self.activity_id is not None or self.group_id is not None


# --- receivers of the people app's signals ---------------------------------------------------------
# Connected where the app registry loads them, so they are in place in every process; the work is
# in support.services.referrals (imported late: services import these models).


def _on_consent_revoked(sender: Any, **kwargs: Any) -> None:
    from nabij.support.services.referrals import on_consent_revoked

    on_consent_revoked(sender, **kwargs)


def _on_profile_erased(sender: Any, **kwargs: Any) -> None:
    from nabij.support.services.referrals import on_profile_erased

    on_profile_erased(sender, **kwargs)


def _on_collect_export(sender: Any, **kwargs: Any) -> dict[str, Any]:
    from nabij.support.services.referrals import on_collect_export

    return on_collect_export(sender, **kwargs)


people_signals.consent_revoked.connect(_on_consent_revoked, dispatch_uid="support.referrals.pause")
people_signals.profile_erased.connect(_on_profile_erased, dispatch_uid="support.referrals.erase")
people_signals.collect_export.connect(_on_collect_export, dispatch_uid="support.referrals.export")
