"""Warm hand-overs, the services: the lifecycle, consent gating, pausing on revocation (through the
people app's own consent_revoke), resuming, erasure and export. Every step is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nabij.core.models import AuditEntry
from nabij.people import services as people_services
from nabij.support.models import Referral, ReferralStatus
from nabij.support.selectors_referrals import made_by, received_by
from nabij.support.services import referrals as services
from nabij.testing.personas import Personas
from tests.conftest import SocialMap
from tests.groups.helpers import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas: Personas, socialmap: SocialMap, scope_a: None) -> World:
    return build_world(personas, socialmap)


def refer(world: World, **target: object) -> Referral:
    target = target or {"activity": world.koffie}
    return services.referral_create(
        actor=world.personas.professional, profile=world.bea, note="Komt graag met de bus.", **target
    )


def code(error: ValidationError, field: str) -> str:
    return str(error.error_dict[field][0].code)


# --- creating ----------------------------------------------------------------------------------


def test_a_professional_refers_a_consenting_resident(world: World) -> None:
    referral = refer(world)
    assert (referral.status, referral.referred_by, referral.activity) == (
        ReferralStatus.PROPOSED,
        world.personas.professional,
        world.koffie,
    )
    assert referral.collective
    entry = AuditEntry.objects.get(record_type="support.referral", action="create")
    assert entry.purpose == "referral"
    assert entry.detail == {"profile": str(world.bea.key), "target": "activity", "collective": True}


def test_without_referral_consent_it_is_refused_plainly(world: World) -> None:
    # betty consented to contact only.
    with pytest.raises(ValidationError) as error:
        services.referral_create(actor=world.personas.professional, profile=world.betty, activity=world.koffie)
    assert code(error.value, "profile") == "consent_required"
    assert "geen toestemming gegeven voor een warme overdracht" in error.value.message_dict["profile"][0]
    assert not Referral.objects.exists()


def test_a_revoked_referral_consent_counts_as_none(world: World) -> None:
    people_services.consent_revoke(actor=None, profile=world.bea, purpose="referral")
    with pytest.raises(ValidationError) as error:
        refer(world)
    assert code(error.value, "profile") == "consent_required"


@pytest.mark.parametrize("who", ["resident", "coordinator", "organiser", "outsider"])
def test_only_professionals_refer(world: World, who: str) -> None:
    actor = {
        "resident": world.personas.resident,
        "coordinator": world.personas.coordinator,
        "organiser": world.socialmap.organiser,
        "outsider": world.personas.outsider,
    }[who]
    with pytest.raises(PermissionDenied):
        services.referral_create(actor=actor, profile=world.bea, activity=world.koffie)


def test_exactly_one_available_target(world: World) -> None:
    professional = world.personas.professional
    cases = [
        ({}, "one_target"),
        ({"activity": world.koffie, "group": world.group}, "one_target"),
        ({"activity": world.concept}, "unavailable"),  # a draft
        ({"group": world.beta_group}, "unknown"),  # another municipality
    ]
    for target, expected in cases:
        with pytest.raises(ValidationError) as error:
            services.referral_create(actor=professional, profile=world.bea, **target)  # type: ignore[arg-type]
        assert code(error.value, "target") == expected, target


def test_the_vog_rule_holds_for_a_supporter(world: World) -> None:
    # bea requires a VOG (the default); Mo's expired one is refused, a renewed one accepted.
    world.mo.vog_issued_on = dt.date.today() - dt.timedelta(days=4 * 365)
    world.mo.save()
    with pytest.raises(ValidationError) as error:
        refer(world, supporter=world.mo)
    assert code(error.value, "target") == "vog_required"
    world.mo.vog_issued_on = dt.date.today()
    world.mo.save()
    assert refer(world, supporter=world.mo).supporter == world.mo


def test_no_second_open_referral_to_the_same_target(world: World) -> None:
    first = refer(world)
    with pytest.raises(ValidationError) as error:
        refer(world)
    assert code(error.value, "target") == "duplicate"
    services.referral_stop(actor=world.personas.professional, referral=first, outcome="Past toch niet.")
    refer(world)  # after stopping, a new one is fine


# --- the lifecycle -------------------------------------------------------------------------------


def test_lifecycle_proposed_introduced_participating_stopped(world: World) -> None:
    referral = refer(world, group=world.group)
    trekker_user = world.personas.professional  # the group's starter receives it
    referral = services.referral_introduce(actor=world.personas.professional, referral=referral)
    assert referral.status == ReferralStatus.INTRODUCED
    referral = services.referral_participate(actor=trekker_user, referral=referral)
    assert referral.status == ReferralStatus.PARTICIPATING
    referral = services.referral_stop(
        actor=world.personas.professional, referral=referral, outcome="Doet nu zelf mee, elke week."
    )
    assert (referral.status, referral.outcome) == (ReferralStatus.STOPPED, "Doet nu zelf mee, elke week.")
    changes = [
        (e.detail.get("from"), e.detail.get("to"))
        for e in AuditEntry.objects.filter(record_type="support.referral", action="change").order_by("at", "pk")
    ]
    assert changes == [("proposed", "introduced"), ("introduced", "participating"), ("participating", "stopped")]


def test_wrong_transitions_are_explained(world: World) -> None:
    referral = refer(world)
    professional = world.personas.professional
    with pytest.raises(ValidationError) as error:
        services.referral_participate(actor=professional, referral=referral)
    assert "eerst op 'kennisgemaakt'" in error.value.message_dict["status"][0]
    with pytest.raises(ValidationError) as error:
        services.referral_stop(actor=professional, referral=referral, outcome="  ")
    assert code(error.value, "outcome") == "required"
    services.referral_introduce(actor=professional, referral=referral)
    with pytest.raises(ValidationError) as error:
        services.referral_set_status(actor=professional, referral=referral, status=ReferralStatus.PROPOSED)
    assert "niet terug" in error.value.message_dict["status"][0]
    services.referral_stop(actor=professional, referral=referral, outcome="Verhuisd.")
    with pytest.raises(ValidationError) as error:
        services.referral_introduce(actor=professional, referral=referral)
    assert "gestopt" in error.value.message_dict["status"][0]


def test_the_receiver_may_move_it_on_others_may_not(world: World) -> None:
    referral = refer(world)  # to koffie, run by the organiser's organisation
    for outsider in (world.socialmap.other_organiser, world.other_professional, world.personas.coordinator):
        with pytest.raises(PermissionDenied):
            services.referral_introduce(actor=outsider, referral=referral)
    services.referral_introduce(actor=world.socialmap.organiser, referral=referral)


# --- consent revoked: paused; resumed only by the referrer -----------------------------------------


def test_revoking_referral_consent_pauses_open_referrals_and_hides_them(world: World) -> None:
    open_one = refer(world)
    to_group = refer(world, group=world.group)
    stopped = refer(world, supporter=world.mo)
    services.referral_stop(actor=world.personas.professional, referral=stopped, outcome="Klikte niet.")
    organiser = world.socialmap.organiser
    # The organiser receives both: koffie is theirs, and the group is formed around koffie.
    assert set(received_by(organiser, world.a)) == {open_one, to_group}
    assert set(received_by(world.supporter_user, world.a)) == {stopped}  # history, while consent holds

    people_services.consent_revoke(actor=world.personas.resident, profile=world.bea, purpose="referral")

    paused = {r.pk for r in Referral.objects.filter(paused_at__isnull=False)}
    assert paused == {open_one.pk, to_group.pk}  # the stopped one is not paused
    assert list(received_by(organiser, world.a)) == []
    assert list(received_by(world.supporter_user, world.a)) == []  # not even the stopped one
    # The referrer still has them, paused.
    assert set(made_by(world.personas.professional, world.a)) == {open_one, to_group, stopped}
    entries = AuditEntry.objects.filter(record_type="support.referral", detail__paused=True)
    assert {e.record_ref for e in entries} == {str(open_one.pk), str(to_group.pk)}
    assert {e.actor for e in entries} == {world.personas.resident}
    # A paused referral does not move on; it can only be stopped.
    with pytest.raises(ValidationError) as error:
        services.referral_introduce(actor=world.personas.professional, referral=open_one)
    assert code(error.value, "status") == "paused"
    services.referral_stop(actor=world.personas.professional, referral=to_group, outcome="Toestemming ingetrokken.")


def test_another_purpose_revoked_pauses_nothing(world: World) -> None:
    refer(world)
    people_services.consent_revoke(actor=None, profile=world.bea, purpose="contact")
    assert not Referral.objects.filter(paused_at__isnull=False).exists()


def test_a_new_consent_does_not_resume_by_itself(world: World) -> None:
    referral = refer(world)
    people_services.consent_revoke(actor=None, profile=world.bea, purpose="referral")
    with pytest.raises(ValidationError) as error:
        services.referral_resume(actor=world.personas.professional, referral=referral)
    assert code(error.value, "profile") == "consent_required"
    people_services.consent_give(actor=None, profile=world.bea, purpose="referral", given_by="de bewoner zelf")
    referral.refresh_from_db()
    assert referral.paused_at is not None  # still paused: the referrer decides
    assert list(received_by(world.socialmap.organiser, world.a)) == []
    with pytest.raises(PermissionDenied):
        services.referral_resume(actor=world.socialmap.organiser, referral=referral)
    services.referral_resume(actor=world.personas.professional, referral=referral)
    referral.refresh_from_db()
    assert referral.paused_at is None
    assert list(received_by(world.socialmap.organiser, world.a)) == [referral]


# --- erasure and export ----------------------------------------------------------------------------


def test_export_lists_the_residents_referrals(world: World) -> None:
    refer(world)
    data = people_services.profile_export(actor=world.personas.resident, profile=world.bea)
    assert [(r["to"], r["name"], r["status"], r["note"]) for r in data["referrals"]] == [
        ("activity", "Koffie-ochtend", "proposed", "Komt graag met de bus.")
    ]
    assert data["group_memberships"][0]["group"] == "Wandelgroep Oude Haven"


def test_erasure_removes_notes_and_outcomes(world: World) -> None:
    referral = refer(world)
    services.referral_stop(actor=world.personas.professional, referral=referral, outcome="Bea doet mee.")
    people_services.profile_erase(actor=world.personas.resident, profile=world.bea)
    referral.refresh_from_db()
    assert (referral.note, referral.outcome, referral.status) == ("", "", ReferralStatus.STOPPED)
