"""Long work of the monitor, run through nabij.core.taskqueue: computing a snapshot."""

from __future__ import annotations

from typing import Any

from nabij.accounts.models import User
from nabij.core.models import Municipality
from nabij.core.taskqueue import Progress, task
from nabij.monitor.services.snapshots import TASK_NAME, snapshot_compute


@task(TASK_NAME)
def compute_snapshot(
    *, progress: Progress, municipality_code: str, period: str, actor_id: int | None = None
) -> dict[str, Any]:
    """Runs in the scope of the run's municipality; the result says where to look."""
    municipality = Municipality.objects.get(code=municipality_code)
    actor = User.objects.filter(pk=actor_id).first() if actor_id is not None else None
    snapshot = snapshot_compute(actor=actor, municipality=municipality, period=period, progress=progress)
    return {
        "period": snapshot.period,
        "values": snapshot.values.count(),
        "seconds": snapshot.seconds,
        "url": f"/{municipality.slug}/monitor/?periode={snapshot.period}",
    }
