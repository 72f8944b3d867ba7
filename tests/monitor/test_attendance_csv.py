"""The CSV upload of attendance: all or nothing, a Dutch report per line and column, and the command."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from nabij.core.models import AuditEntry
from nabij.monitor.attendance_csv import (
    MAX_ROWS,
    AttendanceImportError,
    attendance_import,
    example_csv,
    read_attendance_csv,
)
from nabij.monitor.models import Attendance, AttendanceSession
from nabij.monitor.services import attendance as services
from nabij.testing.personas import Personas
from tests.conftest import SocialMap
from tests.monitor.attendance_world import DAY, UNKNOWN_KEY, World, build_world

pytestmark = pytest.mark.django_db

HEADER = "activity,date,anonymous_count,participant_keys"


@pytest.fixture
def world(personas: Personas, socialmap: SocialMap) -> World:
    return build_world(personas, socialmap)


def csv_bytes(*lines: str, bom: bool = False) -> bytes:
    return (("\ufeff" if bom else "") + "\r\n".join(lines) + "\r\n").encode()


def problems(data: bytes, world: World, actor: Any = None) -> list[tuple[int | None, str, str]]:
    """(line, column, message) of every problem; nothing may have been written."""
    with pytest.raises(AttendanceImportError) as caught:
        attendance_import(actor=actor, municipality=world.a, data=data)
    assert not AttendanceSession.objects.exists()
    return [(p.row, p.column, p.message) for p in caught.value.problems]


def test_a_good_file_creates_every_session(world: World) -> None:
    k, v = world.koffie.uid, world.voetbal.uid
    data = csv_bytes(
        HEADER,
        f"{k},2025-03-04,10,{world.ann.key} {world.cor.key}",
        f"{k},2025-03-11,8,",
        "",
        f"{v},2025-03-05,4,{world.bas.key};{UNKNOWN_KEY}",
        bom=True,
    )
    result = attendance_import(actor=world.personas.coordinator, municipality=world.a, data=data)

    # Named: Ann and Bas. Anonymous: 10 + Cor, 8, 4 + the unknown key = 24. The result says only the
    # total, 26, and the 4 keys received.
    assert (result.checked, result.created, result.replaced) == (3, 3, 0)
    assert (result.total, result.keys_received) == (26, 4)
    sessions = list(AttendanceSession.objects.order_by("on").values_list("activity_id", "on", "anonymous_count"))
    assert sessions == [
        (world.koffie.pk, dt.date(2025, 3, 4), 11),
        (world.voetbal.pk, dt.date(2025, 3, 5), 5),
        (world.koffie.pk, dt.date(2025, 3, 11), 8),
    ]
    assert set(Attendance.objects.values_list("profile_id", flat=True)) == {world.ann.pk, world.bas.pk}
    summary = result.summary()
    assert "3 bijeenkomsten opgeslagen." in summary
    assert "Nieuw: 3. Vervangen (die datum stond er al): 0." in summary
    assert "Bezoekers in totaal: 26. Sleutels ontvangen: 4." in summary
    assert "zonder naam" not in summary and "met sleutel" not in summary
    entry = AuditEntry.objects.get(record_type="monitor.attendance_import")
    assert entry.actor == world.personas.coordinator
    assert entry.detail == {"checked": 3, "created": 3, "replaced": 0, "total": 26, "keys_received": 4}
    assert AuditEntry.objects.filter(record_type="monitor.attendancesession").count() == 3


def test_semicolons_as_excel_writes_them_with_keys_spilling_over(world: World) -> None:
    """Dutch Excel: `;` between columns; keys separated by `;` without quotes end up in extra cells."""
    data = csv_bytes(
        "activity;date;anonymous_count;participant_keys",
        f"{world.koffie.uid};2025-03-04;3;{world.ann.key};{world.bas.key}",
        f"{world.koffie.uid};2025-03-11;2",
    )
    result = attendance_import(actor=None, municipality=world.a, data=data)
    assert (result.total, result.keys_received) == (7, 2)
    assert list(AttendanceSession.objects.order_by("on").values_list("named_count", "anonymous_count")) == [
        (2, 3),
        (0, 2),
    ]


def test_a_date_already_recorded_is_replaced(world: World) -> None:
    services.attendance_record(actor=None, activity=world.koffie, on=DAY, anonymous_count=30, participant_keys=[])
    data = csv_bytes(HEADER, f"{world.koffie.uid},2025-03-04,12,")
    dry = attendance_import(actor=None, municipality=world.a, data=data, dry_run=True)
    assert (dry.created, dry.replaced) == (0, 1)
    assert AttendanceSession.objects.get().anonymous_count == 30
    result = attendance_import(actor=None, municipality=world.a, data=data)
    assert (result.created, result.replaced) == (0, 1)
    assert AttendanceSession.objects.get().anonymous_count == 12


def test_a_dry_run_checks_and_previews_without_writing(world: World) -> None:
    data = csv_bytes(HEADER, f"{world.koffie.uid},2025-03-04,5,{world.ann.key} {world.cor.key}")
    result = attendance_import(actor=world.organiser, municipality=world.a, data=data, dry_run=True)
    # 5 + Ann + Cor: 7 people, 2 keys; the same figures as the real import would give.
    assert (result.dry_run, result.checked, result.created, result.total, result.keys_received) == (True, 1, 1, 7, 2)
    assert "Proefimport: er is niets opgeslagen." in result.summary()
    assert "Bezoekers in totaal: 7. Sleutels ontvangen: 2." in result.summary()
    assert not AttendanceSession.objects.exists()
    assert not AuditEntry.objects.filter(record_type__startswith="monitor.").exists()


def test_every_problem_by_line_and_column_and_nothing_written(world: World) -> None:
    k = world.koffie.uid
    tomorrow = (services.today() + dt.timedelta(days=1)).isoformat()
    data = csv_bytes(
        HEADER,
        f"{k},2025-03-04,5,",  # 2: fine on its own
        "nee,2025-03-04,5,",  # 3
        f"{UNKNOWN_KEY},2025-03-04,5,",  # 4: no such activity
        f"{k},4-3-2025,5,",  # 5
        f"{k},{tomorrow},5,",  # 6
        f"{k},2025-01-06,5,",  # 7: the day before the first time
        f"{k},2025-03-18,vijf,",  # 8
        f"{k},2025-03-25,10001,",  # 9
        f"{k},2025-04-01,,",  # 10
        f"{k},2025-04-08,2,{world.ann.key} Ann",  # 11
        f"{k},2025-03-04,6,",  # 12: the same session as line 2
        f"{k},2025-04-15,3",  # 13: fine without the last column
        f"{k},2025-04-22,1,x,y",  # 14: extra cells belong to the keys, the last column
        f"{k}",  # 15: too few cells
    )
    found = problems(data, world)
    assert [(line, column) for line, column, _m in found] == [
        (3, "activity"),
        (4, "activity"),
        (5, "date"),
        (6, "date"),
        (7, "date"),
        (8, "anonymous_count"),
        (9, "anonymous_count"),
        (10, "anonymous_count"),
        (11, "participant_keys"),
        (12, "date"),
        (14, "participant_keys"),
        (15, ""),
    ]
    messages = {line: message for line, _c, message in found}
    assert messages[3] == "Dit is geen publieke id van een activiteit (een UUID)."
    assert "bestaat niet, of je mag er geen aanwezigheid" in messages[4]
    assert messages[5] == "Dit is geen datum. Schrijf JJJJ-MM-DD, bijvoorbeeld 2025-09-02."
    assert "in de toekomst" in messages[6]
    assert messages[7] == "De activiteit begon pas op 7 januari 2025. Kies een latere datum."
    assert messages[8] == "Schrijf een heel getal van 0 of meer, zonder punt of komma."
    assert "10001 bezoekers bij één bijeenkomst is te veel" in messages[9]
    assert messages[10] == "Dit moet je invullen."
    assert "Dit is geen geldige deelnemerssleutel: Ann." in messages[11]
    assert messages[12] == "Deze bijeenkomst (dezelfde activiteit en datum) staat al op regel 2."
    assert "Dit is geen geldige deelnemerssleutel: x, y." in messages[14]
    assert "Deze regel heeft 1 waarden, de kopregel 4 kolommen." in messages[15]


def test_the_report_reads_as_a_list(world: World) -> None:
    data = csv_bytes(HEADER, f"{world.koffie.uid},2025-3-4,5,")
    with pytest.raises(AttendanceImportError) as caught:
        attendance_import(actor=None, municipality=world.a, data=data)
    assert caught.value.report() == (
        "Het bestand heeft 1 fout; er is niets opgeslagen.\n"
        "- regel 2, kolom date, waarde “2025-3-4”: Dit is geen datum. Schrijf JJJJ-MM-DD, bijvoorbeeld 2025-09-02."
    )


def test_an_organiser_records_only_for_their_own_organisation(world: World) -> None:
    data = csv_bytes(HEADER, f"{world.koffie.uid},2025-03-04,5,", f"{world.voetbal.uid},2025-03-04,5,")
    # Vooruit's activity reads the same as one that does not exist.
    assert problems(data, world, actor=world.organiser) == [
        (3, "activity", "Deze activiteit bestaat niet, of je mag er geen aanwezigheid voor vastleggen.")
    ]
    own = csv_bytes(HEADER, f"{world.koffie.uid},2025-03-04,5,")
    assert attendance_import(actor=world.organiser, municipality=world.a, data=own).created == 1


def test_who_may_not_import_at_all(world: World) -> None:
    data = csv_bytes(HEADER, f"{world.koffie.uid},2025-03-04,5,")
    for user in (world.personas.resident, world.personas.professional, world.analyst):
        with pytest.raises(PermissionDenied):
            attendance_import(actor=user, municipality=world.a, data=data)


def test_an_activity_of_another_municipality_is_unknown(world: World) -> None:
    data = csv_bytes(HEADER, f"{world.beta.uid},2025-03-04,5,")
    assert [column for _l, column, _m in problems(data, world)] == ["activity"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Het bestand is leeg."),
        (HEADER.encode() + b"\r\n", "Er staan geen bijeenkomsten in het bestand, alleen de kopregel."),
        ("activity,date,anonymous_count\r\nx,é,1\r\n".encode("cp1252"), "Het bestand is geen UTF-8."),
        (b"activity,date\r\n", "Deze verplichte kolommen ontbreken: anonymous_count."),
        (b"activity,date,anonymous_count,naam\r\n", "Deze kolommen kent Nabij niet: naam."),
        (b"activity,date,date,anonymous_count\r\n", "Deze kolommen staan er twee keer in: date."),
        (b"\x00\x01activity", "Het bestand is geen UTF-8."),
    ],
)
def test_problems_with_the_whole_file(world: World, data: bytes, message: str) -> None:
    found = problems(data, world)
    assert len(found) == 1
    assert found[0][2].startswith(message)


def test_too_many_rows(world: World) -> None:
    lines = [HEADER] + [f"{world.koffie.uid},2025-03-04,1,"] * (MAX_ROWS + 1)
    read = read_attendance_csv(csv_bytes(*lines), municipality=world.a)
    assert [p.message for p in read.problems] == [
        f"Het bestand heeft {MAX_ROWS + 1} regels; lees er hoogstens {MAX_ROWS} tegelijk in."
    ]


def test_the_example_file_has_the_documented_header() -> None:
    text = example_csv()
    assert text.startswith("\ufeffactivity;date;anonymous_count;participant_keys\r\n")
    assert len(text.strip().splitlines()) == 3


# --- the command ---------------------------------------------------------------------------------


def write(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "aanwezigheid.csv"
    path.write_bytes(data)
    return str(path)


def test_the_command_imports_as_the_system(world: World, tmp_path: Path) -> None:
    path = write(tmp_path, csv_bytes(HEADER, f"{world.voetbal.uid},2025-03-04,5,{world.ann.key}"))
    out = StringIO()
    call_command("import_attendance", path, "--municipality", "gm0001", "--dry-run", stdout=out)
    assert "1 bijeenkomst gecontroleerd, zonder fouten." in out.getvalue()
    assert not AttendanceSession.objects.exists()

    call_command("import_attendance", path, "--municipality", "GM0001", stdout=out)
    assert "1 bijeenkomst opgeslagen." in out.getvalue()
    assert out.getvalue().count("Bezoekers in totaal: 6. Sleutels ontvangen: 1.") == 2  # dry run, then for real
    session = AttendanceSession.objects.get()
    assert (session.named_count, session.anonymous_count, session.recorded_by) == (1, 5, None)
    assert AuditEntry.objects.get(record_type="monitor.attendance_import").actor_ref == "system"


def test_the_command_reports_problems_and_fails(world: World, tmp_path: Path) -> None:
    path = write(tmp_path, csv_bytes(HEADER, f"{world.koffie.uid},gisteren,5,"))
    err = StringIO()
    with pytest.raises(CommandError, match=r"aanwezigheid\.csv is niet ingelezen"):
        call_command("import_attendance", path, "--municipality", "GM0001", stderr=err)
    assert "regel 2, kolom date" in err.getvalue()
    assert not AttendanceSession.objects.exists()


@pytest.mark.parametrize(
    ("code", "message"), [("GM1", "Gemeentecode GM1 klopt niet"), ("GM0999", "Gemeente GM0999 staat niet in Nabij")]
)
def test_the_command_needs_a_known_municipality(world: World, tmp_path: Path, code: str, message: str) -> None:
    path = write(tmp_path, csv_bytes(HEADER))
    with pytest.raises(CommandError, match=message):
        call_command("import_attendance", path, "--municipality", code)


def test_the_command_says_when_the_file_is_missing(world: World, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="kan niet worden gelezen"):
        call_command("import_attendance", str(tmp_path / "weg.csv"), "--municipality", "GM0001")
