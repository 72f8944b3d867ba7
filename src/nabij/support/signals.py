"""Receivers for what other apps do (connected in `SupportConfig.ready`). No rules live here:
each receiver calls the service that does the work.

- `people.signals.consent_revoked` (purpose support): pending proposals are withdrawn and open
  relations end with the reason "consent revoked"; a round that is computing checks consent again
  before it stores anything, so the profile is out of its next computation too;
- `people.signals.profile_erased`: notes and explanations about the resident are erased;
- `people.signals.collect_export`: the resident's relations and contact moments for their export.
"""

from __future__ import annotations

from typing import Any

from nabij.people.models import ConsentPurpose, ResidentProfile
from nabij.support.models import ContactMoment, EndReason, SupportRelation
from nabij.support.services import proposals_withdraw_for_profile, relations_end_for_profile, relations_forget_profile


def on_consent_revoked(
    sender: Any, *, profile: ResidentProfile, purpose: str, actor: Any = None, **kwargs: Any
) -> None:
    if purpose != ConsentPurpose.SUPPORT:
        return
    proposals_withdraw_for_profile(actor=actor, profile=profile)
    relations_end_for_profile(actor=actor, profile=profile, reason=EndReason.CONSENT_REVOKED)


def on_profile_erased(sender: Any, *, profile: ResidentProfile, **kwargs: Any) -> None:
    relations_forget_profile(profile=profile)


def on_collect_export(sender: Any, *, profile: ResidentProfile, **kwargs: Any) -> dict[str, Any]:
    """What the resident may know: their supporters' names and roles, statuses, dates, contacts."""
    relations = SupportRelation.objects.filter(participant=profile).select_related("supporter").order_by("pk")
    contacts: dict[int, list[dict[str, Any]]] = {}
    for moment in ContactMoment.objects.filter(relation__participant=profile).order_by("on", "pk"):
        contacts.setdefault(moment.relation_id, []).append(
            {"on": moment.on.isoformat(), "kind": moment.kind, "note": moment.note}
        )
    return {
        "support_relations": [
            {
                "supporter": relation.supporter.name,
                "role": relation.supporter.role,
                "status": relation.status,
                "why": relation.explanation,
                "proposed_at": relation.proposed_at.isoformat(),
                "started_on": relation.started_on.isoformat() if relation.started_on else None,
                "ended_on": relation.ended_on.isoformat() if relation.ended_on else None,
                "end_reason": relation.end_reason,
                "contacts": contacts.get(relation.pk, []),
            }
            for relation in relations
        ]
    }
