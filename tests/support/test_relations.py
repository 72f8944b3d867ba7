"""Support relations: the lifecycle, contact moments, the no-contact signal, what ending means for
waiting, and the resident's export and erasure."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from nabij.people.services import profile_erase, profile_export
from nabij.support import services
from nabij.support.models import ContactMoment, RelationStatus, Supporter, SupportRelation
from nabij.support.selectors import relations_without_contact
from tests.support.conftest import SupportWorld

pytestmark = pytest.mark.django_db


def active_since(support: SupportWorld, name: str, weeks: int) -> SupportRelation:
    relation = services.relation_create(actor=None, participant=support.make_profile(name), supporter=support.supporter)
    SupportRelation.objects.filter(pk=relation.pk).update(
        status=RelationStatus.ACTIVE,
        started_on=timezone.localdate() - dt.timedelta(weeks=weeks),
        proposed_at=timezone.now() - dt.timedelta(weeks=weeks + 1),
    )
    relation.refresh_from_db()
    return relation


def test_lifecycle_in_order(support: SupportWorld) -> None:
    sanne = support.supporter_user
    relation = services.relation_create(
        actor=support.personas.coordinator, participant=support.make_profile(), supporter=support.supporter
    )
    assert relation.status == RelationStatus.PROPOSED
    with pytest.raises(ValidationError):
        services.relation_activate(actor=sanne, relation=relation)  # first meet
    relation = services.relation_introduce(actor=sanne, relation=relation)
    relation = services.relation_activate(actor=sanne, relation=relation)
    assert (relation.status, relation.started_on) == (RelationStatus.ACTIVE, timezone.localdate())
    with pytest.raises(ValidationError):
        services.relation_end(actor=sanne, relation=relation, reason="tired")
    relation = services.relation_end(actor=sanne, relation=relation, reason="no_click")
    assert (relation.status, relation.end_reason, relation.ended_on) == ("ended", "no_click", timezone.localdate())
    with pytest.raises(ValidationError):
        services.relation_end(actor=sanne, relation=relation, reason="other")


def test_only_the_supporter_and_coordinators_move_a_relation(support: SupportWorld) -> None:
    relation = services.relation_create(actor=None, participant=support.make_profile(), supporter=support.supporter)
    for someone in (support.other_supporter_user, support.personas.professional, support.personas.resident):
        with pytest.raises(PermissionDenied):
            services.relation_introduce(actor=someone, relation=relation)
    services.relation_introduce(actor=support.personas.coordinator, relation=relation)


def test_contact_moments_belong_to_the_supporter(support: SupportWorld) -> None:
    relation = active_since(support, "Fatima", 2)
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.contact_log(actor=support.personas.coordinator, relation=relation, on=today, kind="phone")
    with pytest.raises(PermissionDenied):
        services.contact_log(actor=support.other_supporter_user, relation=relation, on=today, kind="phone")
    with pytest.raises(ValidationError) as wrong:
        services.contact_log(actor=support.supporter_user, relation=relation, on=today, kind="phone", note="x" * 281)
    assert wrong.value.message_dict == {"note": ["Maak de notitie korter: hoogstens 280 tekens."]}
    with pytest.raises(ValidationError) as early:
        services.contact_log(
            actor=support.supporter_user, relation=relation, on=today - dt.timedelta(weeks=10), kind="phone"
        )
    assert "voor het begin van de koppeling" in early.value.message_dict["on"][0]
    moment = services.contact_log(actor=support.supporter_user, relation=relation, on=today, kind="meeting")
    assert moment.logged_by == support.supporter_user


def test_signal_after_weeks_without_contact(support: SupportWorld) -> None:
    coordinator = support.personas.coordinator
    today = timezone.localdate()
    Supporter.objects.filter(pk=support.supporter.pk).update(capacity=4)
    quiet = active_since(support, "Stil", 6)  # active 6 weeks, never a contact: 6 weeks silent
    talked = active_since(support, "Prater", 6)
    services.contact_log(actor=support.supporter_user, relation=talked, on=today - dt.timedelta(days=10), kind="phone")
    once = active_since(support, "Eenmaal", 10)
    services.contact_log(actor=support.supporter_user, relation=once, on=today - dt.timedelta(weeks=5), kind="phone")
    fresh = active_since(support, "Nieuw", 1)
    signals = relations_without_contact(coordinator, support.personas.municipality_a, day=today)
    # Default 4 weeks: quiet (6 weeks) and once (5 weeks); the longest silence first.
    assert [(s.relation.participant.name, s.weeks) for s in signals] == [("Stil", 6), ("Eenmaal", 5)]
    assert signals[1].last_contact == today - dt.timedelta(weeks=5)
    assert [s.relation for s in relations_without_contact(coordinator, support.personas.municipality_a, weeks=1)] == [
        quiet,
        once,
        talked,
        fresh,
    ]
    with override_settings(NABIJ_CONTACT_SIGNAL_WEEKS=8):
        assert relations_without_contact(coordinator, support.personas.municipality_a) == []


def test_ending_decides_whether_the_participant_waits_again(support: SupportWorld) -> None:
    coordinator = support.personas.coordinator
    no_click = active_since(support, "Klikte niet", 3)
    services.relation_end(actor=coordinator, relation=no_click, reason="no_click")
    goal = active_since(support, "Gaat zelf", 3)
    services.relation_end(actor=coordinator, relation=goal, reason="goal_reached")
    no_click.participant.refresh_from_db()
    goal.participant.refresh_from_db()
    assert no_click.participant.support_wanted_since is not None
    assert goal.participant.support_wanted_since is None


def test_export_and_erasure_include_support(support: SupportWorld) -> None:
    relation = active_since(support, "Fatima", 2)
    services.contact_log(
        actor=support.supporter_user, relation=relation, on=timezone.localdate(), kind="together", note="Moestuin"
    )
    exported = profile_export(actor=None, profile=relation.participant)
    assert exported["support_relations"][0]["supporter"] == "Sanne Steun"
    assert exported["support_relations"][0]["contacts"][0]["note"] == "Moestuin"
    profile_erase(actor=None, profile=relation.participant)
    relation.refresh_from_db()
    assert (relation.status, relation.end_reason) == ("ended", "consent_revoked")
    assert ContactMoment.objects.get().note == ""
