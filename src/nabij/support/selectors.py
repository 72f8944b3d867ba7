"""Composed reads of the support app. Reads of residents' profiles by others are audited here.

- who waits and who has room (what a matching round reads), as rows for the matching model;
- a supporter's own participants, one relation, the relations without contact (signals);
- a round's proposals, and the best supporters for one participant now;
- recommendations for a profile: the social map's "activities for me", with what a supporter lifts.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest
from django.utils import timezone

from nabij.accounts import permissions
from nabij.core.audit import audit
from nabij.core.models import AuditAction, AuditPurpose, Municipality
from nabij.people.models import Consent, ConsentPurpose, ResidentProfile
from nabij.socialmap.models import AMSTERDAM, barriers_by_code
from nabij.socialmap.search import ActivityFilter, Point, Suggestion, activities_for_me
from nabij.support.matching import (
    Explainer,
    MatchRules,
    ParticipantRow,
    SupporterRow,
    pair_cost,
    pair_facts,
)
from nabij.support.matching.rules import normalise_interests, normalise_languages
from nabij.support.models import (
    OPEN_STATUSES,
    VOG_VALID_FOR,
    EndReason,
    MatchingRound,
    MatchProposal,
    ProposalDecision,
    RelationStatus,
    Supporter,
    SupportRelation,
    VogStatus,
)

PROFILE_RECORD = "people.residentprofile"
PROPOSALS_PAGE_SIZE = 50
# Relations that count for the barriers a supporter lifts: they go along.
LIFTING_STATUSES = (RelationStatus.INTRODUCED, RelationStatus.ACTIVE)


def today() -> dt.date:
    return timezone.now().astimezone(AMSTERDAM).date()


def contact_signal_weeks() -> int:
    """After how many weeks without contact an active relation shows up as a signal."""
    return int(getattr(settings, "NABIJ_CONTACT_SIGNAL_WEEKS", 4))


def audit_profiles_read(
    *, user: Any, municipality: Municipality, purpose: str, keys: Iterable[Any], listing: str
) -> None:
    """One entry for a page or answer that shows these residents (by key, never by name)."""
    keys = [str(key) for key in keys]
    if not keys:
        return
    audit(
        actor=user,
        municipality=municipality,
        action=AuditAction.READ,
        purpose=purpose,
        record_type=PROFILE_RECORD,
        record_ref=keys[0] if len(keys) == 1 else "",
        detail={"list": listing, "count": len(keys), "keys": keys},
    )


# ---------------------------------------------------------------------------------------------
# Who waits, who has room (a round's input)
# ---------------------------------------------------------------------------------------------


def _open_relation(field: str) -> Exists:
    return Exists(SupportRelation.objects.filter(**{field: OuterRef("pk")}, status__in=OPEN_STATUSES))


def waiting_participants(municipality: Municipality) -> QuerySet[ResidentProfile]:
    """Want a supporter, consent to support now, no open relation, not held by a pending proposal."""
    return (
        ResidentProfile.objects.with_consent(ConsentPurpose.SUPPORT)
        .filter(municipality=municipality, support_wanted_since__isnull=False)
        .exclude(_open_relation("participant"))
        .exclude(Exists(MatchProposal.objects.filter(participant=OuterRef("pk"), decision=ProposalDecision.PENDING)))
    )


def _count(queryset: QuerySet[Any], field: str) -> Coalesce:
    counted = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def supporters_with_room(municipality: Municipality) -> QuerySet[Supporter]:
    """Active supporters with free capacity: capacity minus open relations minus pending proposals."""
    return (
        Supporter.objects.filter(municipality=municipality, active=True)
        .annotate(
            open_relations=_count(SupportRelation.objects.filter(status__in=OPEN_STATUSES), "supporter"),
            held=_count(MatchProposal.objects.filter(decision=ProposalDecision.PENDING), "supporter"),
        )
        .annotate(free=F("capacity") - F("open_relations") - F("held"))
        .filter(free__gt=0)
    )


def free_capacity(supporter: Supporter) -> int:
    open_relations = SupportRelation.objects.filter(supporter=supporter, status__in=OPEN_STATUSES).count()
    held = MatchProposal.objects.filter(supporter=supporter, decision=ProposalDecision.PENDING).count()
    return max(0, supporter.capacity - open_relations - held)


def participant_rows(profiles: QuerySet[ResidentProfile]) -> list[ParticipantRow]:
    fields = (
        "pk",
        "neighbourhood_id",
        "neighbourhood__centroid_lat",
        "neighbourhood__centroid_lon",
        "availability",
        "languages",
        "interests",
        "requires_vog",
    )
    return [
        ParticipantRow(
            id=pk,
            area=area,
            lat=lat,
            lon=lon,
            availability=availability,
            languages=normalise_languages(languages or ()),
            interests=normalise_interests(interests or ()),
            requires_vog=requires_vog,
        )
        for pk, area, lat, lon, availability, languages, interests, requires_vog in profiles.values_list(*fields)
    ]


def supporter_rows(supporters: QuerySet[Supporter], day: dt.date) -> list[SupporterRow]:
    """Rows of `supporters_with_room` (annotated with `free`); VOG validity on `day`."""
    fields = (
        "pk",
        "neighbourhood_id",
        "neighbourhood__centroid_lat",
        "neighbourhood__centroid_lon",
        "availability",
        "languages",
        "interests",
        "vog_status",
        "vog_issued_on",
        "free",
    )
    oldest_valid = day - VOG_VALID_FOR
    return [
        SupporterRow(
            id=pk,
            area=area,
            lat=lat,
            lon=lon,
            availability=availability,
            languages=normalise_languages(languages or ()),
            interests=normalise_interests(interests or ()),
            # The same rule as Supporter.vog_valid_on.
            vog_valid=vog_status == VogStatus.ISSUED and issued_on is not None and issued_on > oldest_valid,
            free=free,
        )
        for (pk, area, lat, lon, availability, languages, interests, vog_status, issued_on, free) in (
            supporters.values_list(*fields)
        )
    ]


def forbidden_pairs(municipality: Municipality) -> set[tuple[int, int]]:
    """Pairs not to propose again: rejected by a coordinator, or a relation that did not click."""
    rejected = MatchProposal.objects.filter(municipality=municipality, decision=ProposalDecision.REJECTED)
    no_click = SupportRelation.objects.filter(municipality=municipality, end_reason=EndReason.NO_CLICK)
    return set(rejected.values_list("participant_id", "supporter_id")) | set(
        no_click.values_list("participant_id", "supporter_id")
    )


# ---------------------------------------------------------------------------------------------
# One participant now: the best few supporters, explained
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    supporter: Supporter
    cost: float
    explanation: str


def candidates_for(
    profile: ResidentProfile,
    *,
    rules: MatchRules | None = None,
    limit: int = 5,
    day: dt.date | None = None,
    supporter_id: int | None = None,
) -> list[Candidate]:
    """The `limit` cheapest eligible supporters for one participant, by the rules of a round
    (or only the supporter `supporter_id`, if that one is eligible).

    No audit here: the caller (a page, the service that proposes) reads the profile through
    `participant_for_matching`, which writes it.
    """
    rules = rules or MatchRules()
    day = day or today()
    rows = participant_rows(ResidentProfile.objects.filter(pk=profile.pk).select_related("neighbourhood"))
    if not rows:
        return []
    participant = rows[0]
    forbidden = {s for p, s in forbidden_pairs(profile.municipality) if p == profile.pk}
    supporters = supporters_with_room(profile.municipality).select_related("neighbourhood")
    if supporter_id is not None:
        supporters = supporters.filter(pk=supporter_id)
    by_pk = {s.pk: s for s in supporters}
    scored: list[tuple[float, str, int, Any]] = []
    for row in supporter_rows(supporters, day):
        if row.id in forbidden:
            continue
        facts = pair_facts(participant, row, rules)
        if facts.eligible:
            scored.append((pair_cost(facts, rules), by_pk[row.id].name, row.id, facts))
    scored.sort(key=lambda item: item[:3])
    explain = Explainer()
    return [
        Candidate(
            supporter=by_pk[pk],
            cost=cost,
            explanation=explain(facts, own_language=participant.languages[0], vog_needed=participant.requires_vog),
        )
        for cost, _name, pk, facts in scored[:limit]
    ]


def participant_for_matching(
    user: Any, municipality: Municipality, key: Any, *, request: HttpRequest | None = None
) -> ResidentProfile:
    """A waiting participant, for a coordinator who looks for a supporter now; audited. Else 404."""
    if not permissions.can_manage_support(user, municipality):
        raise Http404
    try:
        key = uuid.UUID(str(key))
    except ValueError as error:
        raise Http404 from error
    # The same rule as the waiting list it is chosen from: support coordination, and (through
    # waiting_participants) a current consent for support.
    profile = waiting_participants(municipality).filter(key=key).select_related("neighbourhood").first()
    if profile is None:
        raise Http404
    audit_profiles_read(
        user=user, municipality=municipality, purpose=AuditPurpose.SUPPORT, keys=[profile.key], listing="match_now"
    )
    return profile


def waiting_list(user: Any, municipality: Municipality, *, limit: int = 200) -> list[ResidentProfile]:
    """Who waits longest first, for the coordinator's "find a supporter now" choice; audited."""
    if not permissions.can_manage_support(user, municipality):
        raise Http404
    profiles = list(
        waiting_participants(municipality)
        .select_related("neighbourhood")
        .order_by("support_wanted_since", "pk")[:limit]
    )
    audit_profiles_read(
        user=user,
        municipality=municipality,
        purpose=AuditPurpose.SUPPORT,
        keys=[p.key for p in profiles],
        listing="waiting",
    )
    return profiles


# ---------------------------------------------------------------------------------------------
# Rounds and their proposals
# ---------------------------------------------------------------------------------------------


def round_for(user: Any, municipality: Municipality, pk: Any) -> MatchingRound:
    if not permissions.can_manage_support(user, municipality):
        raise Http404
    found = MatchingRound.objects.filter(municipality=municipality, pk=pk).select_related("task_run").first()
    if found is None:
        raise Http404
    return found


def with_support_consent(proposals: Any) -> Any:
    """Only proposals whose participant still consents to support: a revoked consent hides them."""
    current = Consent.objects.filter(
        profile=OuterRef("participant"), purpose=ConsentPurpose.SUPPORT, revoked_at__isnull=True
    )
    return proposals.filter(Exists(current))


def round_proposals(
    user: Any, matching_round: MatchingRound, *, page: Any = 1, decision: str | None = None
) -> Page[MatchProposal]:
    """One page of a round's proposals, cheapest first; the residents shown are audited."""
    proposals = with_support_consent(MatchProposal.objects.filter(round=matching_round)).select_related(
        "participant", "participant__neighbourhood", "supporter", "supporter__neighbourhood"
    )
    if decision:
        proposals = proposals.filter(decision=decision)
    result = Paginator(proposals.order_by("cost", "pk"), PROPOSALS_PAGE_SIZE).get_page(page)
    audit_profiles_read(
        user=user,
        municipality=matching_round.municipality,
        purpose=AuditPurpose.SUPPORT,
        keys=[proposal.participant.key for proposal in result],
        listing="proposals",
    )
    return result


def proposal_counts(matching_round: MatchingRound) -> dict[str, int]:
    counts = dict(
        MatchProposal.objects.filter(round=matching_round)
        .order_by()
        .values_list("decision")
        .annotate(n=Count("pk"))
        .values_list("decision", "n")
    )
    return {decision: counts.get(decision, 0) for decision in ProposalDecision.values}


def proposal_for(user: Any, municipality: Municipality, pk: Any) -> MatchProposal:
    if not permissions.can_manage_support(user, municipality):
        raise Http404
    proposal = (
        MatchProposal.objects.filter(municipality=municipality, pk=pk)
        .select_related("participant", "supporter", "round")
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


# ---------------------------------------------------------------------------------------------
# Relations: a supporter's own, one relation, and the signals
# ---------------------------------------------------------------------------------------------


def supporter_of_user(user: Any, municipality: Municipality) -> Supporter | None:
    if not permissions.is_supporter_in(user, municipality):
        return None
    return Supporter.objects.filter(municipality=municipality, user=user).first()


def _with_last_contact(relations: QuerySet[SupportRelation]) -> QuerySet[SupportRelation]:
    return relations.annotate(last_contact=Max("contacts__on"), contact_count=Count("contacts"))


@dataclass(frozen=True)
class MyParticipant:
    relation: SupportRelation
    contact_email: str  # empty without a current consent for contact


def my_participants(user: Any, municipality: Municipality) -> list[MyParticipant]:
    """The supporter's open relations, with what they may see of each participant; audited."""
    supporter = supporter_of_user(user, municipality)
    if supporter is None:
        raise Http404
    relations = list(
        _with_last_contact(
            SupportRelation.objects.filter(supporter=supporter, status__in=OPEN_STATUSES)
            .exclude(participant__erased_at__isnull=False)
            .select_related("participant", "participant__neighbourhood", "participant__user")
        ).order_by("proposed_at", "pk")
    )
    result = [
        # Contact details only with a current consent for contact (and never without an account).
        MyParticipant(
            relation,
            relation.participant.user.email
            if relation.participant.user is not None and relation.participant.has_consent(ConsentPurpose.CONTACT)
            else "",
        )
        for relation in relations
    ]
    audit_profiles_read(
        user=user,
        municipality=municipality,
        purpose=AuditPurpose.SUPPORT,
        keys=[relation.participant.key for relation in relations],
        listing="my_participants",
    )
    return result


def relation_for(user: Any, municipality: Municipality, pk: Any) -> SupportRelation:
    """One relation for its supporter or a coordinator; the participant read is audited. Else 404."""
    relation = (
        _with_last_contact(SupportRelation.objects.filter(municipality=municipality, pk=pk))
        .select_related("participant", "participant__neighbourhood", "participant__user", "supporter", "municipality")
        .first()
    )
    if relation is None or not permissions.can_view_support_relation(user, relation):
        raise Http404
    # Without a current consent for support nobody but the resident may see the participant again.
    if not relation.participant.has_consent(ConsentPurpose.SUPPORT):
        raise Http404
    audit_profiles_read(
        user=user,
        municipality=municipality,
        purpose=AuditPurpose.SUPPORT,
        keys=[relation.participant.key],
        listing="relation",
    )
    return relation


@dataclass(frozen=True)
class ContactSignal:
    relation: SupportRelation
    last_contact: dt.date | None
    since: dt.date  # the last contact, or the start of the relation without any
    weeks: int


def relations_without_contact(
    user: Any, municipality: Municipality, *, weeks: int | None = None, day: dt.date | None = None
) -> list[ContactSignal]:
    """Active relations without a contact moment for `weeks` weeks (default: the setting).

    A relation without any contact counts from its start (or, without one, from when it was
    proposed). Longest silence first. The participants shown are audited.
    """
    if not permissions.can_manage_support(user, municipality):
        raise Http404
    weeks = contact_signal_weeks() if weeks is None else weeks
    day = day or today()
    limit = day - dt.timedelta(weeks=weeks)
    relations = _with_last_contact(
        SupportRelation.objects.filter(municipality=municipality, status=RelationStatus.ACTIVE)
    ).select_related("participant", "participant__neighbourhood", "supporter")
    signals = []
    for relation in relations:
        last: dt.date | None = relation.last_contact  # type: ignore[attr-defined]
        since = last or relation.started_on or relation.proposed_at.astimezone(AMSTERDAM).date()
        if since <= limit:
            signals.append(ContactSignal(relation, last, since, (day - since).days // 7))
    signals.sort(key=lambda s: (s.since, s.relation.pk))
    audit_profiles_read(
        user=user,
        municipality=municipality,
        purpose=AuditPurpose.SUPPORT,
        keys=[s.relation.participant.key for s in signals],
        listing="contact_signals",
    )
    return signals


def supporters_list(user: Any, municipality: Municipality, *, active: bool | None = None) -> QuerySet[Supporter]:
    """The municipality's supporters with their open relations counted (coordinators only)."""
    if not permissions.can_manage_support(user, municipality):
        raise Http404
    supporters = Supporter.objects.filter(municipality=municipality).select_related("neighbourhood", "user")
    if active is not None:
        supporters = supporters.filter(active=active)
    return supporters.annotate(
        open_relations=_count(SupportRelation.objects.filter(status__in=OPEN_STATUSES), "supporter")
    ).order_by("name", "pk")


def supporter_for(user: Any, municipality: Municipality, pk: Any) -> Supporter:
    found = supporters_list(user, municipality).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# ---------------------------------------------------------------------------------------------
# Recommendations
# ---------------------------------------------------------------------------------------------


def lifted_mask(profile: ResidentProfile) -> int:
    """The barriers the profile's supporters lift by going along (introduced or active relations)."""
    mask = 0
    for lifts in Supporter.objects.filter(
        Q(relations__participant=profile) & Q(relations__status__in=LIFTING_STATUSES)
    ).values_list("lifts_mask", flat=True):
        mask |= lifts
    return mask


def recommendations_for(profile: ResidentProfile, *, actor: Any = None, limit: int = 20) -> list[Suggestion]:
    """The wayfinder's ranking for this profile: its barriers, its neighbourhood's centroid, its
    isolation type and preferred participation types; barriers its supporter lifts do not count.

    With preferred types that nothing matches, the ranking runs without them: a short list of
    other activities helps more than an empty one. `actor`: who asks, audited unless the resident.
    """
    municipality = profile.municipality
    catalogue = barriers_by_code(municipality)
    codes = frozenset(code for code, barrier in catalogue.items() if profile.barrier_mask & barrier.mask)
    lifts = lifted_mask(profile)
    lifted = frozenset(code for code, barrier in catalogue.items() if lifts & barrier.mask)
    near = None
    if profile.neighbourhood is not None:
        near = Point(profile.neighbourhood.centroid_lat, profile.neighbourhood.centroid_lon)
    types = frozenset(profile.preferred_types.values_list("code", flat=True))
    arguments: dict[str, Any] = {
        "barriers": codes,
        "near": near,
        "isolation_type": profile.isolation_type or None,
        "lifted": lifted,
        "limit": limit,
    }
    suggestions = activities_for_me(
        municipality, filters=ActivityFilter(participation_types=types) if types else None, **arguments
    )
    if types and not suggestions:
        suggestions = activities_for_me(municipality, **arguments)
    if actor is not None and not permissions.is_profile_owner(actor, profile):
        audit_profiles_read(
            user=actor,
            municipality=municipality,
            purpose=AuditPurpose.SUPPORT,
            keys=[profile.key],
            listing="recommendations",
        )
    return suggestions
