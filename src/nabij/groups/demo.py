"""Demo step of groups: small active groups around activities, with trekkers, guides and members.

Bulk inserts, like the other demo steps. Most groups have 5 to 10 members and a trekker; some are
smaller, larger or without a trekker, so the coordinator's signals have something to show. Members
are participants with a current `contact` consent (what joining a group needs, see services), mostly
from the neighbourhood of the group's activity.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.db.models import Exists, OuterRef

from nabij.accounts import permissions
from nabij.accounts.models import User
from nabij.demo.registry import DemoContext, step
from nabij.groups.models import LARGEST, Group, GroupStatus, MemberRole, Membership
from nabij.people.demo import given_times, monday_morning, pick
from nabij.people.models import Consent, ConsentPurpose, ResidentProfile
from nabij.socialmap.demo.organisations import demo_uid
from nabij.socialmap.models import Activity, ActivityStatus

GROUPS = {"small": 12, "city": 700}
STATUS = ((GroupStatus.FORMING, 15), (GroupStatus.ACTIVE, 75), (GroupStatus.ENDED, 10))
# Members of an active group: mostly 5-10 (seed 003), some too few or too many (signals).
ACTIVE_SIZES = ((range(5, 11), 80), (range(3, 5), 8), (range(11, 13), 12))
NO_TREKKER_SHARE = 0.12  # of active groups
GUIDE_SHARE = 0.4
LEFT_SHARE = 0.1  # an active group had this share of its size in members who left again
GROUP_NAMES = {
    "koken": "Kookgroep", "tuinieren": "Tuinploeg", "wandelen": "Wandelgroep", "muziek": "Zanggroep",
    "handwerk": "Breiclub", "spel": "Spelletjesgroep", "lezen": "Leesclub", "repareren": "Klusploeg",
    "natuur": "Natuurgroep", "sport": "Sportmaatjes", "kunst": "Tekengroep", "dans": "Dansgroep",
    "taal": "Taalgroep", "digitaal": "Digiclub", "gezondheid": "Gezond samen", "kinderen": "Oudergroep",
    "ontmoeten": "Koffiegroep", "bewegen": "Beweeggroep", "creatief": "Creatieve groep",
    "vrijwilligerswerk": "Vrijwilligersploeg",
}  # fmt: skip
DESCRIPTIONS = (
    "We gaan samen naar {titel}. Daarna drinken we nog wat.",
    "Elke keer spreken we samen af bij {titel}. Wie er nieuw is, halen we op.",
    "Samen naar {titel}, en we helpen elkaar op weg.",
)


def _members(
    rng: random.Random,
    size: int,
    area: int | None,
    by_area: dict[int, list[int]],
    taken: set[int],
    everyone: list[int],
) -> list[int]:
    """`size` participants, from the group's neighbourhood first; some are in a second group."""
    local = [pk for pk in by_area.get(area or 0, []) if pk not in taken or rng.random() < 0.05]
    chosen = rng.sample(local, min(size, len(local)))
    while len(chosen) < size and len(chosen) < len(everyone):
        pk = rng.choice(everyone)
        if pk not in chosen:
            chosen.append(pk)
    taken.update(chosen)
    return chosen


class GroupMaker:
    def __init__(self, ctx: DemoContext, now: dt.datetime) -> None:
        municipality = ctx.municipality
        self.rng, self.now, self.municipality = ctx.rng, now, municipality
        self.professional: User | None = next(iter(ctx.get("users:professional")), None)
        # Peer experts may guide a group too (the permission rule decides who counts as one).
        self.guides = [self.professional] if self.professional else []
        self.guides += [u for u in ctx.get("users:supporter") if permissions.can_guide_group(u, municipality)]
        activities = Activity.objects.filter(status=ActivityStatus.PUBLISHED, place__isnull=False).order_by("uid")
        self.activities = list(
            activities.values_list("pk", "title", "place__neighbourhood_id", "participation_type__code")
        )
        themes: Any = Activity.themes.through
        self.theme = dict(
            themes.objects.filter(activity__in=activities).order_by("pk").values_list("activity_id", "theme__code")
        )
        self.by_area: dict[int, list[tuple[int, str, int | None, str]]] = defaultdict(list)
        for row in self.activities:
            self.by_area[row[2] or 0].append(row)
        self.names: set[str] = set()
        self.areas = {n.pk: n.name for n in ctx.get("neighbourhoods")}

    def group(self, anchor: tuple[int, str, int | None, str], status: str) -> tuple[Group, list[int]]:
        rng = self.rng
        pk, title, area, type_code = anchor
        base = GROUP_NAMES.get(self.theme.get(pk, ""), GROUP_NAMES.get(type_code, "Buurtgroep"))
        name = f"{base} {self.areas.get(area or 0, 'Voorbeeldstad')}"
        number = 2
        while name in self.names:
            name, number = f"{base} {self.areas.get(area or 0, 'Voorbeeldstad')} {number}", number + 1
        self.names.add(name)
        created = self.now - dt.timedelta(days=rng.randint(30, 900), hours=rng.randint(0, 9))
        if status == GroupStatus.FORMING:
            created = self.now - dt.timedelta(days=rng.randint(3, 60), hours=rng.randint(0, 9))
        guide = rng.choice(self.guides) if self.guides and rng.random() < GUIDE_SHARE else None
        group = Group(
            municipality=self.municipality,
            uid=demo_uid(rng),
            name=name[:120],
            description=rng.choice(DESCRIPTIONS).format(titel=title),
            neighbourhood_id=area,
            guide=guide,
            created_by=self.professional if guide is None or rng.random() < 0.5 else guide,
            status=status,
            created_at=created,
        )
        activities = [pk]
        others = [row[0] for row in self.by_area.get(area or 0, []) if row[0] != pk]
        if others and rng.random() < 0.3:
            activities.append(rng.choice(others))
        if status == GroupStatus.ENDED:
            group.ended_at = created + (self.now - created) * rng.uniform(0.3, 0.9)
        return group, activities

    def memberships(self, group: Group, members: list[int], *, trekkers: int, former: int) -> list[Membership]:
        """Trekkers first; the last `former` members left again (all of them, when the group ended)."""
        rng, made = self.rng, []
        until = group.ended_at or self.now
        for number, profile_id in enumerate(members):
            joined = group.created_at + (until - group.created_at) * (0 if number < 2 else rng.uniform(0, 0.8))
            left = group.ended_at
            if left is None and number >= len(members) - former:
                left = joined + (until - joined) * rng.uniform(0.2, 0.9)
            made.append(
                Membership(
                    municipality=self.municipality,
                    group=group,
                    profile_id=profile_id,
                    role=MemberRole.TREKKER if number < trekkers else MemberRole.MEMBER,
                    joined_at=joined + dt.timedelta(minutes=rng.randint(0, 300)),
                    left_at=left,
                )
            )
        return made


@step(order=70, name="groups", label="Kleine groepen")
def groups(ctx: DemoContext) -> None:
    rng, now = ctx.rng, monday_morning()
    count = GROUPS.get(ctx.scale.name, GROUPS["small"])
    ctx.progress.start(count)
    maker = GroupMaker(ctx, now)
    contact = Consent.objects.filter(profile=OuterRef("pk"), purpose=ConsentPurpose.CONTACT, revoked_at__isnull=True)
    joinable = list(
        ResidentProfile.objects.filter(Exists(contact)).order_by("pk").values_list("pk", "neighbourhood_id")
    )
    by_area: dict[int, list[int]] = defaultdict(list)
    for pk, area in joinable:
        by_area[area or 0].append(pk)
    everyone = [pk for pk, _area in joinable]
    # Anchors: activities in neighbourhoods where participants who may join a group live.
    anchors = [row for row in maker.activities if by_area.get(row[2] or 0)]
    if not anchors or not everyone:
        return
    first: ResidentProfile | None = next(iter(ctx.get("profiles")), None)
    resident = first if first is not None and first.user is not None and first.pk in set(everyone) else None
    taken: set[int] = set()
    made: list[tuple[Group, list[int]]] = []
    memberships: list[Membership] = []
    # The first groups show each signal at least once: too small, too large, no trekker.
    showcase = [(GroupStatus.FORMING, 3, 0), (GroupStatus.ACTIVE, 12, 1), (GroupStatus.ACTIVE, 7, 0)]
    for number in range(count):
        mine = number == 0 and resident is not None
        if mine:  # resident@'s group: around an activity in their neighbourhood, with a trekker
            assert resident is not None
            local = [a for a in anchors if a[2] == resident.neighbourhood_id]
            status, size, trekkers, anchor = GroupStatus.ACTIVE, 7, 1, rng.choice(local or anchors)
        elif showcase:
            status, size, trekkers = showcase.pop(0)
            anchor = rng.choice(anchors)
        else:
            status, anchor = pick(rng, STATUS), rng.choice(anchors)
            if status == GroupStatus.FORMING:
                size, trekkers = rng.randint(3, 5), rng.choice((0, 1))
            else:
                size = rng.choice(pick(rng, ACTIVE_SIZES))
                no_trekker = status == GroupStatus.ACTIVE and rng.random() < NO_TREKKER_SHARE
                trekkers = 0 if no_trekker else rng.choice((1, 1, 2))
        group, activities = maker.group(anchor, status)
        # Members who left again come on top: the group's current size stays as drawn.
        former = sum(rng.random() < LEFT_SHARE for _member in range(size)) if status == GroupStatus.ACTIVE else 0
        members = _members(rng, size + former, group.neighbourhood_id, by_area, taken, everyone)
        if mine:
            assert resident is not None
            members = [pk for pk in members if pk != resident.pk][: size + former - 1]
            members.insert(trekkers, resident.pk)  # an ordinary member, after the trekker
        group.capacity = max(LARGEST, len(members) - former)
        made.append((group, activities))
        memberships += maker.memberships(group, members, trekkers=trekkers, former=former)
    with given_times(Group, "created_at"):
        Group.objects.bulk_create([group for group, _a in made])
    through: Any = Group.activities.through
    through.objects.bulk_create(
        [through(group_id=group.pk, activity_id=pk) for group, activities in made for pk in activities]
    )
    with given_times(Membership, "joined_at"):
        Membership.objects.bulk_create(memberships, batch_size=2_000)
    ctx.add("groups", [group for group, _a in made])
    ctx.add("memberships", memberships)
    ctx.progress.advance(count)
