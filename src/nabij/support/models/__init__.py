"""Support: supporters and their VOG, support relations with contact moments, matching rounds, and
warm hand-overs (referrals)."""

from nabij.support.models.matching import MatchingRound, MatchProposal, ProposalDecision, RoundStatus
from nabij.support.models.referrals import Referral, ReferralStatus
from nabij.support.models.relations import (
    OPEN_STATUSES,
    ContactKind,
    ContactMoment,
    EndReason,
    RelationStatus,
    SupportRelation,
)
from nabij.support.models.supporters import (
    VOG_VALID_FOR,
    Supporter,
    SupporterManager,
    SupporterQuerySet,
    SupporterRole,
    VogStatus,
)

__all__ = [
    "OPEN_STATUSES",
    "VOG_VALID_FOR",
    "ContactKind",
    "ContactMoment",
    "EndReason",
    "MatchProposal",
    "MatchingRound",
    "ProposalDecision",
    "Referral",
    "ReferralStatus",
    "RelationStatus",
    "RoundStatus",
    "SupportRelation",
    "Supporter",
    "SupporterManager",
    "SupporterQuerySet",
    "SupporterRole",
    "VogStatus",
]
