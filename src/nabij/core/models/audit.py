"""The audit log: append-only, written by services, readable by a municipality's coordinators."""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from nabij.core.models.geography import Municipality


class AuditLogImmutable(Exception):
    """Raised on any attempt to change or remove an audit entry through the ORM."""


class AuditAction(models.TextChoices):
    READ = "read", _("bekeken")
    CREATE = "create", _("aangemaakt")
    CHANGE = "change", _("gewijzigd")
    DELETE = "delete", _("verwijderd")
    EXPORT = "export", _("geëxporteerd")


class AuditPurpose(models.TextChoices):
    """Why personal data was processed; later apps add the consent purposes they use."""

    ADMINISTRATION = "administration", _("beheer")
    ACCOUNT = "account", _("eigen account")
    SECURITY = "security", _("beveiliging")
    SUPPORT = "support", _("ondersteuning en matching")
    REFERRAL = "referral", _("doorverwijzing")
    MONITORING = "monitoring", _("monitoring")
    CONTACT = "contact", _("contact")
    ACCOUNTABILITY = "accountability", _("verantwoording (auditlog)")


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditLogImmutable("The audit log is append-only.")

    def delete(self) -> NoReturn:
        raise AuditLogImmutable("The audit log is append-only.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditLogImmutable("The audit log is append-only.")


class AuditEntry(models.Model):
    """One processing of (personal) data: who did what to which record, why, and when.

    `record_ref` is the record's pseudonymous key, never a name; the database refuses
    UPDATE (and, on PostgreSQL, DELETE) on this table, see migration 0002.
    """

    at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    # No FK constraint: the log must outlive the accounts it mentions.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wie"),
    )
    actor_ref = models.CharField(_("wie (pseudoniem)"), max_length=40, blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("gemeente")
    )
    action = models.CharField(_("wat"), max_length=10, choices=AuditAction.choices)
    record_type = models.CharField(_("soort gegeven"), max_length=80)
    record_ref = models.CharField(_("welk gegeven (pseudoniem)"), max_length=64, blank=True)
    purpose = models.CharField(_("doel"), max_length=30, choices=AuditPurpose.choices)
    detail = models.JSONField(_("toelichting"), default=dict, blank=True)

    objects: ClassVar[models.Manager[AuditEntry]] = ScopedManager(
        _manager_class=models.Manager.from_queryset(AuditQuerySet), municipality="municipality"
    )
    # Django's deletion collector and related lookups use the base manager: it refuses too.
    unscoped: ClassVar[models.Manager[AuditEntry]] = models.Manager.from_queryset(AuditQuerySet)()

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ["-at", "-id"]
        base_manager_name = "unscoped"
        indexes = [models.Index(fields=["municipality", "-at"]), models.Index(fields=["record_type", "record_ref"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_ref} {self.action} {self.record_type}:{self.record_ref}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or kwargs.get("force_update"):
            raise AuditLogImmutable("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditLogImmutable("The audit log is append-only.")
