"""What attendance does when the people app acts (to connect in MonitorConfig.ready):

- a monitoring consent is revoked: the resident's named attendance becomes anonymous at once
  (each session keeps its head count, the key goes);
- a resident asks for an export of their data: the sessions they were counted at by key.
"""

from __future__ import annotations

from typing import Any

from nabij.monitor.models import Attendance
from nabij.monitor.services.attendance import attendance_anonymise_profile
from nabij.people.models import ConsentPurpose, ResidentProfile


def on_consent_revoked(
    sender: Any, *, profile: ResidentProfile, purpose: str, actor: Any = None, **kwargs: Any
) -> None:
    if purpose == ConsentPurpose.MONITORING:
        attendance_anonymise_profile(actor=actor, profile=profile)


def on_collect_export(sender: Any, *, profile: ResidentProfile, **kwargs: Any) -> dict[str, Any]:
    """Which activity, which day; never who else was there."""
    rows = [
        {"activity": title, "activity_uid": str(uid), "date": on.isoformat()}
        for title, uid, on in Attendance.objects.filter(profile=profile)
        .order_by("on", "pk")
        .values_list("activity__title", "activity__uid", "on")
    ]
    return {"attendance": rows}
