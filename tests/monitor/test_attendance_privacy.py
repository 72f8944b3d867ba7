"""Recording attendance must not tell the recorder who consented to monitoring (docs/attendance.md).

Record one session with a single key of Ann (a current monitoring consent, so she is named), and the
same session with a single key of someone who is counted without a name instead. Everything the
recorder sees back - the page's message and the page around it, the API's answer and list, the CSV
upload's report and the command's output - must be the same, byte for byte apart from CSRF tokens
and times. The database, on the other hand, must differ (1 named or 1 more head): otherwise the
test would prove nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from nabij.monitor.models import AttendanceSession
from nabij.monitor.services import attendance as services
from nabij.testing.personas import Personas, login
from tests.api.helpers import API
from tests.conftest import SocialMap
from tests.monitor.attendance_world import UNKNOWN_KEY, World, build_world

pytestmark = pytest.mark.django_db

ON = "2025-03-11"
PAGES = "/alfadorp/organiseren/aanwezigheid"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
MESSAGES = re.compile(r'<div class="nabij-messages">.*?</div>\s*</div>\s*</div>', re.DOTALL)
RECORDED_AT = re.compile(rb'"recorded_at": ?"[^"]*"')


@pytest.fixture
def world(personas: Personas, socialmap: SocialMap) -> World:
    return build_world(personas, socialmap)


@dataclass
class Seen:
    """What the recorder got back from each way in, and what the database stored."""

    message: str
    page: str
    api_status: int
    api_answer: bytes
    api_list: bytes
    upload_report: str
    command_output: str
    stored: list[tuple[int, int]]


def _forget(world: World) -> None:
    """Remove the session again, so the next way in records it afresh (created, not replaced)."""
    for session in AttendanceSession.objects.filter(activity=world.koffie):
        services.attendance_delete(actor=None, session=session)


def _stored(world: World) -> list[tuple[int, int]]:
    return list(AttendanceSession.objects.filter(activity=world.koffie).values_list("named_count", "anonymous_count"))


def record_everywhere(world: World, key: str, tmp_path: Path) -> Seen:
    client = login(Client(), world.organiser, second_factor=False)
    stored: list[tuple[int, int]] = []

    # The page: the message after the redirect, and the whole page it is on.
    url = f"{PAGES}/{world.koffie.uid}/"
    response = client.post(url, {"on": ON, "anonymous_count": "4", "participant_keys": key}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    page = CSRF.sub("csrf", response.content.decode())
    found = MESSAGES.search(page)
    assert found is not None
    stored += _stored(world)
    _forget(world)

    # The API: the answer to the recording (without its time), then the list.
    sessions = f"{API}/municipalities/GM0001/monitor/activities/{world.koffie.uid}/sessions"
    body = {"date": ON, "anonymous_count": 4, "participant_keys": [key]}
    answer = client.post(sessions, json.dumps(body), content_type="application/json")
    listed = client.get(sessions)
    assert listed.status_code == 200
    stored += _stored(world)
    _forget(world)

    # The CSV upload on the page, and the command.
    content = f"activity;date;anonymous_count;participant_keys\n{world.koffie.uid};{ON};4;{key}\n"
    upload = client.post(
        f"{PAGES}/csv-inlezen/", {"file": SimpleUploadedFile("aanwezigheid.csv", content.encode(), "text/csv")}
    )
    assert upload.status_code == 200
    stored += _stored(world)
    _forget(world)
    path = tmp_path / f"{key}.csv"
    path.write_text(content, encoding="utf-8")
    out = StringIO()
    call_command("import_attendance", str(path), "--municipality", "GM0001", "--dry-run", stdout=out)
    call_command("import_attendance", str(path), "--municipality", "GM0001", stdout=out)
    stored += _stored(world)
    _forget(world)

    return Seen(
        message=found.group(0),
        page=page,
        api_status=answer.status_code,
        api_answer=RECORDED_AT.sub(b'"recorded_at":"-"', answer.content),
        api_list=RECORDED_AT.sub(b'"recorded_at":"-"', listed.content),
        upload_report=CSRF.sub("csrf", upload.content.decode()),
        command_output=out.getvalue(),
        stored=stored,
    )


@pytest.mark.parametrize("other", ["cor", "dirk", "bob", "unknown"])
def test_a_consented_key_and_another_key_look_the_same_to_the_recorder(
    world: World, tmp_path: Path, other: str
) -> None:
    """Cor has no monitoring consent, Dirk revoked his, Bob's key is of another municipality."""
    keys: dict[str, Any] = {"cor": world.cor.key, "dirk": world.dirk.key, "bob": world.bob.key, "unknown": UNKNOWN_KEY}
    named = record_everywhere(world, str(world.ann.key), tmp_path)
    counted_anonymously = record_everywhere(world, str(keys[other]), tmp_path)

    # The database tells them apart, for the monitor: Ann by key, the other as one more head.
    assert named.stored == [(1, 4)] * 4
    assert counted_anonymously.stored == [(0, 5)] * 4

    # The recorder cannot: the same message, page, API answer and list, CSV report and command output.
    assert named.message == counted_anonymously.message
    assert "Opgeslagen: 5 bezoekers op 11 maart 2025. Je vulde 1 sleutel in; die telt mee in het totaal." in (
        named.message
    )
    assert named.page == counted_anonymously.page
    assert (named.api_status, named.api_answer) == (counted_anonymously.api_status, counted_anonymously.api_answer)
    assert json.loads(named.api_answer) == {
        "date": ON,
        "total": 5,
        "recorded_at": "-",
        "created": True,
        "keys_received": 1,
    }
    assert named.api_list == counted_anonymously.api_list
    assert named.upload_report == counted_anonymously.upload_report
    assert "Bezoekers in totaal: 5. Sleutels ontvangen: 1." in named.upload_report
    assert named.command_output == counted_anonymously.command_output
    assert named.command_output.count("Bezoekers in totaal: 5. Sleutels ontvangen: 1.") == 2
    for seen in (named, counted_anonymously):
        for text in (seen.page, seen.upload_report, seen.command_output, seen.api_answer.decode()):
            assert str(world.ann.key) not in text and str(keys[other]) not in text
