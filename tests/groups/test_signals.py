"""Group signals: fewer than 5 members, more than 10, or no trekker. Counts worked out by hand."""

from __future__ import annotations

import pytest
from django.utils import timezone

from nabij.groups.models import Group, GroupStatus, MemberRole, Membership
from nabij.groups.selectors import GroupSignal, group_signals, signals_for
from tests.groups.helpers import World, member, profile

pytestmark = pytest.mark.django_db

SMALL, LARGE, NO_TREKKER = GroupSignal.TOO_SMALL, GroupSignal.TOO_LARGE, GroupSignal.NO_TREKKER


@pytest.mark.parametrize(
    ("members", "trekkers", "expected"),
    [
        (0, 0, [SMALL, NO_TREKKER]),
        (4, 1, [SMALL]),
        (5, 1, []),
        (10, 2, []),
        (10, 0, [NO_TREKKER]),
        (11, 1, [LARGE]),
        (11, 0, [LARGE, NO_TREKKER]),
    ],
)
def test_the_boundaries(members: int, trekkers: int, expected: list[str]) -> None:
    assert signals_for(members, trekkers) == expected


def filled(world: World, name: str, members: int, trekkers: int, left: int = 0) -> Group:
    """A group with `members` current members, the first `trekkers` of them trekker, and `left`
    former members (who must not count)."""
    group = Group.objects.create(municipality=world.a, name=name, capacity=20)
    group.activities.set([world.koffie])
    for i in range(members + left):
        membership = member(
            group, profile(world.a, f"{name} {i}", "contact"), MemberRole.TREKKER if i < trekkers else "member"
        )
        if i >= members:
            membership.left_at = timezone.now()
            membership.save()
    return group


def test_overview_with_counts(world: World) -> None:
    # The world's group "Wandelgroep Oude Haven": bea (member) + kees (trekker) = 2 members, 1 trekker.
    filled(world, "Breiclub", members=6, trekkers=1, left=3)  # 6 current (3 left don't count): fine
    filled(world, "Buurtmoestuin", members=12, trekkers=0)  # too large, no trekker
    filled(world, "Schaakgroep", members=5, trekkers=0, left=2)  # no trekker (5 is enough)
    filled(world, "Zangkoor", members=10, trekkers=2)  # fine
    ended = filled(world, "Oude groep", members=1, trekkers=0)  # ended: not counted at all
    ended.status, ended.ended_at = GroupStatus.ENDED, timezone.now()
    ended.save()

    overview = group_signals(municipality=world.a)

    # By hand: 5 running groups (the ended one left out).
    assert overview.groups == 5
    rows = {row.group.name: (row.member_count, row.trekker_count, row.signals) for row in overview.rows}
    assert rows == {
        "Breiclub": (6, 1, []),
        "Buurtmoestuin": (12, 0, [LARGE, NO_TREKKER]),
        "Schaakgroep": (5, 0, [NO_TREKKER]),
        "Wandelgroep Oude Haven": (2, 1, [SMALL]),
        "Zangkoor": (10, 2, []),
    }
    # too small: Wandelgroep (1); too large: Buurtmoestuin (1); no trekker: Buurtmoestuin, Schaakgroep (2).
    assert overview.counts == {SMALL: 1, LARGE: 1, NO_TREKKER: 2}
    assert overview.signalled == 3

    only = group_signals(municipality=world.a, only_signalled=True)
    assert [row.group.name for row in only.rows] == ["Buurtmoestuin", "Schaakgroep", "Wandelgroep Oude Haven"]
    assert only.groups == 5  # the total stays the total


def test_a_trekker_who_left_no_longer_counts(world: World) -> None:
    kees = Membership.objects.get(group=world.group, profile=world.kees)
    kees.left_at = timezone.now()
    kees.save()
    row = next(row for row in group_signals(municipality=world.a).rows if row.group == world.group)
    assert (row.member_count, row.trekker_count, row.signals) == (1, 0, [SMALL, NO_TREKKER])


def test_other_municipalities_groups_are_not_in_the_overview(world: World) -> None:
    assert "Betagroep" not in {row.group.name for row in group_signals(municipality=world.a).rows}
