"""Every write of the support app. Keyword-only, one transaction each, audited (purpose support).

`actor` None is the system (demo, import, a task); a person must pass `accounts.permissions`.
Split by concept: `supporters`, `relations` (lifecycle and contact moments), `matching` (rounds,
proposals, "find a supporter now").
"""

from nabij.support.services.matching import (
    RULE_BOUNDS,
    TASK_NAME,
    RoundOutcome,
    clean_rules,
    matching_round_close,
    matching_round_compute,
    matching_round_failed,
    matching_round_recompute,
    matching_round_start,
    matching_rounds_settle,
    proposal_confirm,
    proposal_reject,
    proposals_withdraw_for_profile,
    relation_propose_now,
)
from nabij.support.services.relations import (
    contact_log,
    relation_activate,
    relation_advance,
    relation_create,
    relation_end,
    relation_introduce,
    relations_end_for_profile,
    relations_forget_profile,
)
from nabij.support.services.supporters import (
    DEFAULT_LIFTS,
    MAX_CAPACITY,
    SUPPORTER_EDITABLE,
    default_lifts_mask,
    supporter_create,
    supporter_deactivate,
    supporter_set_active,
    supporter_update,
    vog_renewal_due,
)

__all__ = [
    "DEFAULT_LIFTS",
    "MAX_CAPACITY",
    "RULE_BOUNDS",
    "SUPPORTER_EDITABLE",
    "TASK_NAME",
    "RoundOutcome",
    "clean_rules",
    "contact_log",
    "default_lifts_mask",
    "matching_round_close",
    "matching_round_compute",
    "matching_round_failed",
    "matching_round_recompute",
    "matching_round_start",
    "matching_rounds_settle",
    "proposal_confirm",
    "proposal_reject",
    "proposals_withdraw_for_profile",
    "relation_activate",
    "relation_advance",
    "relation_create",
    "relation_end",
    "relation_introduce",
    "relation_propose_now",
    "relations_end_for_profile",
    "relations_forget_profile",
    "supporter_create",
    "supporter_deactivate",
    "supporter_set_active",
    "supporter_update",
    "vog_renewal_due",
]

# Warm hand-overs: the names in referrals.__all__ (the module says which).
from nabij.support.services.referrals import *  # noqa: F403
