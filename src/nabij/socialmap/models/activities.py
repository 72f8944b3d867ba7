"""Activities: schedule (RRULE), facts, barrier profile and its history."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrule, rrulestr
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from nabij.core.models import Municipality
from nabij.socialmap.models.catalogue import (
    Barrier,
    Domain,
    ParticipationType,
    Theme,
    bits_of,
)
from nabij.socialmap.models.organisations import Organisation
from nabij.socialmap.models.places import Place

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def parse_rrule(text: str, dtstart: dt.datetime) -> tuple[rrule, bool]:
    """The rule for `dtstart` (aware), and whether its occurrences come out aware.

    RFC 5545 wants UNTIL in UTC when DTSTART has a time zone; an UNTIL in local time (or a
    date) is accepted too, and then the rule runs on local wall-clock time.
    """
    text = text.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    try:
        return rrulestr(text, dtstart=dtstart), True
    except ValueError as error:
        if "UNTIL" not in str(error):
            raise
    return rrulestr(text, dtstart=dtstart.replace(tzinfo=None)), False


def _rule_parts(text: str) -> dict[str, str]:
    text = text.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    return dict(part.split("=", 1) for part in text.upper().split(";") if "=" in part)


def skip_ahead(parts: dict[str, str], start: dt.datetime, after: dt.datetime) -> dt.datetime | None:
    """A later start that gives the same times from `after` on, or None if there is no safe one.

    A DAILY, WEEKLY or MONTHLY rule without COUNT gives the same times from any start a whole
    number of its periods later (same weekday or day of the month, time and phase), apart from
    times before that new start; one period of margin keeps those well before `after`.
    """
    if "COUNT" in parts or not parts.get("INTERVAL", "1").isdigit():
        return None
    step = max(int(parts.get("INTERVAL", "1")), 1)
    frequency = parts.get("FREQ", "")
    local_after = after.astimezone(AMSTERDAM).replace(tzinfo=None)
    naive_start = start.replace(tzinfo=None)
    if frequency in ("DAILY", "WEEKLY"):
        days = step * (7 if frequency == "WEEKLY" else 1)
        periods = (local_after - naive_start).days // days - 1
        # Wall-clock arithmetic on the aware start: 19:00 stays 19:00 whatever the offset then.
        return start + dt.timedelta(days=periods * days) if periods > 0 else None
    if frequency == "MONTHLY" and ("BYMONTHDAY" in parts or "BYDAY" in parts or start.day <= 28):
        months = (local_after.year - naive_start.year) * 12 + local_after.month - naive_start.month
        periods = months // step - 1
        return start + relativedelta(months=periods * step) if periods > 0 else None
    return None


def validate_rrule(value: str) -> None:
    """A single RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=TU; a bad one is a clear Dutch error."""
    if not value.strip():
        return
    if "\n" in value.strip() or "DTSTART" in value.upper():
        raise ValidationError(
            _("Geef één herhaalregel (RRULE) zonder DTSTART, bijvoorbeeld FREQ=WEEKLY;BYDAY=TU."), code="rrule"
        )
    try:
        rule, _aware = parse_rrule(value, dt.datetime(2025, 1, 6, 10, 0, tzinfo=AMSTERDAM))
    except (ValueError, TypeError, IndexError) as error:
        raise ValidationError(
            _(
                "De herhaling is geen geldige RRULE (RFC 5545): %(error)s. "
                "Een goed voorbeeld is FREQ=WEEKLY;BYDAY=TU voor elke dinsdag."
            ),
            code="rrule",
            params={"error": error},
        ) from error
    if not isinstance(rule, rrule):
        raise ValidationError(_("Geef één herhaalregel (RRULE), geen set van regels."), code="rrule")


# ---------------------------------------------------------------------------------------------
# Per-municipality catalogues
# ---------------------------------------------------------------------------------------------


class SignUpChannel(models.TextChoices):
    IN_PERSON = "in_person", _("ter plekke of langskomen")
    PHONE = "phone", _("telefonisch")
    ONLINE_ONLY = "online_only", _("alleen online")


class Commitment(models.TextChoices):
    DROP_IN = "drop_in", _("vrije inloop")
    SERIES = "series", _("een reeks bijeenkomsten")
    MEMBERSHIP = "membership", _("lidmaatschap")


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("concept")
    PUBLISHED = "published", _("gepubliceerd")
    ARCHIVED = "archived", _("gearchiveerd")


class ActionPerspective(models.TextChoices):
    """What an activity offers (seed 003), matched to the isolation types."""

    OMGEVINGSINITIATIEF = "omgevingsinitiatief", _("omgevingsinitiatief")
    MILD_WERKVERBAND = "mild_werkverband", _("mild werkverband")
    WARME_PLEK = "warme_plek", _("warme plek")


class IsolationType(models.TextChoices):
    """The three kinds of social isolation of seed 003; each is best served by one action perspective."""

    INDIVIDUAL = "individual", _("individueel maatschappelijk isolement")
    COLLECTIVE = "collective", _("collectief maatschappelijk isolement")
    SOCIAL_AND_PERSONAL = "social_and_personal", _("maatschappelijk én persoonlijk isolement")


PERSPECTIVE_FOR_ISOLATION: dict[str, str] = {
    IsolationType.INDIVIDUAL: ActionPerspective.OMGEVINGSINITIATIEF,
    IsolationType.COLLECTIVE: ActionPerspective.MILD_WERKVERBAND,
    IsolationType.SOCIAL_AND_PERSONAL: ActionPerspective.WARME_PLEK,
}


def barrier_count_expression(mask: int, field: str = "barrier_mask") -> models.Expression:
    """|field ∩ mask| in SQL: a sum of CASE expressions, one per bit of `mask` (portable popcount)."""
    terms: list[models.Expression] = [
        Case(When(Exact(F(field).bitand(1 << bit), 0), then=Value(0)), default=Value(1)) for bit in bits_of(mask)
    ]
    if not terms:
        return Value(0, output_field=models.IntegerField())
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return models.ExpressionWrapper(total, output_field=models.IntegerField())


# The fields whose change can move the schedule summary.
SCHEDULE_FIELDS = frozenset({"dtstart", "rrule", "exdates", "active_from", "active_until"})
SUMMARY_OCCURRENCES = 60


class ActivityQuerySet(models.QuerySet["Activity"]):
    def published(self) -> ActivityQuerySet:
        return self.filter(status=ActivityStatus.PUBLISHED)

    def active_on(self, day: dt.date) -> ActivityQuerySet:
        """Active on `day`: active_from ≤ day ≤ active_until, either end may be open."""
        return self.filter(Q(active_from__isnull=True) | Q(active_from__lte=day)).filter(
            Q(active_until__isnull=True) | Q(active_until__gte=day)
        )

    def without_barriers(self, mask: int) -> ActivityQuerySet:
        """No barrier of `mask`: one comparison, `(barrier_mask & mask) = 0`."""
        return self.alias(_masked=F("barrier_mask").bitand(mask)).filter(_masked=0)

    def barrier_count_for(self, mask: int) -> ActivityQuerySet:
        """Annotates `barrier_count`: how many barriers of `mask` each activity has."""
        return self.annotate(barrier_count=barrier_count_expression(mask))

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        # bulk_create skips save(); the schedule summary the search filters on must still be right.
        rows = list(objs)
        for activity in rows:
            activity.summarise_schedule()
        return super().bulk_create(rows, *args, **kwargs)


ActivityManager = models.Manager.from_queryset(ActivityQuerySet)


class Activity(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="activities", verbose_name=_("gemeente")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="activities", verbose_name=_("organisatie")
    )
    place = models.ForeignKey(
        Place,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("plek"),
        help_text=_("Leeg voor een activiteit die online is."),
    )
    # Stable public identifier: the id in the API, HSDS and iCal, kept across exports and imports.
    uid = models.UUIDField(_("publieke id"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("titel"), max_length=160)
    description = models.TextField(_("beschrijving (taalniveau B1)"), blank=True)
    what_to_expect = models.TextField(_("wat kun je verwachten"), blank=True)
    who_welcomes_you = models.CharField(
        _("wie ontvangt je"),
        max_length=160,
        blank=True,
        help_text=_("Naam of rol van wie nieuwe mensen ontvangt. Leeg: er is niemand die je ontvangt."),
    )
    # Schedule (RFC 5545): the first time, how long, how it repeats and the exceptions.
    dtstart = models.DateTimeField(_("eerste keer"))
    duration = models.DurationField(_("duur"), default=dt.timedelta(hours=2))
    rrule = models.TextField(_("herhaling (RRULE)"), blank=True, validators=[validate_rrule])
    exdates = models.JSONField(
        _("uitzonderingen"), default=list, blank=True, help_text=_("Data (JJJJ-MM-DD) waarop het niet doorgaat.")
    )
    active_from = models.DateField(_("actief vanaf"), null=True, blank=True)
    active_until = models.DateField(_("actief tot en met"), null=True, blank=True)
    # Summary of the schedule for searching in SQL, kept by save() and bulk_create():
    # ISO weekdays it happens on (bit 0 = Monday), the local start time of day, and the next start.
    weekdays_mask = models.PositiveSmallIntegerField(default=0, editable=False)
    start_minute = models.PositiveSmallIntegerField(default=0, editable=False)
    next_start = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)

    capacity = models.PositiveIntegerField(_("aantal plaatsen"), null=True, blank=True)
    expected_group_size = models.PositiveIntegerField(_("verwachte groepsgrootte"), null=True, blank=True)
    cost_cents = models.PositiveIntegerField(_("kosten (in centen)"), default=0)
    has_free_option = models.BooleanField(_("er is een gratis mogelijkheid"), default=False)
    registration_required = models.BooleanField(_("vooraf aanmelden of intake nodig"), default=False)
    sign_up_channel = models.CharField(
        _("zo meld je je aan"), max_length=12, choices=SignUpChannel.choices, default=SignUpChannel.IN_PERSON
    )
    commitment = models.CharField(
        _("verplichting"), max_length=12, choices=Commitment.choices, default=Commitment.DROP_IN
    )
    level_required = models.BooleanField(_("ervaring of niveau nodig"), default=False)
    dutch_language_required = models.BooleanField(_("goed Nederlands nodig"), default=False)
    contact_email = models.EmailField(_("e-mailadres voor contact"), blank=True)
    contact_phone = models.CharField(_("telefoon voor contact"), max_length=30, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT, db_index=True
    )

    participation_type = models.ForeignKey(
        ParticipationType, on_delete=models.PROTECT, related_name="activities", verbose_name=_("soort deelname")
    )
    domains = models.ManyToManyField(Domain, blank=True, related_name="activities", verbose_name=_("domeinen"))
    action_perspective = models.CharField(
        _("handelingsperspectief"), max_length=20, choices=ActionPerspective.choices, blank=True
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="activities", verbose_name=_("thema's"))
    # One bit per Barrier of the catalogue; set only by the services (derived, or by a drempelscan).
    barrier_mask = models.BigIntegerField(_("drempelprofiel (bitmasker)"), default=0, db_index=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[ActivityQuerySet] = ScopedManager(_manager_class=ActivityManager, municipality="municipality")

    class Meta:
        verbose_name = _("activiteit")
        verbose_name_plural = _("activiteiten")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=Q(barrier_mask__gte=0), name="activity_mask_not_negative"),
            models.CheckConstraint(
                condition=Q(active_from__isnull=True)
                | Q(active_until__isnull=True)
                | Q(active_from__lte=F("active_until")),
                name="activity_active_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None or SCHEDULE_FIELDS & set(update_fields):
            self.summarise_schedule()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "weekdays_mask", "start_minute", "next_start"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.dtstart is not None and self.dtstart.tzinfo is None:
            errors["dtstart"] = _("De eerste keer heeft een tijdzone nodig (Europe/Amsterdam).")
        if self.active_from and self.active_until and self.active_from > self.active_until:
            errors["active_until"] = _("De einddatum ligt voor de begindatum.")
        if self.duration is not None and self.duration <= dt.timedelta(0):
            errors["duration"] = _("De duur moet langer dan nul minuten zijn.")
        try:
            self.exception_dates()
        except (TypeError, ValueError):
            errors["exdates"] = _("Geef de uitzonderingen als een lijst van data, zoals 2025-12-25.")
        for name, model in (
            ("organisation", Organisation),
            ("place", Place),
            ("participation_type", ParticipationType),
        ):
            related = model._base_manager.filter(pk=getattr(self, f"{name}_id")).first()
            if related is not None and related.municipality_id != self.municipality_id:
                errors[name] = _("Dit hoort niet bij deze gemeente.")
        if errors:
            raise ValidationError(errors)

    def summarise_schedule(self, now: dt.datetime | None = None) -> None:
        """Fill weekdays_mask, start_minute and next_start from the schedule."""
        if self.dtstart is None:
            return
        start = self._local_start()
        self.start_minute = start.hour * 60 + start.minute
        mask = 0
        try:
            for number, moment in enumerate(self._rule_times(start)):
                mask |= 1 << moment.weekday()
                # Four weeks of a weekly rule, or a year and more of a monthly one, show every day it uses.
                if number >= SUMMARY_OCCURRENCES or mask == 0b1111111:
                    break
            upcoming = self.next_occurrences(1, after=now)
        except (ValueError, TypeError):
            # An invalid rule is reported by full_clean(); there is nothing to summarise.
            return
        self.weekdays_mask = mask
        self.next_start = upcoming[0] if upcoming else None

    def _rule_times(self, start: dt.datetime) -> Iterator[dt.datetime]:
        if not self.rrule.strip():
            yield start
            return
        rule, aware = parse_rrule(self.rrule, start)
        for moment in rule:
            yield moment.astimezone(AMSTERDAM) if aware else moment

    def exception_dates(self) -> set[dt.date]:
        return {dt.date.fromisoformat(str(day)) for day in self.exdates or []}

    def _local_start(self) -> dt.datetime:
        start = self.dtstart
        if start.tzinfo is None:
            start = start.replace(tzinfo=AMSTERDAM)
        return start.astimezone(AMSTERDAM)

    def iter_occurrences(self, after: dt.datetime | None = None) -> Iterator[dt.datetime]:
        """Start times in Europe/Amsterdam, on local wall-clock time (19:00 stays 19:00 across DST)."""
        start = self._local_start()
        skipped = self.exception_dates()
        if self.rrule.strip():
            if after is not None:
                # Don't walk every week since the first time: start from an equivalent later one.
                start = skip_ahead(_rule_parts(self.rrule), start, after) or start
            rule, aware = parse_rrule(self.rrule, start)
            times: Iterable[dt.datetime] = rule
        else:
            times, aware = [start], True
        for moment in times:
            local = moment if aware else moment.replace(tzinfo=AMSTERDAM)
            local = local.astimezone(AMSTERDAM) if aware else local
            day = local.date()
            if self.active_until and day > self.active_until:
                return
            if self.active_from and day < self.active_from:
                continue
            if day in skipped or (after is not None and local < after):
                continue
            yield local

    def next_occurrences(self, count: int = 5, after: dt.datetime | None = None) -> list[dt.datetime]:
        """The next `count` start times from `after` (default: now), aware, in Europe/Amsterdam."""
        if after is None:
            after = dt.datetime.now(tz=AMSTERDAM)
        found: list[dt.datetime] = []
        for moment in self.iter_occurrences(after=after):
            if len(found) >= count:
                break
            found.append(moment)
        return found

    def barrier_codes(self) -> set[str]:
        return {b.code for b in Barrier.objects.filter(municipality=self.municipality_id) if self.barrier_mask & b.mask}


class BarrierSource(models.TextChoices):
    DERIVED = "derived", _("afgeleid uit de gegevens")
    DREMPELSCAN = "drempelscan", _("drempelscan door de organisator")
    IMPORT = "import", _("ingelezen (HSDS of CSV)")


class BarrierProfileChange(models.Model):
    """History of an activity's barrier mask, for the monitor. Written by the services only."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("gemeente")
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="barrier_changes", verbose_name=_("activiteit")
    )
    at = models.DateTimeField(_("op"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    old_mask = models.BigIntegerField(_("oud masker"))
    new_mask = models.BigIntegerField(_("nieuw masker"))
    source = models.CharField(_("bron"), max_length=12, choices=BarrierSource.choices)

    objects: ClassVar[models.Manager[BarrierProfileChange]] = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("wijziging van het drempelprofiel")
        verbose_name_plural = _("wijzigingen van het drempelprofiel")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.old_mask} → {self.new_mask} ({self.source})"
