"""Matching rounds: start, compute (a background task), recompute, close; decide on proposals;
and "find a supporter now" for one urgent participant.

A round reads who waits and who has room at the moment it computes, builds the sparse candidate
graph, finds the optimal assignment (`support.matching`) and stores one proposal per pair with
its explanation. Nothing is a relation until a coordinator confirms it. A participant whose
consent for support is revoked leaves at once: their pending proposals are withdrawn (receiver in
`support.signals`), and a computation checks consent again just before it stores its proposals.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nabij.accounts import permissions
from nabij.core.audit import audit
from nabij.core.models import AuditAction, AuditPurpose, Municipality, TaskStatus
from nabij.core.taskqueue import DEFAULT_TIMEOUT, NullProgress, Progress, TaskError, enqueue
from nabij.people.models import ResidentProfile
from nabij.support.matching import (
    Assignment,
    CandidateGraph,
    Explainer,
    MatchRules,
    ParticipantRow,
    SupporterRow,
    build_candidate_graph,
    pair_facts,
    solve,
)
from nabij.support.models import MatchingRound, MatchProposal, ProposalDecision, RoundStatus, Supporter, SupportRelation
from nabij.support.selectors import (
    candidates_for,
    forbidden_pairs,
    participant_rows,
    supporter_rows,
    supporters_with_room,
    today,
    waiting_participants,
)
from nabij.support.services.relations import relation_create

TASK_NAME = "support.matching_round"
# What a coordinator may set for a round, and within which bounds.
RULE_BOUNDS: dict[str, tuple[float, float]] = {
    "max_distance_m": (200, 20_000),
    "candidates_per_participant": (1, 500),
    "distance_weight": (0, 10),
    "interest_weight": (0, 10),
    "language_weight": (0, 10),
    "availability_weight": (0, 10),
}


def _person(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _check_manager(actor: Any, municipality: Municipality) -> None:
    if actor is not None and not permissions.can_manage_support(actor, municipality):
        raise PermissionDenied


def clean_rules(data: dict[str, Any] | None) -> MatchRules:
    """A round's rules from a form or the API: defaults for what is missing, bounds checked."""
    defaults = MatchRules().as_dict()
    values: dict[str, Any] = {}
    for name, default in defaults.items():
        value = (data or {}).get(name)
        if value is None:
            values[name] = default
            continue
        low, high = RULE_BOUNDS[name]
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise ValidationError(
                {name: _("Kies een waarde van %(low)s tot en met %(high)s.") % {"low": low, "high": high}}
            )
        values[name] = type(default)(value)
    unknown = sorted(set(data or {}) - set(defaults))
    if unknown:
        raise ValidationError(_("Deze instellingen bestaan niet: %(names)s.") % {"names": ", ".join(unknown)})
    return MatchRules(**values)


def matching_rounds_settle(*, municipality: Municipality) -> None:
    """Mark rounds failed whose task ended (or never started) without finishing them: they will
    not finish. (A task that fails inside a request's transaction cannot record it itself.)"""
    _fail_stale_rounds(municipality)


def _fail_stale_rounds(municipality: Municipality) -> None:
    lost_before = timezone.now() - dt.timedelta(seconds=DEFAULT_TIMEOUT)
    for stale in MatchingRound.objects.filter(municipality=municipality, status=RoundStatus.RUNNING).select_related(
        "task_run"
    ):
        run = stale.task_run
        if (run is not None and run.status in (TaskStatus.DONE, TaskStatus.FAILED)) or (
            run is None and stale.started_at < lost_before
        ):
            MatchingRound.objects.filter(pk=stale.pk, status=RoundStatus.RUNNING).update(
                status=RoundStatus.FAILED, finished_at=timezone.now()
            )


def _enqueue(actor: Any, matching_round: MatchingRound) -> MatchingRound:
    run = enqueue(
        TASK_NAME,
        label=_("Koppelronde van %(day)s") % {"day": f"{timezone.localtime(matching_round.started_at):%d-%m-%Y %H:%M}"},
        created_by=_person(actor),
        municipality=matching_round.municipality,
        round_id=matching_round.pk,
    )
    MatchingRound.objects.filter(pk=matching_round.pk).update(task_run=run)
    matching_round.refresh_from_db()
    return matching_round


def matching_round_start(*, actor: Any, municipality: Municipality, rules: MatchRules | None = None) -> MatchingRound:
    """Start a round for the municipality; it computes as a background task (see its TaskRun)."""
    _check_manager(actor, municipality)
    rules = rules or MatchRules()
    with transaction.atomic():
        _fail_stale_rounds(municipality)
        if MatchingRound.objects.filter(municipality=municipality, status=RoundStatus.RUNNING).exists():
            raise ValidationError(_("Er loopt al een koppelronde. Wacht tot die klaar is."), code="running")
        matching_round = MatchingRound.objects.create(
            municipality=municipality,
            status=RoundStatus.RUNNING,
            started_by=_person(actor),
            settings=rules.as_dict(),
        )
        audit(
            actor=actor,
            municipality=municipality,
            action=AuditAction.CREATE,
            purpose=AuditPurpose.SUPPORT,
            record=matching_round,
            detail={"rules": rules.as_dict()},
        )
    return _enqueue(actor, matching_round)


def matching_round_recompute(*, actor: Any, matching_round: MatchingRound) -> MatchingRound:
    """Compute a round again with today's data: its undecided proposals make way for new ones."""
    municipality = matching_round.municipality
    _check_manager(actor, municipality)
    with transaction.atomic():
        _fail_stale_rounds(municipality)
        locked = MatchingRound.objects.select_for_update().get(pk=matching_round.pk)
        if locked.status not in (RoundStatus.PROPOSED, RoundStatus.FAILED):
            raise ValidationError(_("Deze ronde kan nu niet opnieuw worden berekend."), code="status")
        if MatchingRound.objects.filter(municipality=municipality, status=RoundStatus.RUNNING).exists():
            raise ValidationError(_("Er loopt al een koppelronde. Wacht tot die klaar is."), code="running")
        locked.status = RoundStatus.RUNNING
        locked.finished_at = None
        locked.save(update_fields=["status", "finished_at"])
        audit(
            actor=actor,
            municipality=municipality,
            action=AuditAction.CHANGE,
            purpose=AuditPurpose.SUPPORT,
            record=locked,
            detail={"recompute": True},
        )
    return _enqueue(actor, locked)


@transaction.atomic
def matching_round_close(*, actor: Any, matching_round: MatchingRound) -> MatchingRound:
    """Close a round: proposals nobody decided on are withdrawn, their people and slots freed."""
    _check_manager(actor, matching_round.municipality)
    locked = MatchingRound.objects.select_for_update().get(pk=matching_round.pk)
    if locked.status == RoundStatus.RUNNING:
        raise ValidationError(_("Deze ronde rekent nog. Sluit haar als ze klaar is."), code="status")
    if locked.status == RoundStatus.CLOSED:
        return locked
    withdrawn = _withdraw(MatchProposal.objects.filter(round=locked, decision=ProposalDecision.PENDING), actor)
    locked.status = RoundStatus.CLOSED
    locked.finished_at = locked.finished_at or timezone.now()
    locked.save(update_fields=["status", "finished_at"])
    audit(
        actor=actor,
        municipality=locked.municipality,
        action=AuditAction.CHANGE,
        purpose=AuditPurpose.SUPPORT,
        record=locked,
        detail={"closed": True, "withdrawn": withdrawn},
    )
    return locked


def _withdraw(proposals: Any, actor: Any) -> int:
    count: int = proposals.update(
        decision=ProposalDecision.WITHDRAWN, decided_by=_person(actor), decided_at=timezone.now()
    )
    return count


# ---------------------------------------------------------------------------------------------
# The computation (run by the task `support.matching_round`)
# ---------------------------------------------------------------------------------------------


@dataclass
class RoundOutcome:
    matching_round: MatchingRound
    participants: list[ParticipantRow]
    supporters: list[SupporterRow]
    graph: CandidateGraph
    assignment: Assignment
    stored: int
    left_out: int
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        return _("Koppelvoorstellen: %(count)d. Wachtende deelnemers: %(waiting)d.") % {
            "count": self.stored,
            "waiting": len(self.participants),
        }


def matching_round_compute(
    *, matching_round: MatchingRound, progress: Progress | None = None, day: dt.date | None = None
) -> RoundOutcome:
    """Read, build the candidate graph, solve, store the proposals. Runs in the round's scope."""
    progress = progress or NullProgress()
    municipality = matching_round.municipality
    rules = MatchRules.from_dict(matching_round.settings)
    day = day or today()
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    progress.start(4, _("Wachtende deelnemers en maatjes lezen"))
    with transaction.atomic():
        # A recomputation starts afresh: this round's undecided proposals make way.
        _withdraw(MatchProposal.objects.filter(round=matching_round, decision=ProposalDecision.PENDING), None)
    participants = participant_rows(waiting_participants(municipality))
    supporters = supporter_rows(supporters_with_room(municipality), day)
    forbidden = forbidden_pairs(municipality)
    seconds["read"] = time.perf_counter() - started
    progress.advance(1, _("Kandidaten zoeken"))
    mark = time.perf_counter()
    graph = build_candidate_graph(participants, supporters, rules, forbidden)
    seconds["candidates"] = time.perf_counter() - mark
    progress.advance(1, _("De beste verdeling berekenen"))
    mark = time.perf_counter()
    assignment = solve(graph)
    seconds["solve"] = time.perf_counter() - mark
    progress.advance(1, _("Voorstellen opslaan"))
    mark = time.perf_counter()
    stored, left_out = _store(matching_round, participants, supporters, assignment, rules, graph, seconds)
    seconds["store"] = time.perf_counter() - mark
    outcome = RoundOutcome(
        matching_round=matching_round,
        participants=participants,
        supporters=supporters,
        graph=graph,
        assignment=assignment,
        stored=stored,
        left_out=left_out,
        seconds=seconds,
    )
    progress.advance(1, outcome.summary())
    return outcome


def _store(
    matching_round: MatchingRound,
    participants: list[ParticipantRow],
    supporters: list[SupporterRow],
    assignment: Assignment,
    rules: MatchRules,
    graph: CandidateGraph,
    seconds: dict[str, float],
) -> tuple[int, int]:
    municipality = matching_round.municipality
    with transaction.atomic():
        locked = MatchingRound.objects.select_for_update().get(pk=matching_round.pk)
        if locked.status != RoundStatus.RUNNING:
            raise TaskError(_("Deze koppelronde is intussen gesloten; er is niets opgeslagen."))
        # Consent is checked again now: whoever revoked it while the round computed stays out.
        still_waiting = set(waiting_participants(municipality).values_list("pk", flat=True))
        rows: list[dict[str, Any]] = []
        left_out = 0
        # Stored in Dutch, the working language of the record (pages show it marked as Dutch).
        with translation.override("nl"):
            explain = Explainer()
            for i, j, cost in assignment.pairs():
                participant, supporter = participants[i], supporters[j]
                if participant.id not in still_waiting:
                    left_out += 1
                    continue
                facts = pair_facts(participant, supporter, rules)
                rows.append(
                    {
                        "municipality_id": municipality.pk,
                        "round_id": locked.pk,
                        "participant_id": participant.id,
                        "supporter_id": supporter.id,
                        "cost": cost,
                        "explanation": explain(
                            facts, own_language=participant.languages[0], vog_needed=participant.requires_vog
                        ),
                        "decision": ProposalDecision.PENDING.value,
                    }
                )
        _insert_proposals(rows)
        locked.status = RoundStatus.PROPOSED
        locked.finished_at = timezone.now()
        locked.stats = {
            "participants": len(participants),
            "supporters": len(supporters),
            "slots": int(sum(s.free for s in supporters)),
            "edges": graph.edges,
            "with_candidates": graph.participants_with_candidates(),
            "proposals": len(rows),
            "without_proposal": len(participants) - len(rows),
            "left_out": left_out,
            "total_cost": round(sum(row["cost"] for row in rows), 6),
            "optimal_cost": round(assignment.total_cost, 6),
            "seconds": {name: round(value, 3) for name, value in seconds.items()},
        }
        locked.save(update_fields=["status", "finished_at", "stats"])
        audit(
            actor=None,
            municipality=municipality,
            action=AuditAction.CREATE,
            purpose=AuditPurpose.SUPPORT,
            record=locked,
            detail={"proposals": len(rows), "participants": len(participants), "left_out": left_out},
        )
    matching_round.refresh_from_db()
    return len(rows), left_out


def _insert_proposals(rows: list[dict[str, Any]]) -> None:
    """bulk_create without the ORM's per-value preparation, which for a city's ~20,000 proposals
    costs more than the database's own work. The values are plain numbers and text."""
    if not rows:
        return
    fields = [f for f in MatchProposal._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    # Only names from the model's metadata go into the statement; the values are parameters.
    sql = "INSERT INTO {table} ({columns}) VALUES ({values})".format(  # noqa: S608
        table=quote(MatchProposal._meta.db_table),
        columns=", ".join(quote(str(f.column)) for f in fields),
        values=", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5_000):
            cursor.executemany(sql, [[row.get(f.attname) for f in fields] for row in rows[start : start + 5_000]])


def matching_round_failed(*, matching_round: MatchingRound) -> None:
    MatchingRound.objects.filter(pk=matching_round.pk, status=RoundStatus.RUNNING).update(
        status=RoundStatus.FAILED, finished_at=timezone.now()
    )


# ---------------------------------------------------------------------------------------------
# Decisions
# ---------------------------------------------------------------------------------------------


def _locked_pending(proposal: MatchProposal) -> MatchProposal:
    locked = (
        MatchProposal.objects.select_for_update()
        .select_related("participant", "supporter", "supporter__municipality")
        .get(pk=proposal.pk)
    )
    if locked.decision != ProposalDecision.PENDING:
        raise ValidationError(_("Over dit voorstel is al besloten."), code="decided")
    return locked


def _decide(actor: Any, proposal: MatchProposal, decision: str) -> None:
    proposal.decision = decision
    proposal.decided_by = _person(actor)
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["decision", "decided_by", "decided_at"])
    audit(
        actor=actor,
        municipality=proposal.supporter.municipality,
        action=AuditAction.CHANGE,
        purpose=AuditPurpose.SUPPORT,
        record=proposal,
        detail={"decision": decision, "participant": str(proposal.participant.key)},
    )


@transaction.atomic
def proposal_confirm(*, actor: Any, proposal: MatchProposal) -> SupportRelation:
    """Yes to a proposal: it becomes a proposed support relation (checked again now)."""
    _check_manager(actor, proposal.supporter.municipality)
    proposal = _locked_pending(proposal)
    relation = relation_create(
        actor=actor,
        participant=proposal.participant,
        supporter=proposal.supporter,
        explanation=proposal.explanation,
        holding=proposal,
    )
    _decide(actor, proposal, ProposalDecision.CONFIRMED)
    return relation


@transaction.atomic
def proposal_reject(*, actor: Any, proposal: MatchProposal) -> MatchProposal:
    """No to a proposal: the participant waits on, and this pair is not proposed again."""
    _check_manager(actor, proposal.supporter.municipality)
    proposal = _locked_pending(proposal)
    _decide(actor, proposal, ProposalDecision.REJECTED)
    return proposal


@transaction.atomic
def proposals_withdraw_for_profile(*, actor: Any, profile: ResidentProfile) -> int:
    """The participant may no longer be matched: every undecided proposal for them is withdrawn."""
    withdrawn = _withdraw(MatchProposal.objects.filter(participant=profile, decision=ProposalDecision.PENDING), actor)
    if withdrawn:
        audit(
            actor=actor,
            municipality=profile.municipality,
            action=AuditAction.CHANGE,
            purpose=AuditPurpose.SUPPORT,
            record_type="support.matchproposal",
            record_ref=str(profile.key),
            detail={"withdrawn": withdrawn},
        )
    return withdrawn


@transaction.atomic
def relation_propose_now(
    *, actor: Any, profile: ResidentProfile, supporter: Supporter, rules: MatchRules | None = None
) -> SupportRelation:
    """ "Find a supporter now": the coordinator picks one of the candidates for one participant.

    The pair must meet the rules of a round at this moment; it is recorded as a confirmed
    proposal without a round, and becomes a proposed relation.
    """
    municipality = profile.municipality
    _check_manager(actor, municipality)
    if not waiting_participants(municipality).filter(pk=profile.pk).exists():
        raise ValidationError(_("Deze deelnemer wacht niet (meer) op een maatje."), code="not_waiting")
    # The explanation is stored in Dutch, like a round's.
    with translation.override("nl"):
        candidates = candidates_for(profile, rules=rules, supporter_id=supporter.pk)
    candidate = candidates[0] if candidates else None
    if candidate is None:
        raise ValidationError(_("Dit maatje past niet (meer) bij deze deelnemer."), code="not_a_candidate")
    text = candidate.explanation
    relation = relation_create(actor=actor, participant=profile, supporter=supporter, explanation=text)
    proposal = MatchProposal.objects.create(
        municipality=municipality,
        round=None,
        participant=profile,
        supporter=supporter,
        cost=candidate.cost,
        explanation=text,
        decision=ProposalDecision.CONFIRMED,
        decided_by=_person(actor),
        decided_at=timezone.now(),
    )
    audit(
        actor=actor,
        municipality=municipality,
        action=AuditAction.CREATE,
        purpose=AuditPurpose.SUPPORT,
        record=proposal,
        detail={"participant": str(profile.key), "now": True},
    )
    return relation
