"""How the privacy matrices read their tables and check one cell.

A table is one line per page or endpoint, one column per role (`COLUMNS`, in the order of
`conftest.ROLES`). A cell is what that role gets:

- `L`   302 to the login page;         `F` 302 to the second factor;
- `401`, `403`, `404`, `400`           that status (nothing audited, the subject's name not shown);
- `ok`  200 without the subject: the subject's name is not in the answer and no audit entry names them;
- `S`   200 with the subject: their name is in the answer, and an audit entry by this user names
        their key with the page's purpose (and every entry naming them has that purpose);
- `K`   like `S`, for pages that show the subject's key but (rightly) not their name;
- `O`   200 for the resident themself: not audited as a read by anyone else.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.http.response import HttpResponseBase
from django.shortcuts import resolve_url
from django.urls import reverse

from nabij.accounts.models import User
from nabij.people.models import ResidentProfile
from tests.privacy.conftest import ROLES, audit_since, names_profile

COLUMNS = ("anon", "owner", "ores", "sup", "osup", "org", "oorg", "pro", "pro-", "coo", "coo-", "ana", "adm", "out")
assert len(COLUMNS) == len(ROLES)
WHERE = ("A", "B")
CONSENT = ("given", "revoked")


def parse(table: str) -> dict[str, dict[str, str]]:
    """`page  c1 c2 ...` lines → {page: {role: cell}}; `#` lines are comments."""
    rows: dict[str, dict[str, str]] = {}
    for line in table.strip().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, *cells = line.split()
        assert len(cells) == len(ROLES), f"{name}: {len(cells)} cells"
        rows[name] = dict(zip(ROLES, cells, strict=True))
    return rows


def cells(tables: dict[tuple[str, str], dict[str, dict[str, str]]]) -> Iterator[Any]:
    """One pytest.param per (page, where, consent, role)."""
    for (where, consent), rows in tables.items():
        for page, row in rows.items():
            for role, expected in row.items():
                yield pytest.param(page, where, consent, role, expected, id="-".join((page, where, consent, role)))


def check(
    response: HttpResponseBase,
    expected: str,
    *,
    user: User | None,
    subject: ResidentProfile,
    purpose: str,
    audit_from: int,
) -> None:
    entries = audit_since(audit_from)
    about = [e for e in entries if names_profile(e, subject)]
    body = bytes(getattr(response, "content", b"")).decode(errors="replace")
    first_name = subject.name.split()[0]
    if expected in ("L", "F"):
        assert response.status_code == 302, response.status_code
        target = resolve_url(settings.LOGIN_URL) if expected == "L" else reverse("accounts:second_factor")
        assert response["Location"].startswith(target), response["Location"]
        assert entries == []
        return
    if expected.isdigit() and expected != "200":
        assert response.status_code == int(expected), response.status_code
        assert entries == [], [(e.action, e.purpose, e.detail) for e in entries]
        assert first_name not in body
        return
    assert response.status_code == 200, response.status_code
    if expected == "ok":
        assert first_name not in body
        assert about == [], [(e.action, e.purpose, e.detail) for e in about]
    elif expected == "O":
        assert user is not None and subject.user_id == user.pk
        assert [e for e in about if e.actor_id != user.pk] == []
    elif expected in ("S", "K"):
        assert user is not None
        if expected == "S":
            assert first_name in body
        else:
            assert str(subject.key) in body and first_name not in body
        assert about, "the read of the profile was not audited"
        assert {(e.actor_id, e.action, e.purpose) for e in about} == {(user.pk, "read", purpose)}
    else:
        raise AssertionError(f"unknown cell {expected!r}")
