"""The privacy matrix of every personal-data page (issue 4, item 10).

Every role by every page by the subject in the viewer's municipality (A) or the other one (B) by
the resident's consent for the page's purpose given or revoked. Expected cells are written out
below, from the documented rules (docs/people.md, docs/support.md, docs/groups_referrals.md,
docs/architecture.md); the legend is in `tests/privacy/matrix.py`. The API: test_api_matrix.py.

Notes on rules the tables follow from the docs:
- a referral's referrer always sees their own referral, without name and note while it is not
  shareable (docs/groups_referrals.md), so that cell is `ok`, not 404;
- forms that take a resident's key answer a key they may not use with a form error (400):
  the new referral without referral consent, "find a supporter now" for someone no longer waiting;
- `mijn-gegevens/` needs no role: anyone logged in sees their own data, or that none is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client

from nabij.accounts.models import User
from tests.privacy.conftest import Side, World, last_audit_pk, revoke, revoke_waiting
from tests.privacy.matrix import cells, check, parse


@dataclass(frozen=True)
class Page:
    path: Callable[[Side], str]
    purpose: str  # what a read of the subject is audited for, and the consent revoked
    subject: str = "subject"  # or "waiting": the profile the page is about


def _m(side: Side) -> str:
    return f"/{side.municipality.slug}"


def _key(side: Side) -> str:
    return f"{_m(side)}/werk/bewoners/{side.subject.key}"


PAGES: dict[str, Page] = {
    # people
    "my_data": Page(lambda s: f"{_m(s)}/mijn-gegevens/", "support"),
    "my_export": Page(lambda s: f"{_m(s)}/mijn-gegevens/download/", "support"),
    "my_erase": Page(lambda s: f"{_m(s)}/mijn-gegevens/wissen/", "support"),
    "caseload": Page(lambda s: f"{_m(s)}/werk/bewoners/?doel=support", "support"),
    "profile_create": Page(lambda s: f"{_m(s)}/werk/bewoners/nieuw/", "support"),
    "profile_detail": Page(lambda s: f"{_key(s)}/?doel=support", "support"),
    "loneliness": Page(lambda s: f"{_key(s)}/eenzaamheid/?doel=support", "support"),
    "ladder": Page(lambda s: f"{_key(s)}/participatieladder/?doel=support", "support"),
    # support
    "my_participants": Page(lambda s: f"{_m(s)}/maatje/", "support"),
    "relation_detail": Page(lambda s: f"{_m(s)}/koppelingen/{s.relation.pk}/", "support"),
    "supporter_list": Page(lambda s: f"{_m(s)}/beheer/maatjes/", "support"),
    "supporter_create": Page(lambda s: f"{_m(s)}/beheer/maatjes/nieuw/", "support"),
    "supporter_edit": Page(lambda s: f"{_m(s)}/beheer/maatjes/{s.supporter.pk}/", "support"),
    "round_list": Page(lambda s: f"{_m(s)}/beheer/koppelrondes/", "support"),
    "round_detail": Page(lambda s: f"{_m(s)}/beheer/koppelrondes/{s.round.pk}/", "support"),
    # The withdrawn tab: what a round proposed for someone who has since revoked their consent.
    "round_withdrawn": Page(lambda s: f"{_m(s)}/beheer/koppelrondes/{s.round.pk}/?besluit=withdrawn", "support"),
    "match_now": Page(lambda s: f"{_m(s)}/beheer/nu-koppelen/?participant={s.waiting.key}", "support", "waiting"),
    "contact_signals": Page(lambda s: f"{_m(s)}/beheer/contactsignalen/", "support"),
    # referrals
    "referral_list": Page(lambda s: f"{_m(s)}/overdrachten/", "referral"),
    "referral_create": Page(
        lambda s: f"{_m(s)}/overdrachten/nieuw/?profiel={s.subject.key}&soort=activity", "referral"
    ),
    "referral_received": Page(lambda s: f"{_m(s)}/overdrachten/aan-mij/", "referral"),
    "referral_detail": Page(lambda s: f"{_m(s)}/overdrachten/{s.referral.pk}/", "referral"),
    # groups
    "my_groups": Page(lambda s: f"{_m(s)}/mijn-groep/", "contact"),
    "group_list": Page(lambda s: f"{_m(s)}/groepen/", "contact"),
    "group_detail": Page(lambda s: f"{_m(s)}/groepen/{s.group.uid}/", "contact"),
    "group_update": Page(lambda s: f"{_m(s)}/groepen/{s.group.uid}/bewerken/", "contact"),
    "group_signals": Page(lambda s: f"{_m(s)}/beheer/groepen/", "contact"),
}

# The subject lives in A, the viewers' municipality; consent for the page's purpose given.
A_GIVEN = """
#                 anon owner ores sup osup org oorg pro pro- coo coo- ana adm out
my_data           L    O     ok   ok  ok   ok  ok   ok  ok   ok  ok   ok  ok  ok
my_export         L    O     ok   404 404  404 404  404 404  404 404  404 404 404
my_erase          L    O     ok   404 404  404 404  404 404  404 404  404 404 404
caseload          L    404   404  404 404  404 404  S   F    S   F    404 404 404
profile_create    L    404   404  404 404  404 404  ok  F    ok  F    404 404 404
profile_detail    L    404   404  404 404  404 404  S   F    S   F    404 404 404
loneliness        L    404   404  404 404  404 404  K   F    K   F    404 404 404
ladder            L    404   404  404 404  404 404  K   F    K   F    404 404 404
my_participants   L    404   404  S   ok   404 404  404 404  404 404  404 404 404
relation_detail   L    404   404  S   404  404 404  404 404  S   F    404 S   404
supporter_list    L    404   404  404 404  404 404  404 404  ok  F    404 ok  404
supporter_create  L    404   404  404 404  404 404  404 404  ok  F    404 ok  404
supporter_edit    L    404   404  404 404  404 404  404 404  ok  F    404 ok  404
round_list        L    404   404  404 404  404 404  404 404  ok  F    404 ok  404
round_detail      L    404   404  404 404  404 404  404 404  S   F    404 S   404
round_withdrawn   L    404   404  404 404  404 404  404 404  ok  F    404 ok  404
match_now         L    404   404  404 404  404 404  404 404  S   F    404 S   404
contact_signals   L    404   404  404 404  404 404  404 404  S   F    404 S   404
referral_list     L    404   404  404 404  404 404  S   F    404 404  404 404 404
referral_create   L    404   404  404 404  404 404  S   F    404 404  404 404 404
referral_received L    ok    ok   ok  ok   S   ok   ok  F    404 404  404 404 404
referral_detail   L    404   404  404 404  S   404  S   F    404 404  404 404 404
my_groups         L    O     S    404 404  404 404  404 404  404 404  404 404 404
group_list        L    404   404  ok  ok   ok  ok   ok  F    ok  F    404 ok  404
group_detail      L    404   404  404 404  S   404  S   F    S   F    404 S   404
group_update      L    404   404  404 404  ok  404  ok  F    ok  F    404 ok  404
group_signals     L    404   404  404 404  404 404  404 404  ok  F    404 ok  404
"""

# The subject lives in A; the resident revoked the consent for the page's purpose.
A_REVOKED = """
#                 anon owner ores sup osup org oorg pro pro- coo coo- ana adm out
my_data           L    O     ok   ok  ok   ok  ok   ok  ok   ok  ok   ok  ok  ok
my_export         L    O     ok   404 404  404 404  404 404  404 404  404 404 404
my_erase          L    O     ok   404 404  404 404  404 404  404 404  404 404 404
caseload          L    404   404  404 404  404 404  ok  F    ok  F    404 404 404
profile_create    L    404   404  404 404  404 404  ok  F    ok  F    404 404 404
profile_detail    L    404   404  404 404  404 404  404 F    404 F    404 404 404
loneliness        L    404   404  404 404  404 404  404 F    404 F    404 404 404
ladder            L    404   404  404 404  404 404  404 F    404 F    404 404 404
my_participants   L    404   404  ok  ok   404 404  404 404  404 404  404 404 404
relation_detail   L    404   404  404 404  404 404  404 404  404 F    404 404 404
supporter_list    L    404   404  404 404  404 404  404 404  ok  F    404 ok  404
supporter_create  L    404   404  404 404  404 404  404 404  ok  F    404 ok  404
supporter_edit    L    404   404  404 404  404 404  404 404  ok  F    404 ok  404
round_list        L    404   404  404 404  404 404  404 404  ok  F    404 ok  404
round_detail      L    404   404  404 404  404 404  404 404  ok  F    404 ok  404
round_withdrawn   L    404   404  404 404  404 404  404 404  ok  F    404 ok  404
match_now         L    404   404  404 404  404 404  404 404  400 F    404 400 404
contact_signals   L    404   404  404 404  404 404  404 404  ok  F    404 ok  404
referral_list     L    404   404  404 404  404 404  ok  F    404 404  404 404 404
referral_create   L    404   404  404 404  404 404  400 F    404 404  404 404 404
referral_received L    ok    ok   ok  ok   ok  ok   ok  F    404 404  404 404 404
referral_detail   L    404   404  404 404  404 404  ok  F    404 404  404 404 404
my_groups         L    O     ok   404 404  404 404  404 404  404 404  404 404 404
group_list        L    404   404  ok  ok   ok  ok   ok  F    ok  F    404 ok  404
group_detail      L    404   404  404 404  ok  404  ok  F    ok  F    404 ok  404
group_update      L    404   404  404 404  ok  404  ok  F    ok  F    404 ok  404
group_signals     L    404   404  404 404  404 404  404 404  ok  F    404 ok  404
"""

# The subject lives in B: only the outsider (a professional of B) works there.
B_GIVEN = """
#                 anon owner ores sup osup org oorg pro pro- coo coo- ana adm out
my_data           L    ok    ok   ok  ok   ok  ok   ok  ok   ok  ok   ok  ok  ok
my_export         L    404   404  404 404  404 404  404 404  404 404  404 404 404
my_erase          L    404   404  404 404  404 404  404 404  404 404  404 404 404
caseload          L    404   404  404 404  404 404  404 404  404 404  404 404 S
profile_create    L    404   404  404 404  404 404  404 404  404 404  404 404 ok
profile_detail    L    404   404  404 404  404 404  404 404  404 404  404 404 S
loneliness        L    404   404  404 404  404 404  404 404  404 404  404 404 K
ladder            L    404   404  404 404  404 404  404 404  404 404  404 404 K
my_participants   L    404   404  404 404  404 404  404 404  404 404  404 404 404
relation_detail   L    404   404  404 404  404 404  404 404  404 404  404 404 404
supporter_list    L    404   404  404 404  404 404  404 404  404 404  404 404 404
supporter_create  L    404   404  404 404  404 404  404 404  404 404  404 404 404
supporter_edit    L    404   404  404 404  404 404  404 404  404 404  404 404 404
round_list        L    404   404  404 404  404 404  404 404  404 404  404 404 404
round_detail      L    404   404  404 404  404 404  404 404  404 404  404 404 404
round_withdrawn   L    404   404  404 404  404 404  404 404  404 404  404 404 404
match_now         L    404   404  404 404  404 404  404 404  404 404  404 404 404
contact_signals   L    404   404  404 404  404 404  404 404  404 404  404 404 404
referral_list     L    404   404  404 404  404 404  404 404  404 404  404 404 S
referral_create   L    404   404  404 404  404 404  404 404  404 404  404 404 S
referral_received L    404   404  404 404  404 404  404 404  404 404  404 404 ok
referral_detail   L    404   404  404 404  404 404  404 404  404 404  404 404 S
my_groups         L    404   404  404 404  404 404  404 404  404 404  404 404 404
group_list        L    404   404  404 404  404 404  404 404  404 404  404 404 ok
group_detail      L    404   404  404 404  404 404  404 404  404 404  404 404 S
group_update      L    404   404  404 404  404 404  404 404  404 404  404 404 ok
group_signals     L    404   404  404 404  404 404  404 404  404 404  404 404 404
"""

B_REVOKED = """
#                 anon owner ores sup osup org oorg pro pro- coo coo- ana adm out
my_data           L    ok    ok   ok  ok   ok  ok   ok  ok   ok  ok   ok  ok  ok
my_export         L    404   404  404 404  404 404  404 404  404 404  404 404 404
my_erase          L    404   404  404 404  404 404  404 404  404 404  404 404 404
caseload          L    404   404  404 404  404 404  404 404  404 404  404 404 ok
profile_create    L    404   404  404 404  404 404  404 404  404 404  404 404 ok
profile_detail    L    404   404  404 404  404 404  404 404  404 404  404 404 404
loneliness        L    404   404  404 404  404 404  404 404  404 404  404 404 404
ladder            L    404   404  404 404  404 404  404 404  404 404  404 404 404
my_participants   L    404   404  404 404  404 404  404 404  404 404  404 404 404
relation_detail   L    404   404  404 404  404 404  404 404  404 404  404 404 404
supporter_list    L    404   404  404 404  404 404  404 404  404 404  404 404 404
supporter_create  L    404   404  404 404  404 404  404 404  404 404  404 404 404
supporter_edit    L    404   404  404 404  404 404  404 404  404 404  404 404 404
round_list        L    404   404  404 404  404 404  404 404  404 404  404 404 404
round_detail      L    404   404  404 404  404 404  404 404  404 404  404 404 404
round_withdrawn   L    404   404  404 404  404 404  404 404  404 404  404 404 404
match_now         L    404   404  404 404  404 404  404 404  404 404  404 404 404
contact_signals   L    404   404  404 404  404 404  404 404  404 404  404 404 404
referral_list     L    404   404  404 404  404 404  404 404  404 404  404 404 ok
referral_create   L    404   404  404 404  404 404  404 404  404 404  404 404 400
referral_received L    404   404  404 404  404 404  404 404  404 404  404 404 ok
referral_detail   L    404   404  404 404  404 404  404 404  404 404  404 404 ok
my_groups         L    404   404  404 404  404 404  404 404  404 404  404 404 404
group_list        L    404   404  404 404  404 404  404 404  404 404  404 404 ok
group_detail      L    404   404  404 404  404 404  404 404  404 404  404 404 ok
group_update      L    404   404  404 404  404 404  404 404  404 404  404 404 ok
group_signals     L    404   404  404 404  404 404  404 404  404 404  404 404 404
"""

TABLES = {
    ("A", "given"): parse(A_GIVEN),
    ("A", "revoked"): parse(A_REVOKED),
    ("B", "given"): parse(B_GIVEN),
    ("B", "revoked"): parse(B_REVOKED),
}
assert all(set(rows) == set(PAGES) for rows in TABLES.values())


@pytest.mark.parametrize(("page", "where", "consent", "role", "expected"), list(cells(TABLES)))
def test_page(
    world: World,
    client_for: Callable[[str], tuple[Client, User | None]],
    page: str,
    where: str,
    consent: str,
    role: str,
    expected: str,
) -> None:
    spec = PAGES[page]
    side = world.side(where)
    if consent == "revoked":
        (revoke_waiting if spec.subject == "waiting" else revoke)(side, spec.purpose)
    client, user = client_for(role)
    before = last_audit_pk()
    response = client.get(spec.path(side))
    subject = side.waiting if spec.subject == "waiting" else side.subject
    check(response, expected, user=user, subject=subject, purpose=spec.purpose, audit_from=before)
