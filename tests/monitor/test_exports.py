"""The CSV of a snapshot (exact format; the command, with its errors and all-or-nothing writing) and
the PDF report (it renders, and holds the protection rules and the indicator tables)."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_scopes import scope

from nabij.monitor import exports
from nabij.monitor.exports import CSV_HEADER, csv_number, write_snapshot_csv
from nabij.monitor.management.commands.monitor_export import Command
from nabij.monitor.report_pdf import render_report
from nabij.monitor.selectors import DASH
from tests.conftest import services_required
from tests.monitor.conftest import MonitorWorld, add_snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("scope_a")]

HEADER = "indicator,unit,area_code,target_group,period,numerator,denominator,value,suppressed"


def test_header_is_exactly_the_documented_one() -> None:
    assert ",".join(CSV_HEADER) == HEADER


@pytest.mark.parametrize(
    ("number", "text"), [(None, ""), (0.0, "0"), (130.0, "130"), (58.3, "58.3"), (14.5, "14.5"), (0.25, "0.25")]
)
def test_numbers_are_written_without_a_trailing_point_zero(number: float | None, text: str) -> None:
    assert csv_number(number) == text


def test_csv_of_a_small_snapshot_line_by_line(monitor_world: MonitorWorld) -> None:
    snapshot = add_snapshot(
        monitor_world.personas.municipality_a,
        "2025",
        [
            ("visits.total", "count", "GM0001", "", 130.0, None, 130.0),
            ("visits.total", "count", "BU00010101", "", None, None, None),  # suppressed
            ("coverage.any", "percentage", "GM0001", "epa", 3500.0, 6000.0, 58.3),
            ("access_time_to_match", "days", "GM0001", "isolation:individual", 9.0, None, 14.5),
        ],
    )
    out = io.StringIO()
    assert write_snapshot_csv(snapshot, out) == 4
    # Sorted by indicator, area, group; a suppressed value keeps its key and nothing else.
    assert out.getvalue() == (
        f"{HEADER}\n"
        "access_time_to_match,days,GM0001,isolation:individual,2025,9,,14.5,false\n"
        "coverage.any,percentage,GM0001,epa,2025,3500,6000,58.3,false\n"
        "visits.total,count,BU00010101,,2025,,,,true\n"
        "visits.total,count,GM0001,,2025,130,,130,false\n"
    )


def test_csv_of_the_fixture_has_no_small_count_and_empty_suppressed_cells(monitor_world: MonitorWorld) -> None:
    out = io.StringIO()
    count = write_snapshot_csv(monitor_world.q3, out)
    lines = out.getvalue().splitlines()
    assert lines[0] == HEADER and len(lines) == count + 1 == 38
    for line in lines[1:]:
        _indicator, unit, area, _group, period, numerator, denominator, value, suppressed = line.split(",")
        assert period == "2026-Q3" and area[:2] in ("GM", "WK", "BU")
        assert suppressed in ("true", "false")
        if suppressed == "true":
            assert numerator == denominator == value == ""
        elif unit == "count":
            assert not 1 <= float(value) <= 4, line
    # Betastad's 999 is in Betastad's CSV only.
    assert "999" not in out.getvalue()


# --- the command -----------------------------------------------------------------------------------


def test_command_writes_the_same_csv(monitor_world: MonitorWorld, tmp_path: Path) -> None:
    target = tmp_path / "q3.csv"
    stderr = io.StringIO()
    call_command("monitor_export", municipality="gm0001", period="2026-q3", out=str(target), stderr=stderr)
    expected = io.StringIO()
    write_snapshot_csv(monitor_world.q3, expected)
    assert target.read_text(encoding="utf-8") == expected.getvalue()
    assert "37 waarden van Alfadorp 2026-Q3 geschreven" in stderr.getvalue()
    assert [p.name for p in tmp_path.iterdir()] == ["q3.csv"]


def test_command_to_standard_output(monitor_world: MonitorWorld) -> None:
    stdout = io.StringIO()
    call_command("monitor_export", municipality="GM0002", period="2026-Q3", out="-", stdout=stdout)
    assert stdout.getvalue() == f"{HEADER}\nvisits.total,count,GM0002,,2026-Q3,999,,999,false\n"


@pytest.mark.parametrize(
    ("municipality", "period", "message"),
    [
        ("GM9999", "2026-Q3", "Gemeente GM9999 staat niet in Nabij."),
        ("GM0001", "2026-Q5", "'2026-Q5' is geen periode. Gebruik een jaar (2026), een kwartaal (2026-Q3)"),
        ("GM0001", "2026-Q1", "Er is geen momentopname van Alfadorp voor 2026-Q1. Bereken die eerst"),
        ("GM0001", "2026-Q4", "De momentopname van Alfadorp voor 2026-Q4 is niet klaar (status: running)."),
    ],
)
def test_command_errors_are_clear_and_write_nothing(
    monitor_world: MonitorWorld, tmp_path: Path, municipality: str, period: str, message: str
) -> None:
    target = tmp_path / "out.csv"
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("monitor_export", municipality=municipality, period=period, out=str(target))
    assert list(tmp_path.iterdir()) == []


def test_command_exits_with_a_non_zero_code(
    monitor_world: MonitorWorld, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [
        "nabij",
        "monitor_export",
        "--municipality",
        "GM0001",
        "--period",
        "2026-Q1",
        "--out",
        str(tmp_path / "x.csv"),
    ]
    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(argv)
    assert exit_info.value.code == 1
    assert "Er is geen momentopname" in capsys.readouterr().err


def test_command_leaves_no_half_written_file(
    monitor_world: MonitorWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "q3.csv"
    target.write_text("the previous export\n", encoding="utf-8")

    def failing_rows(*args: object, **kwargs: object) -> Iterator[list[str]]:
        yield ["visits.total", "count", "GM0001", "", "2026-Q3", "130", "", "130", "false"]
        raise OSError("disk full")

    monkeypatch.setattr(exports, "csv_rows", failing_rows)
    with pytest.raises(OSError, match="disk full"):
        call_command("monitor_export", municipality="GM0001", period="2026-Q3", out=str(target))
    # The old file is untouched and no temporary file is left behind.
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["q3.csv"]


def test_command_refuses_a_missing_directory(monitor_world: MonitorWorld, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("monitor_export", municipality="GM0001", period="2026-Q3", out=str(tmp_path / "nope" / "x.csv"))


# --- the PDF report --------------------------------------------------------------------------------


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The report's text as pdftotext (poppler) reads it, in reading order per line."""
    if shutil.which("pdftotext") is None:
        message = "pdftotext is missing; install it with `apt-get install poppler-utils` to check the PDF's text."
        if services_required():
            pytest.fail(message)
        pytest.skip(message)
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(source), "-"], capture_output=True, check=True, timeout=60
    )
    return result.stdout.decode("utf-8")


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def test_report_of_the_municipality(monitor_world: MonitorWorld, tmp_path: Path) -> None:
    a = monitor_world.personas.municipality_a
    pdf = render_report(municipality=a, snapshot=monitor_world.q3, language="nl")
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf, tmp_path)
    flat = _squeeze(text)
    assert "Monitor: Alfadorp" in flat
    assert "Periode: 2026-Q3 (1 juli 2026 tot en met 30 september 2026)" in flat
    # The protection rules, with the thresholds of this snapshot.
    assert "Bescherming van kleine aantallen" in flat
    assert "Een aantal van 1 tot 5 tonen we niet. Je ziet dan: <5." in flat
    assert f"Een percentage op minder dan 20 mensen tonen we niet. Je ziet dan: {DASH}." in flat
    # Families and indicators with their definition and table.
    assert flat.index("Aanbod") < flat.index("Bereik: inwoners met toegankelijk aanbod op loopafstand")
    assert "Bezoeken aan activiteiten" in flat
    assert "Teller: Attendance in the period" in flat
    assert "Gebied Groep Uitsplitsing Waarde Teller Noemer" in flat
    # Rows: the municipality and its districts, not the neighbourhoods.
    assert "Alfadorp Iedereen Totaal 130 130" in flat
    assert "Centrum Alfa Iedereen Totaal 130 130" in flat
    assert "Elke soort 58,3% 3.500 6.000" in flat  # the municipality, epa: 3500 of 6000
    assert f"Centrum Alfa Iedereen {DASH} {DASH} {DASH}" in flat  # access: base under 20
    assert "Oude Haven" not in flat and "Bergweg" not in flat
    assert "999" not in flat


def test_report_of_one_district_has_its_neighbourhoods(monitor_world: MonitorWorld, tmp_path: Path) -> None:
    a = monitor_world.personas.municipality_a
    pdf = render_report(municipality=a, snapshot=monitor_world.q3, district=monitor_world.personas.district_a)
    flat = _squeeze(pdf_text(pdf, tmp_path))
    assert "Monitor: wijk Centrum Alfa in Alfadorp" in flat
    assert "Oude Haven Iedereen Ontmoeten <5 <5" in flat
    assert "Nieuwe Markt Iedereen Totaal 30 30" in flat
    assert "Bergweg" not in flat and "Noord Alfa" not in flat
    # The district's own access figure is protected; the municipality's is not part of this report.
    assert f"Centrum Alfa Iedereen {DASH} {DASH} {DASH}" in flat and "30,0%" not in flat


def test_report_in_english_uses_the_english_names(monitor_world: MonitorWorld, tmp_path: Path) -> None:
    a = monitor_world.personas.municipality_a
    pdf = render_report(municipality=a, snapshot=monitor_world.q3, language="en")
    flat = _squeeze(pdf_text(pdf, tmp_path))
    assert "Visits to activities" in flat
    assert "Coverage: residents with accessible supply within walking distance" in flat
    # Catalogue names in English, numbers the English way (the table wraps the group's long name).
    assert "Alfadorp People with a Exercise 23.3% 1,400 6,000" in flat
    assert "severe mental illness (SMI)" in flat


def test_report_without_values_for_the_area(monitor_world: MonitorWorld, tmp_path: Path) -> None:
    with scope(municipality=monitor_world.personas.municipality_a):
        pdf = render_report(
            municipality=monitor_world.personas.municipality_a, snapshot=monitor_world.q3, district=monitor_world.noord
        )
    flat = _squeeze(pdf_text(pdf, tmp_path))
    # Noord Alfa has visits (0) and protected access: both show, nothing else.
    assert "Noord Alfa Iedereen Totaal 0" in flat
    assert f"Noord Alfa Iedereen {DASH} {DASH} {DASH}" in flat
