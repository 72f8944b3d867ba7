"""The group services: start, change and end a group; join and leave (the capacity rule, the
consent rule); appoint trekkers. Every write leaves an audit entry."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nabij.core.models import AuditEntry
from nabij.groups import services
from nabij.groups.models import Group, GroupStatus, MemberRole, Membership
from nabij.people import services as people_services
from tests.groups.helpers import World, member, profile

pytestmark = pytest.mark.django_db


def current(group: Group) -> set[str]:
    return {m.profile.name for m in Membership.objects.filter(group=group, left_at__isnull=True)}


# --- starting and changing a group -------------------------------------------------------------


def test_professional_starts_a_group_around_any_activity(world: World) -> None:
    group = services.group_create(
        actor=world.personas.professional,
        municipality=world.a,
        name="  Voetbalmaatjes ",
        activities=[world.voetbal, world.koffie],
        guide=world.peer_user,
        capacity=8,
    )
    assert group.name == "Voetbalmaatjes"
    assert group.created_by == world.personas.professional
    assert group.status == GroupStatus.FORMING
    assert set(group.activities.all()) == {world.voetbal, world.koffie}
    entry = AuditEntry.objects.get(record_type="groups.group", action="create")
    assert entry.record_ref == str(group.uid)
    assert entry.actor == world.personas.professional


def test_organiser_starts_a_group_only_around_own_activities(world: World) -> None:
    organiser = world.socialmap.organiser
    group = services.group_create(actor=organiser, municipality=world.a, name="Koffieclub", activities=[world.koffie])
    assert group.created_by == organiser
    with pytest.raises(ValidationError) as error:
        services.group_create(actor=organiser, municipality=world.a, name="Voetbal", activities=[world.voetbal])
    assert "eigen organisatie" in error.value.message_dict["activities"][0]
    assert not Group.objects.filter(name="Voetbal").exists()


@pytest.mark.parametrize("who", ["resident", "supporter", "outsider"])
def test_others_may_not_start_a_group(world: World, who: str) -> None:
    actor = {
        "resident": world.personas.resident,
        "supporter": world.supporter_user,
        "outsider": world.personas.outsider,
    }[who]
    with pytest.raises(PermissionDenied):
        services.group_create(actor=actor, municipality=world.a, name="Nee", activities=[world.koffie])


def test_a_group_needs_an_activity_and_a_sensible_capacity(world: World) -> None:
    professional = world.personas.professional
    with pytest.raises(ValidationError) as error:
        services.group_create(actor=professional, municipality=world.a, name="Leeg", activities=[])
    assert "minstens één activiteit" in error.value.message_dict["activities"][0]
    for capacity in (0, services.MAX_CAPACITY + 1):
        with pytest.raises(ValidationError) as error:
            services.group_create(
                actor=professional, municipality=world.a, name="X", activities=[world.koffie], capacity=capacity
            )
        assert "capacity" in error.value.message_dict


def test_the_guide_is_a_professional_or_a_peer_expert(world: World) -> None:
    professional = world.personas.professional
    for guide in (world.other_professional, world.peer_user):
        group = services.group_create(
            actor=professional, municipality=world.a, name=f"Met {guide.pk}", activities=[world.koffie], guide=guide
        )
        assert group.guide == guide
    # An ordinary maatje (not a peer expert), a resident and a professional of B may not guide.
    for guide in (world.supporter_user, world.personas.resident, world.personas.outsider):
        with pytest.raises(ValidationError) as error:
            services.group_create(
                actor=professional, municipality=world.a, name="Zonder", activities=[world.koffie], guide=guide
            )
        assert "guide" in error.value.message_dict


def test_capacity_cannot_drop_below_the_current_members(world: World) -> None:
    # The group has 2 members (bea, kees).
    with pytest.raises(ValidationError) as error:
        services.group_update(actor=world.personas.professional, group=world.group, capacity=1)
    assert "al 2 leden" in error.value.message_dict["capacity"][0]
    group = services.group_update(actor=world.personas.professional, group=world.group, capacity=2, status="active")
    assert (group.capacity, group.status) == (2, GroupStatus.ACTIVE)


def test_only_managers_change_a_group(world: World) -> None:
    for actor in (world.other_professional, world.socialmap.other_organiser, world.personas.resident):
        with pytest.raises(PermissionDenied):
            services.group_update(actor=actor, group=world.group, name="Anders")
    # The organiser of the group's activity, the coordinator and the guide may.
    services.group_update(actor=world.socialmap.organiser, group=world.group, name="Door organisator")
    services.group_update(actor=world.personas.coordinator, group=world.group, guide=world.peer_user)
    assert world.group.guide == world.peer_user  # the caller's object is up to date
    group = services.group_update(actor=world.peer_user, group=world.group, name="Door begeleider")
    assert group.name == "Door begeleider"


def test_ending_a_group_ends_every_membership(world: World) -> None:
    group = services.group_end(actor=world.personas.professional, group=world.group)
    assert group.status == GroupStatus.ENDED and group.ended_at is not None
    assert current(group) == set()
    assert Membership.objects.filter(group=group).count() == 2  # history kept
    with pytest.raises(ValidationError) as error:
        services.group_join(actor=None, group=group, profile=world.ali)
    assert error.value.code == "ended"
    with pytest.raises(ValidationError):
        services.group_update(actor=world.personas.professional, group=group, name="Weer")


# --- joining and leaving -------------------------------------------------------------------------


def test_the_capacity_rule(world: World) -> None:
    """Capacity 4 with bea and kees in it: ali and sanne fit, betty does not until someone leaves."""
    services.group_update(actor=None, group=world.group, capacity=4)
    services.group_join(actor=None, group=world.group, profile=world.ali)
    services.group_join(actor=None, group=world.group, profile=world.sanne)
    with pytest.raises(services.GroupFullError) as error:
        services.group_join(actor=world.other_resident, group=world.group, profile=world.betty)
    assert "vol" in error.value.messages[0] and "4" in error.value.messages[0]
    assert current(world.group) == {"Bea Jansen", "Kees van Dam", "Ali Demir", "Sanne Vos"}
    services.group_leave(actor=world.personas.resident, group=world.group, profile=world.bea)
    services.group_join(actor=world.other_resident, group=world.group, profile=world.betty)
    assert current(world.group) == {"Betty de Boer", "Kees van Dam", "Ali Demir", "Sanne Vos"}


def test_a_left_member_may_join_again(world: World) -> None:
    services.group_leave(actor=None, group=world.group, profile=world.bea)
    services.group_join(actor=world.personas.resident, group=world.group, profile=world.bea)
    assert Membership.objects.filter(group=world.group, profile=world.bea).count() == 2
    with pytest.raises(ValidationError) as error:
        services.group_join(actor=world.personas.resident, group=world.group, profile=world.bea)
    assert error.value.code == "already_member"


def test_joining_needs_a_current_contact_consent(world: World) -> None:
    # noor consented to referral only.
    with pytest.raises(ValidationError) as error:
        services.group_join(actor=None, group=world.group, profile=world.noor)
    assert error.value.error_dict["profile"][0].code == "consent_required"
    assert "toestemming voor contact" in error.value.message_dict["profile"][0]
    # A revoked contact consent counts as none.
    people_services.consent_revoke(actor=None, profile=world.ali, purpose="contact")
    with pytest.raises(ValidationError):
        services.group_join(actor=None, group=world.group, profile=world.ali)
    assert current(world.group) == {"Bea Jansen", "Kees van Dam"}


def test_a_resident_joins_and_leaves_only_for_themself(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.group_join(actor=world.personas.resident, group=world.group, profile=world.betty)
    with pytest.raises(PermissionDenied):
        services.group_leave(actor=world.other_resident, group=world.group, profile=world.bea)
    # And may not make themself trekker.
    with pytest.raises(PermissionDenied):
        services.group_join(actor=world.other_resident, group=world.group, profile=world.betty, role=MemberRole.TREKKER)
    services.group_join(actor=world.other_resident, group=world.group, profile=world.betty)


def test_no_profile_from_another_municipality(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        services.group_join(actor=None, group=world.group, profile=world.bob)
    assert error.value.error_dict["profile"][0].code == "unknown"


def test_appointing_a_trekker(world: World) -> None:
    membership = Membership.objects.get(group=world.group, profile=world.bea)
    with pytest.raises(PermissionDenied):
        services.membership_set_role(actor=world.personas.resident, membership=membership, role=MemberRole.TREKKER)
    services.membership_set_role(actor=world.personas.professional, membership=membership, role=MemberRole.TREKKER)
    assert Membership.objects.get(pk=membership.pk).role == MemberRole.TREKKER
    entry = AuditEntry.objects.filter(record_type="groups.membership", action="change").latest("at")
    assert entry.purpose == "contact"
    assert entry.detail == {"group": str(world.group.uid), "profile": str(world.bea.key), "role": "trekker"}


def test_join_and_leave_are_audited_with_the_key_not_the_name(world: World) -> None:
    services.group_join(actor=world.personas.professional, group=world.group, profile=world.ali)
    services.group_leave(actor=world.personas.professional, group=world.group, profile=world.ali)
    entries = list(AuditEntry.objects.filter(record_type="groups.membership").order_by("at", "pk"))
    assert [(e.action, e.purpose) for e in entries] == [("create", "contact"), ("change", "contact")]
    for entry in entries:
        assert entry.detail["profile"] == str(world.ali.key)
        assert "Ali" not in str(entry.detail)


def test_a_member_of_the_demo_is_made_without_an_actor(world: World) -> None:
    extra = profile(world.a, "Els", "contact")
    membership = services.group_join(actor=None, group=world.group, profile=extra, role=MemberRole.TREKKER)
    assert membership.role == MemberRole.TREKKER
    member(world.group, profile(world.a, "Fien", "contact"))
    assert len(current(world.group)) == 4
