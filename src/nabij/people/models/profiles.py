"""Resident profiles and purpose-bound consent (special-category personal data, AVG art. 9)."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from nabij.core.models import Municipality, Neighbourhood
from nabij.people.models.availability import ALL_SLOTS
from nabij.socialmap.models import IsolationType, ParticipationType


class ConsentPurpose(models.TextChoices):
    """What a profile may be used for; each purpose needs its own consent."""

    SUPPORT = "support", _("steun en koppelen aan een maatje")
    REFERRAL = "referral", _("warme overdracht naar een activiteit, groep of maatje")
    MONITORING = "monitoring", _("meetellen in de monitor (zonder naam)")
    CONTACT = "contact", _("contact opnemen")


class BirthYearBand(models.TextChoices):
    """Ten-year bands: enough for matching and the monitor, without a birth date."""

    B1930 = "1930-1939", "1930-1939"
    B1940 = "1940-1949", "1940-1949"
    B1950 = "1950-1959", "1950-1959"
    B1960 = "1960-1969", "1960-1969"
    B1970 = "1970-1979", "1970-1979"
    B1980 = "1980-1989", "1980-1989"
    B1990 = "1990-1999", "1990-1999"
    B2000 = "2000-2009", "2000-2009"


class ProfileQuerySet(models.QuerySet["ResidentProfile"]):
    def active(self) -> ProfileQuerySet:
        return self.filter(erased_at__isnull=True)

    def with_consent(self, purpose: str) -> ProfileQuerySet:
        """Profiles with a current (not revoked) consent for `purpose`: one EXISTS in SQL."""
        return self.active().filter(
            models.Exists(
                Consent.objects.filter(profile=models.OuterRef("pk"), purpose=purpose, revoked_at__isnull=True)
            )
        )

    def monitor_population(self) -> ProfileQuerySet:
        """What the monitor may count: current profiles consenting to monitoring, and the anonymous
        remainders of erased profiles whose monitoring consent was current when they were erased
        (services.profile_erase revokes it at the very moment of erasure)."""
        monitoring = Consent.objects.filter(profile=models.OuterRef("pk"), purpose=ConsentPurpose.MONITORING)
        return self.alias(
            _erased_with_consent=models.Exists(monitoring.filter(revoked_at=models.OuterRef("erased_at"))),
            _consents=models.Exists(monitoring.filter(revoked_at__isnull=True)),
        ).filter(Q(erased_at__isnull=False, _erased_with_consent=True) | Q(erased_at__isnull=True, _consents=True))


ProfileManager = models.Manager.from_queryset(ProfileQuerySet)


class ResidentProfile(models.Model):
    """A resident who wants support or to take part. Exists only with a consent (services)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="profiles", verbose_name=_("gemeente")
    )
    # The pseudonymous key: what the monitor, the audit log and exports for analysis see.
    key = models.UUIDField(_("pseudoniem"), default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resident_profile",
        verbose_name=_("account van de bewoner"),
    )
    # How the people who help address the resident; erased with the profile.
    name = models.CharField(_("naam of roepnaam"), max_length=120, blank=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("buurt")
    )
    birth_year_band = models.CharField(_("geboortejaren"), max_length=9, choices=BirthYearBand.choices, blank=True)
    isolation_type = models.CharField(_("soort isolement"), max_length=20, choices=IsolationType.choices, blank=True)
    # Same bits as the municipality's Barrier catalogue (docs/barriers.md).
    barrier_mask = models.BigIntegerField(_("drempels (bitmasker)"), default=0)
    interests = models.JSONField(_("interesses"), default=list, blank=True)
    languages = models.JSONField(
        _("talen"), default=list, blank=True, help_text=_("ISO 639-1-codes, zoals nl, ar, tr.")
    )
    availability = models.PositiveIntegerField(
        _("beschikbaarheid (bitmasker)"), default=0, validators=[MaxValueValidator(ALL_SLOTS)]
    )
    preferred_types = models.ManyToManyField(
        ParticipationType, blank=True, related_name="+", verbose_name=_("liefst deze soorten deelname")
    )
    # Vulnerable: only supporters with a valid VOG (certificate of conduct) may be matched.
    requires_vog = models.BooleanField(_("alleen een maatje met VOG"), default=True)
    support_wanted_since = models.DateTimeField(_("wacht op een maatje sinds"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # After erasure only what the monitor needs stays: the key, neighbourhood, band, type.
    erased_at = models.DateTimeField(_("gewist op"), null=True, blank=True, editable=False)

    objects: ClassVar[ProfileQuerySet] = ScopedManager(_manager_class=ProfileManager, municipality="municipality")

    class Meta:
        verbose_name = _("bewonersprofiel")
        verbose_name_plural = _("bewonersprofielen")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(barrier_mask__gte=0), name="profile_mask_not_negative"),
        ]

    def __str__(self) -> str:
        # Never the name: str() ends up in logs and the admin's lists.
        return f"{_('profiel')} {str(self.key)[:8]}"

    def has_consent(self, purpose: str) -> bool:
        return self.consents.filter(purpose=purpose, revoked_at__isnull=True).exists()


class Consent(models.Model):
    """One purpose-bound consent: who gave it, who recorded it, when; revoked when."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("gemeente")
    )
    profile = models.ForeignKey(
        ResidentProfile, on_delete=models.CASCADE, related_name="consents", verbose_name=_("profiel")
    )
    purpose = models.CharField(_("doel"), max_length=12, choices=ConsentPurpose.choices)
    given_by = models.CharField(
        _("gegeven door"),
        max_length=120,
        help_text=_("De bewoner zelf, of wie namens de bewoner toestemming mag geven (zoals een mentor of curator)."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    given_at = models.DateTimeField(_("gegeven op"))
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingetrokken door"),
    )

    objects: ClassVar[models.Manager[Consent]] = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["given_at", "pk"]
        constraints = [
            # At most one current consent per purpose; a new one may follow a revoked one.
            models.UniqueConstraint(
                fields=["profile", "purpose"], condition=Q(revoked_at__isnull=True), name="one_current_consent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.profile})"
