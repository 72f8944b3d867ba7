"""Users, their roles per municipality, and personal API tokens."""

from __future__ import annotations

import secrets
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from nabij.core.models import Municipality


def new_pseudonym() -> str:
    return secrets.token_hex(8)


class EmailUserManager(UserManager["User"]):
    """Users log in with their e-mail address; there is no separate username."""

    def _create_user(self, email: str, password: str | None, **extra_fields: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mailadres"), unique=True)
    display_name = models.CharField(_("naam"), max_length=120)
    # The audit log and the monitor refer to people by this key, never by name or e-mail.
    pseudonym = models.CharField(max_length=16, unique=True, default=new_pseudonym, editable=False)
    preferred_language = models.CharField(
        _("taal"), max_length=5, choices=[("nl", "Nederlands"), ("en", "English")], default="nl"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    objects: ClassVar[EmailUserManager] = EmailUserManager()

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self) -> str:
        return self.display_name or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        # One account per address whatever its capitals: stored lower-case, looked up lower-case.
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name


class Role(models.TextChoices):
    RESIDENT = "resident", _("bewoner")
    SUPPORTER = "supporter", _("maatje of vrijwilliger")
    ORGANISER = "organiser", _("organisator")
    PROFESSIONAL = "professional", _("professional")
    COORDINATOR = "coordinator", _("coördinator")
    ANALYST = "analyst", _("analist")
    ADMIN = "admin", _("beheerder")


# Roles that see personal data of others and so must pass a second factor first.
SECOND_FACTOR_ROLES = frozenset({Role.PROFESSIONAL, Role.COORDINATOR, Role.ADMIN})


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles", verbose_name=_("gebruiker"))
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("gemeente")
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    # Organisers act for one organisation; the other roles have none.
    organisation = models.ForeignKey(
        "socialmap.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("organisatie"),
    )
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("toegekend door")
    )
    granted_at = models.DateTimeField(_("toegekend op"), default=timezone.now)

    objects: ClassVar[models.Manager[RoleAssignment]] = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("rol")
        verbose_name_plural = _("rollen")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality", "role"],
                condition=Q(organisation__isnull=True),
                name="unique_role_without_organisation",
            ),
            models.UniqueConstraint(
                fields=["user", "municipality", "role", "organisation"],
                condition=Q(organisation__isnull=False),
                name="unique_role_with_organisation",
            ),
            models.CheckConstraint(
                condition=(Q(role="organiser") & Q(organisation__isnull=False))
                | (~Q(role="organiser") & Q(organisation__isnull=True)),
                name="organisation_iff_organiser",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.municipality.code})"

    def clean(self) -> None:
        if self.organisation is not None and self.organisation.municipality_id != self.municipality_id:
            raise ValidationError({"organisation": _("Deze organisatie hoort niet bij deze gemeente.")})


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class ApiToken(models.Model):
    """A personal token for integrations. Only its SHA-256 hash is stored; the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("naam"), max_length=80)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("verloopt op"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Whether the session that created the token had passed the second factor. A token made
    # before its owner got a role that needs one must not stand in for that second factor.
    created_with_second_factor = models.BooleanField(default=False, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())
