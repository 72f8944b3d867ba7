"""Recording attendance: one session per activity and date, in one set of definitions (docs/attendance.md).

Keyword-only, one transaction each, audited. `actor` None is the system (commands, the demo); a
person must pass `permissions.can_record_attendance`.

Who came = named rows + the anonymous count. A participant is named (by their profile's pseudonymous
key, never a name) only with a current consent for monitoring in the activity's municipality. A
well-formed key that is unknown, of another municipality, or without that consent is not an error:
an error would tell the recorder who consented. That participant is counted in the anonymous count
instead. A key that is not a UUID at all is a typing mistake and is refused.

The recorder is told only what is the same whichever way a key was counted: the session's total and
how many keys were received. The named/anonymous split stays in the database, for the monitor; it
goes into no result, page, API answer, CSV report or audit entry, because with a single key it would
tell the recorder (or a coordinator reading the audit log) whether that person consented.

Recording a date again replaces that session: the newest count is the truth. Concurrent recordings
of one activity wait for each other on the activity's row lock (SELECT ... FOR UPDATE), so two of
them never make two sessions for one date; the unique constraint on (activity, date) is the backstop.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from nabij.accounts import permissions
from nabij.core.audit import audit
from nabij.core.models import AuditAction, AuditPurpose, Municipality
from nabij.monitor.models import Attendance, AttendanceSession
from nabij.people.models import ConsentPurpose, ResidentProfile
from nabij.socialmap.models import AMSTERDAM, Activity

# More people than this at one session is a typing mistake (an extra zero), not a meeting.
MAX_COUNT = 10_000
# Keys may be separated by spaces, new lines, `;` or `,` (a spreadsheet cell, a form's text box).
KEY_SEPARATORS = re.compile(r"[\s;,]+")
SESSION_RECORD = "monitor.attendancesession"


@dataclass(frozen=True)
class AttendanceResult:
    """What a recording did, as far as the recorder may know it: no named/anonymous split."""

    session: AttendanceSession
    created: bool  # False: an earlier record of this date was replaced
    keys_received: int  # distinct well-formed keys sent in, however each was counted

    @property
    def total(self) -> int:
        """Everyone at the session: the count given plus every key received."""
        return self.session.total


def _field_error(field: str, message: str, code: str = "invalid") -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _is_person(actor: Any) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def today() -> dt.date:
    """Today in the Netherlands: a session tonight is not in the future yet."""
    return timezone.localdate(timezone.now(), AMSTERDAM)


def first_date(activity: Activity) -> dt.date:
    """The activity's first day: its first time, or the day it became active if that is later."""
    start = activity.dtstart.astimezone(AMSTERDAM).date()
    return max(start, activity.active_from) if activity.active_from else start


def split_keys(text: str) -> list[str]:
    return [part for part in KEY_SEPARATORS.split(text or "") if part]


def parse_keys(keys: Iterable[str | uuid.UUID] | str, field: str = "participant_keys") -> list[uuid.UUID]:
    """Distinct keys in the order given; anything that is not a UUID is refused, all at once."""
    items: Iterable[str | uuid.UUID] = split_keys(keys) if isinstance(keys, str) else keys
    found: dict[uuid.UUID, None] = {}
    bad: list[str] = []
    for item in items:
        if isinstance(item, uuid.UUID):
            found[item] = None
            continue
        text = str(item).strip()
        if not text:
            continue
        try:
            found[uuid.UUID(text)] = None
        except ValueError:
            bad.append(text if len(text) <= 40 else f"{text[:39]}…")
    if bad:
        raise _field_error(
            field,
            _(
                "Dit is geen geldige deelnemerssleutel: %(keys)s. Een sleutel ziet eruit als "
                "3f2b8c1e-0d4a-4b7e-9c2f-1a2b3c4d5e6f."
            )
            % {"keys": ", ".join(bad[:5]) + (" …" if len(bad) > 5 else "")},
            "invalid_key",
        )
    if len(found) > MAX_COUNT:
        raise _field_error(
            field, _("Geef hoogstens %(max)d sleutels per bijeenkomst.") % {"max": MAX_COUNT}, "too_many"
        )
    return list(found)


def check_date(activity: Activity, on: Any, field: str = "on") -> dt.date:
    if isinstance(on, dt.datetime) or not isinstance(on, dt.date):
        raise _field_error(field, _("Geef een datum, zoals 2025-09-02."), "invalid_date")
    if on > today():
        raise _field_error(
            field, _("Deze datum ligt in de toekomst. Leg aanwezigheid vast na de bijeenkomst."), "future"
        )
    first = first_date(activity)
    if on < first:
        raise _field_error(
            field,
            _("De activiteit begon pas op %(first)s. Kies een latere datum.") % {"first": date_format(first, "j F Y")},
            "before_start",
        )
    if activity.active_until and on > activity.active_until:
        raise _field_error(
            field,
            _("De activiteit liep tot en met %(last)s. Kies een eerdere datum.")
            % {"last": date_format(activity.active_until, "j F Y")},
            "after_end",
        )
    return on


def check_count(count: Any, field: str = "anonymous_count") -> int:
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise _field_error(field, _("Geef een heel getal van 0 of meer."), "invalid_count")
    if count > MAX_COUNT:
        raise _field_error(
            field,
            _("%(count)d bezoekers bij één bijeenkomst is te veel; het kan hoogstens %(max)d zijn. Typfout?")
            % {"count": count, "max": MAX_COUNT},
            "too_many",
        )
    return count


def consented_profiles(municipality: Municipality, keys: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """key -> profile id, for the keys of this municipality's profiles with a current monitoring consent."""
    if not keys:
        return {}
    rows = (
        ResidentProfile.objects.with_consent(ConsentPurpose.MONITORING)
        .filter(municipality=municipality, key__in=keys)
        .values_list("key", "pk")
    )
    return dict(rows)


def _lock(activity: Activity) -> None:
    """Hold the activity's row until the transaction ends: recordings of one activity take turns.
    (A no-op on SQLite, which lets one writer in at a time anyway.)"""
    if not Activity.objects.select_for_update().filter(pk=activity.pk).values_list("pk", flat=True).exists():
        raise Activity.DoesNotExist


def _session_of(activity: Activity, on: dt.date) -> AttendanceSession | None:
    return AttendanceSession.objects.filter(activity=activity, on=on).first()


@transaction.atomic
def attendance_record(
    *,
    actor: Any,
    activity: Activity,
    on: dt.date,
    anonymous_count: int,
    participant_keys: Iterable[str | uuid.UUID] | str = (),
) -> AttendanceResult:
    """Create or replace the session of `activity` on `on`. See the module docstring for the rules."""
    if _is_person(actor) and not permissions.can_record_attendance(actor, activity):
        raise PermissionDenied
    errors: dict[str, list[ValidationError]] = {}
    keys: list[uuid.UUID] = []
    try:
        check_date(activity, on)
    except ValidationError as error:
        errors.update(error.error_dict)
    try:
        check_count(anonymous_count)
    except ValidationError as error:
        errors.update(error.error_dict)
    try:
        keys = parse_keys(participant_keys)
    except ValidationError as error:
        errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    municipality = activity.municipality
    named = consented_profiles(municipality, keys)
    anonymous = anonymous_count + len(keys) - len(named)
    if anonymous_count + len(keys) > MAX_COUNT:
        raise _field_error(
            "anonymous_count",
            _("Samen zijn dat meer dan %(max)d bezoekers bij één bijeenkomst. Typfout?") % {"max": MAX_COUNT},
            "too_many",
        )

    _lock(activity)
    session = _session_of(activity, on)
    created = session is None
    if session is None:
        session = AttendanceSession(municipality=municipality, activity=activity, on=on)
    else:
        Attendance.objects.filter(session=session).delete()
    session.anonymous_count = anonymous
    session.named_count = len(named)
    session.recorded_by = actor if _is_person(actor) else None
    session.save()
    Attendance.objects.bulk_create(
        [
            Attendance(municipality=municipality, session=session, activity=activity, on=on, profile_id=profile_id)
            for profile_id in named.values()
        ],
        batch_size=1_000,
    )
    audit(
        actor=actor,
        municipality=municipality,
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        purpose=AuditPurpose.MONITORING,
        record=session,
        record_ref=f"{activity.uid}/{on.isoformat()}",
        # Coordinators and admins read this and record attendance too: no split, no keys (module docstring).
        detail={
            "activity": str(activity.uid),
            "on": on.isoformat(),
            "total": session.total,
            "keys_received": len(keys),
        },
    )
    return AttendanceResult(session=session, created=created, keys_received=len(keys))


@transaction.atomic
def attendance_delete(*, actor: Any, session: AttendanceSession) -> None:
    """Remove a session and its named rows (recorded by mistake: no meeting that day)."""
    activity = session.activity
    if _is_person(actor) and not permissions.can_record_attendance(actor, activity):
        raise PermissionDenied
    _lock(activity)
    detail = {"activity": str(activity.uid), "on": session.on.isoformat(), "total": session.total}
    record_ref = f"{activity.uid}/{session.on.isoformat()}"
    deleted, _rows = AttendanceSession.objects.filter(pk=session.pk).delete()
    if not deleted:
        raise AttendanceSession.DoesNotExist
    audit(
        actor=actor,
        municipality=activity.municipality,
        action=AuditAction.DELETE,
        purpose=AuditPurpose.MONITORING,
        record_type=SESSION_RECORD,
        record_ref=record_ref,
        detail=detail,
    )


@transaction.atomic
def attendance_anonymise_profile(*, actor: Any, profile: ResidentProfile) -> int:
    """The resident no longer consents to monitoring: every session keeps its head, without the key.

    Each named row becomes one more in its session's anonymous count, so totals do not change.
    Called on `people.signals.consent_revoked` for monitoring (receivers_attendance). Returns the
    number of sessions changed.
    """
    sessions = AttendanceSession.objects.filter(pk__in=Attendance.objects.filter(profile=profile).values("session_id"))
    changed = sessions.update(anonymous_count=F("anonymous_count") + 1, named_count=F("named_count") - 1)
    Attendance.objects.filter(profile=profile).delete()
    if changed:
        audit(
            actor=actor,
            municipality=profile.municipality,
            action=AuditAction.CHANGE,
            purpose=AuditPurpose.MONITORING,
            record_type="people.residentprofile",
            record_ref=str(profile.key),
            detail={"attendance_anonymised": changed},
        )
    return changed
