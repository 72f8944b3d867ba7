"""The support API under /api/v1/municipalities/{code}/: matching rounds and their proposals,
supporters, and a supporter's own participants and contact moments.

The same rules as the pages (`accounts.permissions`): rounds, proposals and supporters are for
the municipality's coordinators and admins, after the second factor (or with a token made after
it); a supporter sees only their own participants. Anyone else gets 404, also from another
municipality. Reads of residents are audited in `support.selectors`. Reference: docs/support.md.
"""

# No `from __future__ import annotations`: Ninja resolves these annotations at import.

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from nabij.accounts import permissions
from nabij.accounts.authentication import AUTHENTICATED
from nabij.accounts.models import User
from nabij.core.api_types import MunicipalityCode, request_municipality
from nabij.core.models import Municipality
from nabij.core.pagination import PageNumberPagination, PageParams
from nabij.core.problems import SECOND_FACTOR_REQUIRED, ProblemError, responses
from nabij.socialmap.api_access import reported_as_body_errors
from nabij.support import selectors, services
from nabij.support.models import (
    ContactKind,
    ContactMoment,
    MatchingRound,
    MatchProposal,
    ProposalDecision,
    RelationStatus,
    RoundStatus,
    Supporter,
    SupporterRole,
    SupportRelation,
    VogStatus,
)

router = Router(tags=["support"], auth=AUTHENTICATED)
BASE = "/municipalities/{municipality}"
RoundId = Annotated[int, Path(description="The id of the matching round.")]
ProposalId = Annotated[int, Path(description="The id of the proposal.")]
SupporterId = Annotated[int, Path(description="The id of the supporter.")]
RelationId = Annotated[int, Path(description="The id of the support relation.")]


def _coordinator(request: HttpRequest) -> tuple[User, Municipality]:
    municipality = request_municipality(request)
    user = permissions.authenticated_user(request)
    if not permissions.can_manage_support(user, municipality):
        raise Http404
    if not permissions.may_see_personal_data(user, request):
        raise ProblemError(
            SECOND_FACTOR_REQUIRED,
            gettext(
                "Log eerst in met je tweede stap (authenticator-app), of gebruik een API-sleutel die je daarna "
                "hebt aangemaakt: hier staan gegevens van bewoners."
            ),
        )
    return user, municipality


def _supporter(request: HttpRequest) -> tuple[User, Municipality]:
    municipality = request_municipality(request)
    user = permissions.authenticated_user(request)
    if not permissions.is_supporter_in(user, municipality):
        raise Http404
    return user, municipality


# --- schemas -----------------------------------------------------------------------------------


class RoundIn(Schema):
    max_distance_m: int | None = Field(
        None, description="At most this many metres walking between their neighbourhoods (200-20000; default 3000)."
    )
    candidates_per_participant: int | None = Field(
        None, description="Keep the cheapest this many supporters per participant (1-500; default 50)."
    )
    distance_weight: float | None = Field(None, description="Cost per walking kilometre (0-10; default 1).")
    interest_weight: float | None = Field(
        None, description="Cost per shared interest short of three (0-10; default 0.5)."
    )
    language_weight: float | None = Field(
        None, description="Cost when the participant's own language is not shared (0-10; default 1)."
    )
    availability_weight: float | None = Field(
        None, description="Cost per moment in common short of three (0-10; default 0.25)."
    )


class RoundOut(Schema):
    id: int = Field(description="The round's id.")
    status: RoundStatus = Field(
        description="`running` (computing), `proposed` (proposals ready), `closed` or `failed`."
    )
    started_at: dt.datetime = Field(description="When the round was started.")
    finished_at: dt.datetime | None = Field(description="When its proposals were stored (or it closed or failed).")
    rules: dict[str, Any] = Field(description="The limits and weights used (docs/support.md, the cost formula).")
    stats: dict[str, Any] = Field(
        description="What came out: participants, supporters, slots, edges, with_candidates, proposals, "
        "without_proposal, left_out, total_cost, optimal_cost, seconds."
    )
    task: UUID | None = Field(description="The background task; its progress is on /taken/{task}/.")
    progress: int = Field(description="Percentage done of the computation.")

    @staticmethod
    def from_round(matching_round: MatchingRound) -> "RoundOut":
        run = matching_round.task_run
        return RoundOut(
            id=matching_round.pk,
            status=RoundStatus(matching_round.status),
            started_at=matching_round.started_at,
            finished_at=matching_round.finished_at,
            rules=matching_round.settings,
            stats=matching_round.stats,
            task=run.pk if run else None,
            progress=100 if matching_round.status != RoundStatus.RUNNING else (run.percent if run else 0),
        )


class ProposalOut(Schema):
    id: int = Field(description="The proposal's id.")
    participant: UUID = Field(description="The participant's pseudonymous key.")
    participant_name: str = Field(description="The participant's name or first name.")
    participant_neighbourhood: str | None = Field(description="CBS code of the participant's neighbourhood.")
    supporter: int = Field(description="The supporter's id.")
    supporter_name: str = Field(description="The supporter's name.")
    cost: float = Field(description="The pair's cost (lower is better).")
    explanation: str = Field(description="Why this pair, in plain Dutch.")
    decision: ProposalDecision = Field(description="`pending`, `confirmed`, `rejected` or `withdrawn`.")

    @staticmethod
    def from_proposal(proposal: MatchProposal) -> "ProposalOut":
        neighbourhood = proposal.participant.neighbourhood
        return ProposalOut(
            id=proposal.pk,
            participant=proposal.participant.key,
            participant_name=proposal.participant.name,
            participant_neighbourhood=neighbourhood.code if neighbourhood else None,
            supporter=proposal.supporter_id,
            supporter_name=proposal.supporter.name,
            cost=proposal.cost,
            explanation=proposal.explanation,
            decision=ProposalDecision(proposal.decision),
        )


class ProposalPage(Schema):
    count: int = Field(description="Number of proposals on all pages together.")
    next: str | None = Field(description="Absolute URL of the next page; null on the last page.")
    previous: str | None = Field(description="Absolute URL of the previous page; null on the first page.")
    results: list[ProposalOut] = Field(description="The proposals on this page, cheapest first.")


class ProposalFilters(Schema):
    decision: ProposalDecision | None = Field(None, description="Only proposals with this decision.")


class RelationOut(Schema):
    id: int = Field(description="The support relation's id.")
    participant: UUID = Field(description="The participant's pseudonymous key.")
    supporter: int = Field(description="The supporter's id.")
    status: RelationStatus = Field(description="`proposed`, `introduced`, `active` or `ended`.")
    explanation: str = Field(description="Why this pair, in plain Dutch.")


class SupporterOut(Schema):
    id: int = Field(description="The supporter's id.")
    name: str = Field(description="Name.")
    role: SupporterRole = Field(description="maatje, buddy, mentor, ervaringsdeskundige or vertrouwenspersoon.")
    vog_status: VogStatus = Field(description="`none`, `requested` or `issued`.")
    vog_issued_on: dt.date | None = Field(description="When the VOG was issued.")
    vog_valid: bool = Field(description="Issued less than three years ago: counts for the VOG rule.")
    capacity: int = Field(description="How many participants at once.")
    open_relations: int = Field(description="Relations that are proposed, introduced or active.")
    availability: int = Field(description="Availability bit mask: 7 days x morning, afternoon, evening (21 bits).")
    languages: list[str] = Field(description="ISO 639-1 codes.")
    interests: list[str] = Field(description="Interests, free words.")
    neighbourhood: str | None = Field(description="CBS code of the home neighbourhood.")
    lifts_mask: int = Field(description="Barrier bits this supporter lifts by going along.")
    active: bool = Field(description="Takes new participants.")

    @staticmethod
    def resolve_vog_valid(supporter: Supporter) -> bool:
        return supporter.vog_valid_on(selectors.today())

    @staticmethod
    def resolve_open_relations(supporter: Supporter) -> int:
        return int(getattr(supporter, "open_relations", 0))

    @staticmethod
    def resolve_neighbourhood(supporter: Supporter) -> str | None:
        return supporter.neighbourhood.code if supporter.neighbourhood else None


class MyParticipantOut(Schema):
    relation: int = Field(description="The support relation's id (to log a contact).")
    status: RelationStatus = Field(description="`proposed`, `introduced` or `active`.")
    name: str = Field(description="The participant's name or first name.")
    neighbourhood: str | None = Field(description="Name of the participant's neighbourhood.")
    last_contact: dt.date | None = Field(description="The last contact moment logged.")
    email: str | None = Field(description="Only with the participant's consent for contact.")


class ContactIn(Schema):
    on: dt.date = Field(description="The day of the contact; not in the future.")
    kind: ContactKind = Field(description="`meeting`, `together`, `phone` or `other`.")
    note: str = Field("", max_length=280, description="A short note, at most 280 characters (not what was said).")


class ContactOut(Schema):
    id: int = Field(description="The contact moment's id.")
    relation: int = Field(description="The support relation's id.")
    on: dt.date = Field(description="The day of the contact.")
    kind: ContactKind = Field(description="The kind of contact.")
    note: str = Field(description="The short note.")


# --- matching rounds ---------------------------------------------------------------------------


@router.post(
    f"{BASE}/matching-rounds",
    response=responses(RoundOut, 401, 403, 404, 422, status=202),
    summary="Start a matching round",
)
def start_matching_round(request: HttpRequest, municipality: MunicipalityCode, payload: RoundIn) -> Status[RoundOut]:
    """Start a round for all waiting participants and supporters with room. It computes as a
    background task: poll the round until `status` is `proposed`. One round at a time (422)."""
    user, tenant = _coordinator(request)
    with reported_as_body_errors():
        rules = services.clean_rules(payload.model_dump(exclude_none=True))
        matching_round = services.matching_round_start(actor=user, municipality=tenant, rules=rules)
    return Status(202, RoundOut.from_round(matching_round))


@router.get(
    f"{BASE}/matching-rounds",
    response=responses(list[RoundOut], 401, 403, 404, 422),
    summary="List matching rounds",
)
@paginate(PageNumberPagination)
def list_matching_rounds(request: HttpRequest, municipality: MunicipalityCode) -> list[RoundOut]:
    """The municipality's rounds, newest first."""
    _user, tenant = _coordinator(request)
    return [
        RoundOut.from_round(r)
        for r in MatchingRound.objects.filter(municipality=tenant).select_related("task_run").order_by("-started_at")
    ]


@router.get(
    f"{BASE}/matching-rounds/{{round_id}}",
    response=responses(RoundOut, 401, 403, 404, 422),
    summary="Get a matching round",
)
def get_matching_round(request: HttpRequest, municipality: MunicipalityCode, round_id: RoundId) -> RoundOut:
    """One round: its status, progress, rules and outcome."""
    user, tenant = _coordinator(request)
    services.matching_rounds_settle(municipality=tenant)
    return RoundOut.from_round(selectors.round_for(user, tenant, round_id))


@router.get(
    f"{BASE}/matching-rounds/{{round_id}}/proposals",
    response=responses(ProposalPage, 401, 403, 404, 422),
    summary="List a round's proposals",
)
def list_round_proposals(
    request: HttpRequest,
    municipality: MunicipalityCode,
    round_id: RoundId,
    filters: Query[ProposalFilters],
    pages: Query[PageParams],
) -> dict[str, Any]:
    """A round's proposals, cheapest first, each with its explanation. The residents on the page
    are written to the audit log (purpose support)."""
    user, tenant = _coordinator(request)
    matching_round = selectors.round_for(user, tenant, round_id)
    proposals = selectors.with_support_consent(MatchProposal.objects.filter(round=matching_round)).select_related(
        "participant", "participant__neighbourhood", "supporter"
    )
    if filters.decision:
        proposals = proposals.filter(decision=filters.decision)
    page = PageNumberPagination().paginate_queryset(proposals.order_by("cost", "pk"), pages, request)
    shown = list(page["results"])
    selectors.audit_profiles_read(
        user=user, municipality=tenant, purpose="support", keys=[p.participant.key for p in shown], listing="proposals"
    )
    return {**page, "results": [ProposalOut.from_proposal(p) for p in shown]}


@router.post(
    f"{BASE}/match-proposals/{{proposal_id}}/confirm",
    response=responses(RelationOut, 401, 403, 404, 422, status=201),
    summary="Confirm a proposal",
)
def confirm_proposal(
    request: HttpRequest, municipality: MunicipalityCode, proposal_id: ProposalId
) -> Status[RelationOut]:
    """Yes to a proposal: it becomes a proposed support relation. Checked again now (consent,
    room, the VOG rule); a proposal already decided on is a 422."""
    user, tenant = _coordinator(request)
    proposal = selectors.proposal_for(user, tenant, proposal_id)
    with reported_as_body_errors():
        relation = services.proposal_confirm(actor=user, proposal=proposal)
    return Status(
        201,
        RelationOut(
            id=relation.pk,
            participant=relation.participant.key,
            supporter=relation.supporter_id,
            status=RelationStatus(relation.status),
            explanation=relation.explanation,
        ),
    )


@router.post(
    f"{BASE}/match-proposals/{{proposal_id}}/reject",
    response=responses(ProposalOut, 401, 403, 404, 422),
    summary="Reject a proposal",
)
def reject_proposal(request: HttpRequest, municipality: MunicipalityCode, proposal_id: ProposalId) -> ProposalOut:
    """No to a proposal: the participant waits on, and the pair is not proposed again."""
    user, tenant = _coordinator(request)
    proposal = selectors.proposal_for(user, tenant, proposal_id)
    with reported_as_body_errors():
        proposal = services.proposal_reject(actor=user, proposal=proposal)
    return ProposalOut.from_proposal(proposal)


# --- supporters --------------------------------------------------------------------------------


@router.get(
    f"{BASE}/supporters",
    response=responses(list[SupporterOut], 401, 403, 404, 422),
    summary="List supporters",
)
@paginate(PageNumberPagination)
def list_supporters(request: HttpRequest, municipality: MunicipalityCode) -> QuerySet[Supporter]:
    """The municipality's supporters, by name, with their open relations counted."""
    user, tenant = _coordinator(request)
    return selectors.supporters_list(user, tenant)


@router.get(
    f"{BASE}/supporters/{{supporter_id}}",
    response=responses(SupporterOut, 401, 403, 404, 422),
    summary="Get a supporter",
)
def get_supporter(request: HttpRequest, municipality: MunicipalityCode, supporter_id: SupporterId) -> Supporter:
    """One supporter."""
    user, tenant = _coordinator(request)
    return selectors.supporter_for(user, tenant, supporter_id)


# --- the supporter's own -----------------------------------------------------------------------


@router.get(
    f"{BASE}/me/participants",
    response=responses(list[MyParticipantOut], 401, 404, 422),
    summary="List my participants",
)
def list_my_participants(request: HttpRequest, municipality: MunicipalityCode) -> list[MyParticipantOut]:
    """For a supporter: the participants of their open relations, with only what they may see."""
    user, tenant = _supporter(request)
    return [
        MyParticipantOut(
            relation=item.relation.pk,
            status=RelationStatus(item.relation.status),
            name=item.relation.participant.name,
            neighbourhood=item.relation.participant.neighbourhood.name
            if item.relation.participant.neighbourhood
            else None,
            last_contact=getattr(item.relation, "last_contact", None),
            email=item.contact_email or None,
        )
        for item in selectors.my_participants(user, tenant)
    ]


@router.post(
    f"{BASE}/support-relations/{{relation_id}}/contacts",
    response=responses(ContactOut, 401, 403, 404, 422, status=201),
    summary="Log a contact moment",
)
def log_contact(
    request: HttpRequest, municipality: MunicipalityCode, relation_id: RelationId, payload: ContactIn
) -> Status[ContactOut]:
    """For the relation's own supporter: record that there was contact (not what was said)."""
    user, tenant = _supporter(request)
    relation = (
        SupportRelation.objects.filter(municipality=tenant, pk=relation_id)
        .select_related("supporter", "municipality")
        .first()
    )
    if relation is None or not permissions.can_log_contact(user, relation):
        raise Http404
    with reported_as_body_errors():
        moment: ContactMoment = services.contact_log(actor=user, relation=relation, **payload.model_dump())
    return Status(
        201,
        ContactOut(id=moment.pk, relation=relation.pk, on=moment.on, kind=ContactKind(moment.kind), note=moment.note),
    )
