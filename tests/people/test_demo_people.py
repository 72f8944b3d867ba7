"""The demo's participants, supporters, relations, groups and referrals (issue 4, item 11).

Expected shares are worked out by hand from the shares the demo documents (nabij.people.demo), with
a tolerance of three binomial standard errors for the sample at hand: at n = 150, sqrt(p(1-p)/n)
is 0.040 for p = 0.43, so ±0.12. The loneliness distribution is also checked on 20,000 draws, where
three standard errors are 0.011 (p = 0.49) and 0.007 (p = 0.14); the tolerances there, 0.02 and
0.015, leave room for nothing but sampling noise. Scores are recomputed here with a scorer written
from DESIGN.md §2, not with the code under test.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django_scopes import scope

from nabij.core.models import Municipality
from nabij.demo.generator import generate_demo
from nabij.groups.models import Group, GroupStatus, MemberRole, Membership
from nabij.people.demo import draw_loneliness_total, loneliness_answers
from nabij.people.models import Consent, LadderMeasurement, LonelinessMeasurement, ResidentProfile
from nabij.socialmap.models import barriers_by_code
from nabij.support.models import ContactMoment, Referral, Supporter, SupportRelation

pytestmark = pytest.mark.django_db

OPEN = ("proposed", "introduced", "active")
# DESIGN.md §2: negative (emotional) items score on ja or min of meer, positive (social) ones on
# nee or min of meer.
EMOTIONAL_ITEMS = (2, 3, 5, 6, 9, 10)


def score(answers: list[str]) -> tuple[int, int, int]:
    """Total, emotional and social score of an 11-item answer set, by the book."""
    emotional = social = 0
    for number, answer in enumerate(answers, start=1):
        if number in EMOTIONAL_ITEMS:
            emotional += answer in ("ja", "min of meer")
        else:
            social += answer in ("nee", "min of meer")
    return emotional + social, emotional, social


def category(total: int) -> str:
    if total >= 11:
        return "zeer ernstig eenzaam"
    if total >= 9:
        return "ernstig eenzaam"
    return "matig eenzaam" if total >= 3 else "niet eenzaam"


def small_demo(seed: int = 1) -> Municipality:
    return generate_demo(scale="small", seed=seed).municipality


def test_the_scorer_of_these_tests_scores_the_issues_example() -> None:
    answers = ["nee", "min of meer", "nee", "ja", "ja", "nee", "min of meer", "ja", "min of meer", "nee", "ja"]
    assert score(answers) == (5, 3, 2)


def test_drawn_answers_score_exactly_the_drawn_total() -> None:
    rng = random.Random(7)
    for total in range(12):
        for _repeat in range(20):
            answers = loneliness_answers(rng, total)
            assert len(answers) == 11
            assert set(answers) <= {"ja", "min of meer", "nee"}
            assert score(answers)[0] == total


def test_loneliness_on_a_large_sample_matches_the_gezondheidsmonitor() -> None:
    """GGD Gezondheidsmonitor 2022, adults: 49% score 3 or more, 14% score 9 or more."""
    rng = random.Random(2022)
    totals = [score(loneliness_answers(rng, draw_loneliness_total(rng)))[0] for _n in range(20_000)]
    at_least_3 = sum(t >= 3 for t in totals) / len(totals)
    at_least_9 = sum(t >= 9 for t in totals) / len(totals)
    assert at_least_3 == pytest.approx(0.49, abs=0.02)
    assert at_least_9 == pytest.approx(0.14, abs=0.015)
    assert any(t == 0 for t in totals) and any(t == 11 for t in totals)


def test_shares_of_the_small_demo() -> None:
    municipality = small_demo()
    with scope(municipality=municipality):
        profiles = list(ResidentProfile.objects.all())
        n = len(profiles)
        assert n == 150
        types = Counter(p.isolation_type for p in profiles)
        # Dutch background weighs 50 of 97: 0.5155 x (55, 15, 30)% + 0.4845 x (30, 50, 20)%.
        assert types["individual"] / n == pytest.approx(0.429, abs=0.12)
        assert types["collective"] / n == pytest.approx(0.320, abs=0.12)
        assert types["social_and_personal"] / n == pytest.approx(0.251, abs=0.12)
        # Dutch spoken: the background weights times each background's share of Dutch speakers.
        assert sum("nl" in p.languages for p in profiles) / n == pytest.approx(0.886, abs=0.08)
        assert Counter(code for p in profiles for code in p.languages).keys() > {"nl", "ar", "tr"}
        # 40% wait for a supporter (asked for one, no open relation), 40% have one, 10% had one,
        # 10% want none; 2.5% revoked their consent to support: 87.5% may be matched.
        has_one = set(SupportRelation.objects.filter(status__in=OPEN).values_list("participant_id", flat=True))
        waiting = [p for p in profiles if p.support_wanted_since is not None and p.pk not in has_one]
        assert len(waiting) / n == pytest.approx(0.40, abs=0.12)
        assert len(has_one) / n == pytest.approx(0.40, abs=0.12)
        supported = ResidentProfile.objects.with_consent("support").count()
        assert supported / n == pytest.approx(0.875, abs=0.08)
        assert all(p.birth_year_band and p.neighbourhood_id and p.interests and p.availability for p in profiles)
        assert len({p.birth_year_band for p in profiles}) >= 6

        # The socially-and-personally isolated are more often sensitive to the epa barriers.
        masks = barriers_by_code(municipality)
        for code in ("cost", "registration", "crowded", "no_host"):
            bit = masks[code].mask

            def share(kind: str, bit: int = bit) -> float:
                group = [p for p in profiles if p.isolation_type == kind]
                return sum(bool(p.barrier_mask & bit) for p in group) / len(group)

            assert share("social_and_personal") > share("individual") + 0.1, code

        supporters = list(Supporter.objects.all())
        assert len(supporters) == 50
        assert {s.role for s in supporters} == {
            "maatje",
            "buddy",
            "mentor",
            "ervaringsdeskundige",
            "vertrouwenspersoon",
        }
        today = timezone.localdate()
        valid = [s for s in supporters if s.vog_valid_on(today)]
        expired = [s for s in supporters if s.vog_status == "issued" and not s.vog_valid_on(today)]
        # 72% valid, n = 50: three standard errors are 0.19.
        assert len(valid) / 50 == pytest.approx(0.72, abs=0.19)
        assert expired and any(s.vog_status == "none" for s in supporters)
        assert {s.capacity for s in supporters} <= {1, 2, 3}
        lifts = masks["no_host"].mask | masks["registration"].mask
        assert all(s.lifts_mask == lifts for s in supporters)


def test_loneliness_and_ladder_measurements_of_the_small_demo() -> None:
    municipality = small_demo()
    with scope(municipality=municipality):
        measurements = list(LonelinessMeasurement.objects.order_by("measured_on", "pk"))
        for m in measurements:
            assert m.version == 11
            assert (m.total, m.emotional, m.social) == score(m.answers)
            assert m.category == category(m.total or 0)
        first: dict[int, LonelinessMeasurement] = {}
        later: dict[int, LonelinessMeasurement] = {}
        for m in measurements:
            (later if m.profile_id in first else first)[m.profile_id] = m
        n = len(first)
        # 85% measured: about 128 of 150.
        assert 100 <= n <= 150
        assert sum((m.total or 0) >= 3 for m in first.values()) / n == pytest.approx(0.49, abs=0.13)
        assert sum((m.total or 0) >= 9 for m in first.values()) / n == pytest.approx(0.14, abs=0.09)
        assert later, "some are measured before and after"
        assert all(later[pk].measured_on > first[pk].measured_on for pk in later)
        # Ranked by vulnerability: the socially-and-personally isolated are the loneliest.
        kinds = dict(ResidentProfile.objects.values_list("pk", "isolation_type"))
        by_kind = defaultdict(list)
        for pk, m in first.items():
            by_kind[kinds[pk]].append(m.total or 0)
        mean = {kind: sum(totals) / len(totals) for kind, totals in by_kind.items()}
        assert mean["social_and_personal"] > mean["individual"]

        ladder = list(LadderMeasurement.objects.order_by("measured_on", "pk"))
        assert {m.rung for m in ladder} <= set(range(1, 7))
        twice = Counter(m.profile_id for m in ladder)
        assert any(count == 2 for count in twice.values())
        assert set(twice) == set(first)


def test_references_are_sound() -> None:
    municipality = small_demo()
    today = timezone.localdate()
    with scope(municipality=municipality):
        profiles = ResidentProfile.objects.all()
        # A profile exists only with a consent: every one has a current one.
        assert not profiles.exclude(consents__revoked_at__isnull=True).exists()
        for consent in Consent.objects.all():
            assert consent.given_by and consent.recorded_by_id
            assert consent.revoked_at is None or consent.given_at < consent.revoked_at <= timezone.now()

        relations = SupportRelation.objects.select_related("participant", "supporter")
        assert {r.status for r in relations} == {"proposed", "introduced", "active", "ended"}
        open_relations = [r for r in relations if r.status in OPEN]
        # No supporter over capacity; one open relation per participant at most.
        per_supporter = Counter(r.supporter_id for r in open_relations)
        capacity = dict(Supporter.objects.values_list("pk", "capacity"))
        assert all(count <= capacity[pk] for pk, count in per_supporter.items())
        assert max(Counter(r.participant_id for r in open_relations).values()) == 1
        # The VOG rule, and consent to support, in every open relation.
        supported = set(profiles.with_consent("support").values_list("pk", flat=True))
        for relation in open_relations:
            if relation.participant.requires_vog:
                assert relation.supporter.vog_valid_on(today), relation
            assert relation.participant_id in supported
            # Asked for support; the waiting list leaves them out because of this relation.
            assert relation.participant.support_wanted_since is not None
        for relation in relations:
            begin = timezone.localtime(relation.proposed_at).date()
            assert (relation.started_on is not None) == (relation.status in ("active", "ended"))
            assert relation.started_on is None or begin <= relation.started_on <= today
            assert (relation.ended_on is not None) == (relation.status == "ended")
            if relation.end_reason == "consent_revoked":
                assert relation.participant_id not in supported
            # As the relation services do: after these endings nobody waits, after the others they do.
            if relation.status == "ended":
                stops = relation.end_reason in ("goal_reached", "participant_stopped", "consent_revoked")
                assert (relation.participant.support_wanted_since is None) == stops, relation.end_reason
        for contact in ContactMoment.objects.select_related("relation"):
            relation = contact.relation
            assert timezone.localtime(relation.proposed_at).date() <= contact.on <= (relation.ended_on or today)
        # Who asked for a supporter may be matched.
        assert set(profiles.filter(support_wanted_since__isnull=False).values_list("pk", flat=True)) <= supported

        # Groups: members may be contacted, current members fit, each group has its activities.
        contactable = set(profiles.with_consent("contact").values_list("pk", flat=True))
        groups = Group.objects.annotate(
            members=Count("memberships", filter=Q(memberships__left_at__isnull=True), distinct=True),
            activity_count=Count("activities", distinct=True),
        )
        for group in groups:
            assert group.members <= group.capacity
            assert 1 <= group.activity_count <= 2
            if group.status == GroupStatus.ENDED:
                assert group.members == 0 and group.ended_at is not None
        assert set(Membership.objects.values_list("profile_id", flat=True)) <= contactable

        # Referrals: only with a referral consent; a revoked one pauses what was still open.
        referral_consent = defaultdict(list)
        for profile_id, revoked in Consent.objects.filter(purpose="referral").values_list("profile_id", "revoked_at"):
            referral_consent[profile_id].append(revoked)
        referrals = list(Referral.objects.all())
        assert {r.status for r in referrals} == {"proposed", "introduced", "participating", "stopped"}
        assert all(r.activity_id for r in referrals if not (r.group_id or r.supporter_id))
        assert {bool(r.activity_id) for r in referrals} == {True, False}
        assert any(r.group_id for r in referrals) and any(r.supporter_id for r in referrals)
        for referral in referrals:
            consents = referral_consent[referral.profile_id]
            assert consents, referral
            withdrawn = None not in consents
            if referral.status in ("proposed", "introduced"):
                assert (referral.paused_at is not None) == withdrawn
            assert referral.created_at <= timezone.now()


def test_the_coordinators_signals_have_something_to_show() -> None:
    municipality = small_demo()
    four_weeks_ago = timezone.localdate() - dt.timedelta(weeks=4)
    with scope(municipality=municipality):
        active = SupportRelation.objects.filter(status="active").annotate(last=Max("contacts__on"))
        assert any(r.last is None or r.last < four_weeks_ago for r in active)
        assert any(r.last is not None and r.last >= four_weeks_ago for r in active)
        running = Group.objects.exclude(status=GroupStatus.ENDED).annotate(
            members=Count("memberships", filter=Q(memberships__left_at__isnull=True)),
            trekkers=Count("memberships", filter=Q(memberships__left_at__isnull=True, memberships__role="trekker")),
        )
        sizes = [g.members for g in running]
        assert any(size < 5 for size in sizes) and any(size > 10 for size in sizes)
        assert any(5 <= size <= 10 for size in sizes)
        assert any(g.trekkers == 0 for g in running) and any(g.trekkers > 0 for g in running)


def test_the_demo_logins_have_their_own_story() -> None:
    municipality = small_demo()
    with scope(municipality=municipality):
        resident = ResidentProfile.objects.get(user__email="resident@voorbeeldstad.nl")
        assert {c.purpose for c in resident.consents.filter(revoked_at__isnull=True)} == {
            "support",
            "referral",
            "monitoring",
            "contact",
        }
        supporter = Supporter.objects.get(user__email="supporter@voorbeeldstad.nl")
        assert supporter.vog_valid_on(timezone.localdate())
        relation = SupportRelation.objects.get(participant=resident, status__in=OPEN)
        assert relation.supporter == supporter and relation.status == "active"
        assert relation.contacts.exists()
        assert SupportRelation.objects.filter(supporter=supporter, status__in=OPEN).count() >= 2
        # In an active group with a trekker (and maybe, like some people, in a second one).
        groups = [m.group for m in Membership.objects.filter(profile=resident, left_at__isnull=True)]
        assert any(
            group.status == GroupStatus.ACTIVE
            and group.memberships.filter(role=MemberRole.TREKKER, left_at__isnull=True).exists()
            for group in groups
        )
        assert LonelinessMeasurement.objects.filter(profile=resident).count() == 2
        # The extra resident accounts own profiles too; the other supporters' accounts are supporters.
        assert ResidentProfile.objects.filter(user__isnull=False).count() == 21
        assert Supporter.objects.filter(user__isnull=False).count() == 7


def snapshot() -> dict[str, Any]:
    municipality = Municipality.objects.get(code="GM9999")
    with scope(municipality=municipality):
        return {
            "profiles": list(
                ResidentProfile.objects.order_by("key").values_list(
                    "key", "name", "isolation_type", "barrier_mask", "availability", "support_wanted_since"
                )
            ),
            "consents": sorted(Consent.objects.values_list("profile__key", "purpose", "given_at", "revoked_at")),
            "loneliness": sorted(LonelinessMeasurement.objects.values_list("profile__key", "measured_on", "total")),
            "supporters": sorted(Supporter.objects.values_list("name", "role", "capacity", "availability")),
            "relations": sorted(
                SupportRelation.objects.values_list("participant__key", "supporter__name", "status", "proposed_at")
            ),
            "contacts": ContactMoment.objects.count(),
            "groups": sorted(Group.objects.values_list("uid", "name", "status", "created_at")),
            "memberships": sorted(Membership.objects.values_list("group__uid", "profile__key", "role", "joined_at")),
            "referrals": sorted(
                (str(key), status, created.isoformat(), note)
                for key, status, created, note in Referral.objects.values_list(
                    "profile__key", "status", "created_at", "note"
                )
            ),
        }


def generate_and_forget(seed: int) -> dict[str, Any]:
    with transaction.atomic():
        generate_demo(scale="small", seed=seed)
        taken = snapshot()
        transaction.set_rollback(True)
    return taken


def test_the_same_seed_gives_the_same_people_and_another_seed_others() -> None:
    first = generate_and_forget(4)
    again = generate_and_forget(4)
    other = generate_and_forget(5)
    assert first == again
    for kind in ("profiles", "consents", "loneliness", "supporters", "relations", "groups", "referrals"):
        assert first[kind] != other[kind], kind
