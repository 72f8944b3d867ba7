"""`nabij demo`: from an empty directory to a demo with a login for every role."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from nabij.demo.logins import DEMO_PASSWORD, demo_logins
from nabij.testing.personas import Personas


@pytest.fixture(autouse=True)
def dutch() -> Iterator[None]:
    """The messages are asserted in Dutch, whatever language an earlier test left active."""
    with translation.override("nl"):
        yield


def run_demo(workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # As a new user would run it: no settings module, environment or secret key of the test run.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NABIJ_", "SECRET_KEY"))}
    env["DATABASE_URL"] = f"sqlite:///{workdir / 'demo.sqlite3'}"
    return subprocess.run(
        [sys.executable, "-m", "nabij", "demo", "--no-serve", *args],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_nabij_demo_in_an_empty_directory(tmp_path: Path) -> None:
    first = run_demo(tmp_path, "--port", "8123")

    assert first.returncode == 0, first.stderr
    assert "http://127.0.0.1:8123/voorbeeldstad/" in first.stdout
    assert f"wachtwoord voor allemaal: {DEMO_PASSWORD}" in first.stdout
    for login in demo_logins():
        line = next(line for line in first.stdout.splitlines() if login.email in line)
        assert login.description in line
        assert line.endswith("(*)") == login.needs_authenticator
    assert "authenticator-app" in first.stdout
    assert (tmp_path / "demo.sqlite3").exists()
    assert (tmp_path / ".nabij-secret-key").exists()

    second = run_demo(tmp_path)
    assert second.returncode == 0, second.stderr
    assert "de demogemeente wordt niet opnieuw gemaakt" in second.stdout
    assert "resident@voorbeeldstad.nl" in second.stdout


@pytest.mark.django_db
def test_nabij_demo_leaves_a_database_with_another_municipality_alone(personas: Personas) -> None:
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out, verbosity=0)
    assert "geen Voorbeeldstad" in out.getvalue()
    assert f"/{personas.municipality_a.slug}/" in out.getvalue()


@pytest.mark.django_db
def test_nabij_demo_refuses_a_port_that_does_not_exist() -> None:
    with pytest.raises(CommandError, match="Poort 70000"):
        call_command("demo", "--no-serve", "--port", "70000", verbosity=0)
