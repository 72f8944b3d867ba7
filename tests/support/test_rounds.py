"""Matching rounds on the database: who takes part, the proposals and their explanations,
decisions, consent revoked before and during a computation, and "find a supporter now"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from nabij.core.models import AuditEntry
from nabij.people.services import consent_revoke, profile_erase
from nabij.support import services
from nabij.support.models import (
    MatchingRound,
    MatchProposal,
    ProposalDecision,
    RelationStatus,
    RoundStatus,
    SupportRelation,
)
from nabij.support.selectors import candidates_for
from nabij.support.services import matching as matching_services
from tests.support.conftest import MONDAY_MORNING, SupportWorld

pytestmark = pytest.mark.django_db

FATIMA_SANNE = (
    "Woont 650 m verderop, houdt ook van tuinieren, spreekt Arabisch, heeft op dinsdagmiddag tijd, "
    "heeft een geldige VOG."
)
PIET_OLAF = "Woont in dezelfde buurt, houdt ook van voetbal, spreekt Nederlands, heeft op maandagochtend tijd."


def proposals(
    matching_round: MatchingRound, decision: str = ProposalDecision.PENDING
) -> dict[str, tuple[str, float, str]]:
    return {
        p.participant.name: (p.supporter.name, round(p.cost, 4), p.explanation)
        for p in MatchProposal.objects.filter(round=matching_round, decision=decision).select_related(
            "participant", "supporter"
        )
    }


def start(support: SupportWorld, **kwargs: Any) -> MatchingRound:
    return services.matching_round_start(
        actor=support.personas.coordinator, municipality=support.personas.municipality_a, **kwargs
    )


def test_a_round_proposes_the_optimal_pairs_with_their_reasons(support: SupportWorld) -> None:
    # Fatima needs a VOG, speaks Arabic, gardens, has Tuesday afternoon: only Sanne (650 m, VOG) fits.
    #   cost 0.65 km + 0.5 x (3 - 1 interest) + 0 (Arabic shared) + 0.25 x (3 - 1 moment) = 2.15
    # Piet (no VOG needed, Monday morning, Dutch, football) lives where Olaf lives:
    #   Olaf 0 + 0.5 x 2 + 0 + 0.25 x 2 = 1.5;  Sanne 0.65 + 0.5 x 3 + 0 + 0.5 = 2.65.
    support.make_profile("Fatima")
    support.make_profile(
        "Piet", availability=MONDAY_MORNING, languages=["nl"], interests=["voetbal"], requires_vog=False
    )
    matching_round = start(support)
    assert matching_round.status == RoundStatus.PROPOSED
    assert matching_round.task_run is not None and matching_round.task_run.status == "done"
    assert proposals(matching_round) == {
        "Fatima": ("Sanne Steun", 2.15, FATIMA_SANNE),
        "Piet": ("Olaf Ander", 1.5, PIET_OLAF),
    }
    assert matching_round.stats["participants"] == 2
    assert matching_round.stats["slots"] == 3
    assert matching_round.stats["total_cost"] == pytest.approx(3.65)
    assert AuditEntry.objects.filter(record_type="support.matchinground", action="create").count() == 2


def test_only_waiting_consenting_participants_without_a_supporter_take_part(support: SupportWorld) -> None:
    support.make_profile("Wacht")
    support.make_profile("Zonder toestemming", purposes=("referral",))
    support.make_profile("Wil niet", support_wanted_since=None)
    busy = support.make_profile("Heeft al iemand")
    SupportRelation.objects.create(
        municipality=support.personas.municipality_a, participant=busy, supporter=support.other_supporter
    )
    gone = support.make_profile("Gewist")
    profile_erase(actor=None, profile=gone)
    matching_round = start(support)
    assert matching_round.stats["participants"] == 1
    assert set(proposals(matching_round)) == {"Wacht"}


def test_confirm_makes_a_proposed_relation_and_reject_is_not_proposed_again(support: SupportWorld) -> None:
    coordinator = support.personas.coordinator
    support.make_profile("Fatima")
    support.make_profile("Amina")  # the same wishes: both fit only Sanne, who has room for two
    matching_round = start(support)
    by_name = {p.participant.name: p for p in MatchProposal.objects.filter(round=matching_round)}
    relation = services.proposal_confirm(actor=coordinator, proposal=by_name["Fatima"])
    assert (relation.status, relation.supporter, relation.explanation) == (
        RelationStatus.PROPOSED,
        support.supporter,
        FATIMA_SANNE,
    )
    services.proposal_reject(actor=coordinator, proposal=by_name["Amina"])
    with pytest.raises(ValidationError):
        services.proposal_confirm(actor=coordinator, proposal=by_name["Amina"])
    again = services.matching_round_recompute(actor=coordinator, matching_round=matching_round)
    # Fatima has a relation now, and Amina-Sanne was rejected: nobody to propose.
    assert again.stats["participants"] == 1
    assert proposals(again) == {}


def test_pending_proposals_hold_their_slot_until_decided(support: SupportWorld) -> None:
    support.make_profile("Fatima")
    first = start(support)
    support.make_profile("Amina")
    support.make_profile("Noor")
    # Sanne has two slots; Fatima's pending proposal holds one. Olaf's slot does not help
    # (no VOG): only one newcomer fits.
    second = start(support)
    assert second.stats["participants"] == 2
    assert second.stats["slots"] == 2
    assert len(proposals(second)) == 1
    services.matching_round_close(actor=support.personas.coordinator, matching_round=first)
    assert proposals(first, ProposalDecision.WITHDRAWN).keys() == {"Fatima"}


def test_one_round_at_a_time(support: SupportWorld) -> None:
    MatchingRound.objects.create(municipality=support.personas.municipality_a, status=RoundStatus.RUNNING)
    with pytest.raises(ValidationError):
        start(support)


def test_revoking_consent_withdraws_proposals_and_leaves_the_next_computation(support: SupportWorld) -> None:
    coordinator = support.personas.coordinator
    fatima = support.make_profile("Fatima")
    support.make_profile("Amina")
    matching_round = start(support)
    assert set(proposals(matching_round)) == {"Fatima", "Amina"}
    consent_revoke(actor=coordinator, profile=fatima, purpose="support")
    assert set(proposals(matching_round)) == {"Amina"}
    assert set(proposals(matching_round, ProposalDecision.WITHDRAWN)) == {"Fatima"}
    again = services.matching_round_recompute(actor=coordinator, matching_round=matching_round)
    assert again.stats["participants"] == 1
    assert set(proposals(again)) == {"Amina"}


class RevokeMidway:
    """A progress reporter that revokes a consent while the round computes (after the read)."""

    def __init__(self, support: SupportWorld, profile: Any) -> None:
        self.support, self.profile, self.done = support, profile, False

    def start(self, total: int, message: str = "") -> None:
        pass

    def advance(self, amount: int = 1, message: str | None = None) -> None:
        if not self.done:
            self.done = True
            consent_revoke(actor=self.support.personas.coordinator, profile=self.profile, purpose="support")


def test_revoking_consent_during_a_running_computation_keeps_the_profile_out(support: SupportWorld) -> None:
    fatima = support.make_profile("Fatima")
    support.make_profile("Amina")
    running = MatchingRound.objects.create(municipality=support.personas.municipality_a, status=RoundStatus.RUNNING)
    outcome = services.matching_round_compute(matching_round=running, progress=RevokeMidway(support, fatima))
    # Both were read and solved, but Fatima's consent was gone before anything was stored.
    assert len(outcome.participants) == 2
    assert (outcome.stored, outcome.left_out) == (1, 1)
    assert set(proposals(running)) == {"Amina"}
    assert not MatchProposal.objects.filter(participant=fatima).exists()


def test_revoking_consent_ends_the_relation(support: SupportWorld) -> None:
    fatima = support.make_profile("Fatima")
    relation = services.relation_create(actor=None, participant=fatima, supporter=support.supporter)
    consent_revoke(actor=None, profile=fatima, purpose="support")
    relation.refresh_from_db()
    assert (relation.status, relation.end_reason) == (RelationStatus.ENDED, "consent_revoked")
    fatima.refresh_from_db()
    assert fatima.support_wanted_since is None


def test_find_a_supporter_now(support: SupportWorld) -> None:
    coordinator = support.personas.coordinator
    piet = support.make_profile(
        "Piet", availability=MONDAY_MORNING, languages=["nl"], interests=["voetbal"], requires_vog=False
    )
    found = candidates_for(piet)
    # Olaf 1.5, Sanne 2.65 (see the first test), cheapest first.
    assert [(c.supporter.name, round(c.cost, 4)) for c in found] == [("Olaf Ander", 1.5), ("Sanne Steun", 2.65)]
    assert found[0].explanation == PIET_OLAF
    fatima = support.make_profile("Fatima")
    assert [c.supporter.name for c in candidates_for(fatima)] == ["Sanne Steun"]  # Olaf has no VOG
    with pytest.raises(ValidationError):
        services.relation_propose_now(actor=coordinator, profile=fatima, supporter=support.other_supporter)
    relation = services.relation_propose_now(actor=coordinator, profile=piet, supporter=support.other_supporter)
    assert relation.status == RelationStatus.PROPOSED and relation.explanation == PIET_OLAF
    record = MatchProposal.objects.get(participant=piet)
    assert (record.round, record.decision) == (None, ProposalDecision.CONFIRMED)
    # Olaf is full now.
    assert [c.supporter.name for c in candidates_for(piet)] == ["Sanne Steun"]


def test_expired_vog_is_never_matched_to_someone_who_needs_one(support: SupportWorld) -> None:
    support.supporter.vog_issued_on = timezone.localdate() - dt.timedelta(days=3 * 365 + 1)
    support.supporter.save()
    support.make_profile("Fatima")
    matching_round = start(support)
    assert proposals(matching_round) == {}
    assert matching_round.stats["with_candidates"] == 0


def test_only_coordinators_start_rounds(support: SupportWorld) -> None:
    for someone in (support.personas.professional, support.supporter_user, support.personas.outsider):
        with pytest.raises(PermissionDenied):
            services.matching_round_start(actor=someone, municipality=support.personas.municipality_a)


def test_a_failed_computation_shows_as_failed_and_can_be_recomputed(
    support: SupportWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    support.make_profile("Fatima")

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the solver's machine caught fire")

    monkeypatch.setattr(matching_services, "build_candidate_graph", broken)
    matching_round = start(support)
    assert matching_round.task_run is not None and matching_round.task_run.status == "failed"
    services.matching_rounds_settle(municipality=support.personas.municipality_a)
    matching_round.refresh_from_db()
    assert matching_round.status == RoundStatus.FAILED
    monkeypatch.undo()
    again = services.matching_round_recompute(actor=support.personas.coordinator, matching_round=matching_round)
    assert again.status == RoundStatus.PROPOSED and set(proposals(again)) == {"Fatima"}
