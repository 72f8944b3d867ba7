"""Long work of the support app, run through nabij.core.taskqueue (a page enqueues, a worker runs)."""

from __future__ import annotations

from typing import Any

from nabij.core.taskqueue import Progress, task
from nabij.support.models import MatchingRound
from nabij.support.services import TASK_NAME, matching_round_compute, matching_round_failed


@task(TASK_NAME)
def compute_matching_round(*, progress: Progress, round_id: int) -> dict[str, Any]:
    """Compute a matching round (in the run's municipality scope) and store its proposals.

    A failure leaves the round marked as failed, so it can be computed again.
    """
    matching_round = MatchingRound.objects.select_related("municipality").get(pk=round_id)
    try:
        outcome = matching_round_compute(matching_round=matching_round, progress=progress)
    except Exception:
        matching_round_failed(matching_round=matching_round)
        raise
    return {
        "round_id": matching_round.pk,
        "participants": len(outcome.participants),
        "supporters": len(outcome.supporters),
        "proposals": outcome.stored,
        "left_out": outcome.left_out,
    }
