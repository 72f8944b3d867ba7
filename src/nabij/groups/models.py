"""Small active groups (seed 003: "activisme geeft groepsbinding"): 5 to 10 people around concrete
activities, with one or more trekkers (leaders) and optionally a guide."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from nabij.core.models import Municipality, Neighbourhood
from nabij.people.models import ResidentProfile
from nabij.socialmap.models import Activity

# The size seed 003 names for group binding; outside it a group shows up as a signal.
SMALLEST = 5
LARGEST = 10


class GroupStatus(models.TextChoices):
    FORMING = "forming", _("in oprichting")
    ACTIVE = "active", _("actief")
    ENDED = "ended", _("gestopt")


class Group(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="groups", verbose_name=_("gemeente")
    )
    # The public id in URLs and the API: unguessable, so ids reveal nothing about other groups.
    uid = models.UUIDField(_("publieke id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("naam"), max_length=120)
    description = models.TextField(_("wat de groep doet"), blank=True)
    activities = models.ManyToManyField(Activity, blank=True, related_name="groups", verbose_name=_("activiteiten"))
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("buurt")
    )
    # A professional or peer expert who supports the group; optional.
    guide = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guided_groups",
        verbose_name=_("begeleider"),
    )
    # Who started the group manages it, with the guide and the organisers of its activities.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gestart door"),
    )
    capacity = models.PositiveSmallIntegerField(_("hoogstens zoveel leden"), default=LARGEST)
    status = models.CharField(_("status"), max_length=8, choices=GroupStatus.choices, default=GroupStatus.FORMING)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(_("gestopt op"), null=True, blank=True)

    objects: ClassVar[models.Manager[Group]] = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("kleine groep")
        verbose_name_plural = _("kleine groepen")
        ordering = ["name", "pk"]
        constraints = [models.CheckConstraint(condition=Q(capacity__gte=1), name="group_capacity_positive")]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    MEMBER = "member", _("lid")
    TREKKER = "trekker", _("trekker")


class Membership(models.Model):
    """A resident in a group, from joining to leaving; history is kept (left_at)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("gemeente")
    )
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("groep"))
    profile = models.ForeignKey(
        ResidentProfile, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("bewoner")
    )
    role = models.CharField(_("rol"), max_length=8, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_at = models.DateTimeField(_("lid sinds"), auto_now_add=True)
    left_at = models.DateTimeField(_("vertrokken op"), null=True, blank=True)

    objects: ClassVar[models.Manager[Membership]] = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "profile"], condition=Q(left_at__isnull=True), name="one_current_membership"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile} in {self.group}"
