"""What groups do when the people app acts (connected in GroupsConfig.ready)."""

from __future__ import annotations

from typing import Any

from nabij.groups.models import Membership
from nabij.people.models import ResidentProfile


def on_collect_export(sender: Any, *, profile: ResidentProfile, **kwargs: Any) -> dict[str, Any]:
    """The resident's group memberships for their export: which group, role, when; no other members."""
    rows = [
        {
            "group": membership.group.name,
            "role": membership.role,
            "joined_at": membership.joined_at.isoformat(),
            "left_at": membership.left_at.isoformat() if membership.left_at else None,
        }
        for membership in Membership.objects.filter(profile=profile).select_related("group").order_by("joined_at")
    ]
    return {"group_memberships": rows}
