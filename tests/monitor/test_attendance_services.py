"""Recording attendance: the rules of `monitor.services.attendance` (docs/attendance.md)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scopes_disabled

from nabij.core.models import AuditEntry
from nabij.monitor import receivers_attendance
from nabij.monitor.models import Attendance, AttendanceSession
from nabij.monitor.services import attendance as services
from nabij.people import services as people_services
from nabij.testing.personas import Personas
from tests.conftest import SocialMap
from tests.monitor.attendance_world import DAY, FIRST_TUESDAY, UNKNOWN_KEY, World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas: Personas, socialmap: SocialMap) -> World:
    return build_world(personas, socialmap)


def record(world: World, actor: Any = None, **kwargs: Any) -> services.AttendanceResult:
    values: dict[str, Any] = {"activity": world.koffie, "on": DAY, "anonymous_count": 0, "participant_keys": ()}
    values.update(kwargs)
    return services.attendance_record(actor=actor, **values)


def codes(error: ValidationError) -> dict[str, list[str]]:
    return {name: [item.code or "" for item in items] for name, items in error.error_dict.items()}


def test_named_only_with_a_current_monitoring_consent_in_this_municipality(world: World) -> None:
    keys = [world.ann.key, world.cor.key, world.dirk.key, world.bob.key, UNKNOWN_KEY]
    result = record(world, world.organiser, anonymous_count=7, participant_keys=[str(key) for key in keys])

    # Ann is named. Cor (no monitoring consent), Dirk (revoked), Bob (another municipality) and the
    # unknown key are counted without a name: 7 + 4 = 11 anonymous, 12 in all. The result tells the
    # recorder only the total and the 5 keys received.
    assert (result.created, result.keys_received, result.total) == (True, 5, 12)
    assert not hasattr(result, "named") and not hasattr(result, "keys_counted_anonymously")
    session = AttendanceSession.objects.get()
    assert (session.on, session.named_count, session.anonymous_count, session.total) == (DAY, 1, 11, 12)
    assert session.recorded_by == world.organiser
    rows = list(Attendance.objects.values_list("profile_id", "activity_id", "on", "municipality_id"))
    assert rows == [(world.ann.pk, world.koffie.pk, DAY, world.a.pk)]


def test_the_audit_entry_holds_the_total_and_no_keys_or_names(world: World) -> None:
    """Coordinators and admins read the audit log and record too: no split, no keys, no names."""
    record(world, world.organiser, anonymous_count=2, participant_keys=f"{world.ann.key} {world.cor.key}")

    entry = AuditEntry.objects.get(record_type="monitor.attendancesession")
    assert (entry.action, entry.purpose, entry.actor) == ("create", "monitoring", world.organiser)
    assert entry.record_ref == f"{world.koffie.uid}/{DAY.isoformat()}"
    assert entry.detail == {"activity": str(world.koffie.uid), "on": "2025-03-04", "total": 4, "keys_received": 2}
    text = str(entry.detail)
    assert str(world.ann.key) not in text and str(world.cor.key) not in text
    assert "Ann" not in text and "Cor" not in text
    # The database keeps the split for the monitor: 2 + Cor anonymous, Ann named.
    session = AttendanceSession.objects.get()
    assert (session.anonymous_count, session.named_count) == (3, 1)


def test_a_consented_and_a_non_consented_key_leave_the_same_trace(world: World) -> None:
    """What a recorder can be told (the result, the audit entry) is the same for Ann (consent) and Cor."""
    seen = []
    for on, key in ((DAY, world.ann.key), (DAY + dt.timedelta(days=7), world.cor.key)):
        result = record(world, world.organiser, on=on, anonymous_count=4, participant_keys=[key])
        entry = AuditEntry.objects.filter(record_type="monitor.attendancesession").latest("pk")
        seen.append((result.created, result.total, result.keys_received, {**entry.detail, "on": "-"}))
    assert (
        seen[0]
        == seen[1]
        == (True, 5, 1, {"activity": str(world.koffie.uid), "on": "-", "total": 5, "keys_received": 1})
    )
    # Stored apart all the same: Ann by key, Cor as one more head.
    counts = list(AttendanceSession.objects.order_by("on").values_list("named_count", "anonymous_count"))
    assert counts == [(1, 4), (0, 5)]


def test_keys_as_text_with_any_separator_and_twice_the_same_key(world: World) -> None:
    text = f"{world.ann.key};{world.bas.key}\n{str(world.ann.key).upper()} ,{world.bas.key}"
    result = record(world, participant_keys=text)
    assert (result.keys_received, result.total) == (2, 2)
    assert Attendance.objects.count() == 2


def test_recording_a_date_again_replaces_the_session(world: World) -> None:
    record(world, anonymous_count=5, participant_keys=[world.ann.key, world.bas.key])
    again = record(world, world.organiser, anonymous_count=3, participant_keys=[world.bas.key])

    assert not again.created
    session = AttendanceSession.objects.get()
    assert (session.anonymous_count, session.named_count) == (3, 1)
    assert list(Attendance.objects.values_list("profile_id", flat=True)) == [world.bas.pk]
    assert AuditEntry.objects.filter(record_type="monitor.attendancesession", action="change").count() == 1


def test_another_date_is_another_session(world: World) -> None:
    record(world, anonymous_count=5)
    record(world, on=DAY + dt.timedelta(days=7), anonymous_count=6)
    assert list(AttendanceSession.objects.order_by("on").values_list("anonymous_count", flat=True)) == [5, 6]


def test_a_malformed_key_is_an_error_and_nothing_is_written(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        record(world, anonymous_count=4, participant_keys=[str(world.ann.key), "Ann Aanwezig", "12345"])
    assert codes(caught.value) == {"participant_keys": ["invalid_key"]}
    message = caught.value.message_dict["participant_keys"][0]
    assert "sleutel: Ann Aanwezig, 12345." in message  # a list keeps its items whole
    assert not AttendanceSession.objects.exists()
    assert not AuditEntry.objects.filter(record_type="monitor.attendancesession").exists()


def test_every_problem_at_once(world: World) -> None:
    tomorrow = services.today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        record(world, on=tomorrow, anonymous_count=-1, participant_keys="geen-sleutel")
    assert codes(caught.value) == {
        "on": ["future"],
        "anonymous_count": ["invalid_count"],
        "participant_keys": ["invalid_key"],
    }


@pytest.mark.parametrize(
    ("on", "code"),
    [
        (FIRST_TUESDAY - dt.timedelta(days=1), "before_start"),
        (dt.datetime(2025, 3, 4, 10, 0), "invalid_date"),
    ],
)
def test_dates_before_the_first_time_or_not_a_date_are_refused(world: World, on: Any, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        record(world, on=on)
    assert codes(caught.value) == {"on": [code]}


def test_the_first_date_itself_and_today_are_fine(world: World) -> None:
    assert record(world, on=FIRST_TUESDAY).created
    assert record(world, on=services.today()).created


def test_active_from_moves_the_first_date(world: World) -> None:
    world.koffie.active_from = dt.date(2025, 2, 1)
    world.koffie.save()
    with pytest.raises(ValidationError) as caught:
        record(world, on=dt.date(2025, 1, 28))
    assert "1 februari 2025" in caught.value.message_dict["on"][0]
    assert record(world, on=dt.date(2025, 2, 4)).created


def test_after_the_last_day_of_an_ended_activity(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        record(world, activity=world.ended, on=dt.date(2025, 7, 1))
    assert codes(caught.value) == {"on": ["after_end"]}
    assert record(world, activity=world.ended, on=dt.date(2025, 6, 24)).created


def test_absurd_counts_are_refused(world: World) -> None:
    assert record(world, anonymous_count=services.MAX_COUNT).total == 10_000
    for count, code in ((10_001, "too_many"), (True, "invalid_count"), (2.5, "invalid_count"), ("3", "invalid_count")):
        with pytest.raises(ValidationError) as caught:
            record(world, on=DAY + dt.timedelta(days=7), anonymous_count=count)
        assert codes(caught.value) == {"anonymous_count": [code]}, count
    # 9,999 without a key plus two keys is 10,001 people.
    with pytest.raises(ValidationError) as caught:
        record(
            world, on=DAY + dt.timedelta(days=7), anonymous_count=9_999, participant_keys=[world.ann.key, UNKNOWN_KEY]
        )
    assert codes(caught.value) == {"anonymous_count": ["too_many"]}


def test_who_may_record(world: World) -> None:
    personas = world.personas
    assert record(world, world.organiser).created
    assert record(world, personas.coordinator, on=DAY + dt.timedelta(days=7)).created
    assert record(world, personas.admin, on=DAY + dt.timedelta(days=14)).created
    for user in (world.other_organiser, personas.resident, personas.professional, world.analyst, personas.outsider):
        with pytest.raises(PermissionDenied):
            record(world, user, on=DAY + dt.timedelta(days=21))
    assert AttendanceSession.objects.count() == 3


def test_delete_removes_the_session_and_its_rows(world: World) -> None:
    result = record(world, anonymous_count=3, participant_keys=[world.ann.key])
    with pytest.raises(PermissionDenied):
        services.attendance_delete(actor=world.other_organiser, session=result.session)
    services.attendance_delete(actor=world.organiser, session=result.session)

    assert not AttendanceSession.objects.exists()
    assert not Attendance.objects.exists()
    entry = AuditEntry.objects.get(record_type="monitor.attendancesession", action="delete")
    assert entry.detail == {"activity": str(world.koffie.uid), "on": "2025-03-04", "total": 4}


def test_revoking_monitoring_consent_keeps_the_heads_without_the_key(world: World) -> None:
    record(world, anonymous_count=2, participant_keys=[world.ann.key, world.bas.key])
    record(world, on=DAY + dt.timedelta(days=7), anonymous_count=0, participant_keys=[world.ann.key])
    record(world, activity=world.voetbal, anonymous_count=4, participant_keys=[world.bas.key])

    people_services.consent_revoke(actor=None, profile=world.ann, purpose="monitoring")
    receivers_attendance.on_consent_revoked(sender=None, profile=world.ann, purpose="monitoring", actor=None)

    counts = list(AttendanceSession.objects.order_by("activity_id", "on").values_list("anonymous_count", "named_count"))
    # koffie 4 March: 2 + Ann = 3 anonymous, Bas named; 11 March: Ann anonymous; voetbal untouched.
    assert counts == [(3, 1), (1, 0), (4, 1)]
    assert set(Attendance.objects.values_list("profile_id", flat=True)) == {world.bas.pk}
    entry = AuditEntry.objects.get(record_ref=str(world.ann.key), detail__attendance_anonymised=2)
    assert entry.purpose == "monitoring"
    # Another purpose changes nothing.
    receivers_attendance.on_consent_revoked(sender=None, profile=world.bas, purpose="contact", actor=None)
    assert Attendance.objects.filter(profile=world.bas).count() == 2


def test_the_residents_export_lists_their_sessions(world: World) -> None:
    record(world, participant_keys=[world.ann.key, world.bas.key])
    record(world, activity=world.voetbal, on=DAY + dt.timedelta(days=1), participant_keys=[world.ann.key])

    part = receivers_attendance.on_collect_export(sender=None, profile=world.ann)
    assert part == {
        "attendance": [
            {"activity": "Koffie-ochtend", "activity_uid": str(world.koffie.uid), "date": "2025-03-04"},
            {"activity": "Voetbal voor iedereen", "activity_uid": str(world.voetbal.uid), "date": "2025-03-05"},
        ]
    }
    assert "Bas" not in str(part) and str(world.bas.key) not in str(part)


def test_parse_keys_accepts_uuid_objects_and_refuses_too_many() -> None:
    key = uuid.uuid4()
    assert services.parse_keys([key, str(key)]) == [key]
    with pytest.raises(ValidationError) as caught:
        services.parse_keys([uuid.uuid4() for _ in range(services.MAX_COUNT + 1)])
    assert codes(caught.value) == {"participant_keys": ["too_many"]}


def test_scoped_to_the_municipality(world: World) -> None:
    """A session is written with the activity's municipality, so B never sees it."""
    record(world, anonymous_count=1)
    with scopes_disabled():
        assert list(AttendanceSession.objects.values_list("municipality_id", flat=True)) == [world.a.pk]
