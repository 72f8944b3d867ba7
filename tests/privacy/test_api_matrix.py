"""The privacy matrix of every personal-data API endpoint (issue 4, item 10).

Same roles, municipalities and consents as test_permission_matrix.py (legend in matrix.py); the
calls use the website session, as a browser would. Errors as the docs say: no credentials 401;
a member of the municipality who has not passed the second factor 403; another municipality's
data, or a role the endpoint is not for, 404 — except the list of referrals made, which answers
a member who is not a professional with 403 (`permission-denied`), as the endpoint documents.
The instrument endpoint (public, stateless) and /me, /me/tokens (the caller's own account, no
profile) are not in it. Only reads (GET) are: writes are covered by the apps' own API tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client

from nabij.accounts.models import User
from tests.privacy.conftest import Side, World, last_audit_pk, revoke
from tests.privacy.matrix import cells, check, parse


@dataclass(frozen=True)
class Endpoint:
    path: Callable[[Side], str]
    purpose: str


def _m(side: Side) -> str:
    return f"/api/v1/municipalities/{side.municipality.code}"


ENDPOINTS: dict[str, Endpoint] = {
    "groups": Endpoint(lambda s: f"{_m(s)}/groups", "contact"),
    "group": Endpoint(lambda s: f"{_m(s)}/groups/{s.group.uid}", "contact"),
    "referrals_made": Endpoint(lambda s: f"{_m(s)}/referrals", "referral"),
    "referrals_received": Endpoint(lambda s: f"{_m(s)}/referrals?received=true", "referral"),
    "referral": Endpoint(lambda s: f"{_m(s)}/referrals/{s.referral.pk}", "referral"),
    "rounds": Endpoint(lambda s: f"{_m(s)}/matching-rounds", "support"),
    "round": Endpoint(lambda s: f"{_m(s)}/matching-rounds/{s.round.pk}", "support"),
    "round_proposals": Endpoint(lambda s: f"{_m(s)}/matching-rounds/{s.round.pk}/proposals", "support"),
    "supporters": Endpoint(lambda s: f"{_m(s)}/supporters", "support"),
    "supporter": Endpoint(lambda s: f"{_m(s)}/supporters/{s.supporter.pk}", "support"),
    "my_participants": Endpoint(lambda s: f"{_m(s)}/me/participants", "support"),
}

A_GIVEN = """
#                  anon owner ores sup osup org oorg pro pro- coo coo- ana adm out
groups             401  ok    ok   ok  ok   ok  ok   ok  403  ok  403  ok  ok  404
group              401  O     S    ok  ok   S   ok   S   403  S   403  ok  S   404
referrals_made     401  403   403  403 403  403 403  S   403  403 403  403 403 404
referrals_received 401  ok    ok   ok  ok   S   ok   ok  403  ok  403  ok  ok  404
referral           401  404   404  404 404  S   404  S   403  404 403  404 404 404
rounds             401  404   404  404 404  404 404  404 404  ok  403  404 ok  404
round              401  404   404  404 404  404 404  404 404  ok  403  404 ok  404
round_proposals    401  404   404  404 404  404 404  404 404  S   403  404 S   404
supporters         401  404   404  404 404  404 404  404 404  ok  403  404 ok  404
supporter          401  404   404  404 404  404 404  404 404  ok  403  404 ok  404
my_participants    401  404   404  S   ok   404 404  404 404  404 404  404 404 404
"""

A_REVOKED = """
#                  anon owner ores sup osup org oorg pro pro- coo coo- ana adm out
groups             401  ok    ok   ok  ok   ok  ok   ok  403  ok  403  ok  ok  404
group              401  O     ok   ok  ok   ok  ok   ok  403  ok  403  ok  ok  404
referrals_made     401  403   403  403 403  403 403  ok  403  403 403  403 403 404
referrals_received 401  ok    ok   ok  ok   ok  ok   ok  403  ok  403  ok  ok  404
referral           401  404   404  404 404  404 404  ok  403  404 403  404 404 404
rounds             401  404   404  404 404  404 404  404 404  ok  403  404 ok  404
round              401  404   404  404 404  404 404  404 404  ok  403  404 ok  404
round_proposals    401  404   404  404 404  404 404  404 404  ok  403  404 ok  404
supporters         401  404   404  404 404  404 404  404 404  ok  403  404 ok  404
supporter          401  404   404  404 404  404 404  404 404  ok  403  404 ok  404
my_participants    401  404   404  ok  ok   404 404  404 404  404 404  404 404 404
"""

B_GIVEN = """
#                  anon owner ores sup osup org oorg pro pro- coo coo- ana adm out
groups             401  404   404  404 404  404 404  404 404  404 404  404 404 ok
group              401  404   404  404 404  404 404  404 404  404 404  404 404 S
referrals_made     401  404   404  404 404  404 404  404 404  404 404  404 404 S
referrals_received 401  404   404  404 404  404 404  404 404  404 404  404 404 ok
referral           401  404   404  404 404  404 404  404 404  404 404  404 404 S
rounds             401  404   404  404 404  404 404  404 404  404 404  404 404 404
round              401  404   404  404 404  404 404  404 404  404 404  404 404 404
round_proposals    401  404   404  404 404  404 404  404 404  404 404  404 404 404
supporters         401  404   404  404 404  404 404  404 404  404 404  404 404 404
supporter          401  404   404  404 404  404 404  404 404  404 404  404 404 404
my_participants    401  404   404  404 404  404 404  404 404  404 404  404 404 404
"""

B_REVOKED = """
#                  anon owner ores sup osup org oorg pro pro- coo coo- ana adm out
groups             401  404   404  404 404  404 404  404 404  404 404  404 404 ok
group              401  404   404  404 404  404 404  404 404  404 404  404 404 ok
referrals_made     401  404   404  404 404  404 404  404 404  404 404  404 404 ok
referrals_received 401  404   404  404 404  404 404  404 404  404 404  404 404 ok
referral           401  404   404  404 404  404 404  404 404  404 404  404 404 ok
rounds             401  404   404  404 404  404 404  404 404  404 404  404 404 404
round              401  404   404  404 404  404 404  404 404  404 404  404 404 404
round_proposals    401  404   404  404 404  404 404  404 404  404 404  404 404 404
supporters         401  404   404  404 404  404 404  404 404  404 404  404 404 404
supporter          401  404   404  404 404  404 404  404 404  404 404  404 404 404
my_participants    401  404   404  404 404  404 404  404 404  404 404  404 404 404
"""

TABLES = {
    ("A", "given"): parse(A_GIVEN),
    ("A", "revoked"): parse(A_REVOKED),
    ("B", "given"): parse(B_GIVEN),
    ("B", "revoked"): parse(B_REVOKED),
}
assert all(set(rows) == set(ENDPOINTS) for rows in TABLES.values())


@pytest.mark.parametrize(("endpoint", "where", "consent", "role", "expected"), list(cells(TABLES)))
def test_endpoint(
    world: World,
    client_for: Callable[[str], tuple[Client, User | None]],
    endpoint: str,
    where: str,
    consent: str,
    role: str,
    expected: str,
) -> None:
    spec = ENDPOINTS[endpoint]
    side = world.side(where)
    if consent == "revoked":
        revoke(side, spec.purpose)
    client, user = client_for(role)
    before = last_audit_pk()
    response = client.get(spec.path(side))
    check(response, expected, user=user, subject=side.subject, purpose=spec.purpose, audit_from=before)
