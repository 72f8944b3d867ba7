"""The world of the privacy matrix (issue 4, item 10): one mirror world per municipality.

Each side (A = Alfadorp, B = Betastad) has, built with the project's services:
- `subject`: the profile every matrix row is about, owned by a resident account, with a current
  consent for support, referral and contact; in an active support relation (started 60 days ago,
  no contact since: a contact signal) with `supporter`; a pending proposal in a finished round;
  referred by the side's professional to `activity` (organised by `organiser`); a member of
  `group` (started by the professional, around `activity`) together with `fellow`'s profile;
- `waiting`: a profile without account that waits for a supporter (the match-now page);
- `other_supporter`, `other_organiser` (another organisation): people with the role, not this case.
In A the professional, coordinator, admin and resident are the shared personas; in B the
professional is the outsider, so the outsider in B mirrors the professional in A.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from nabij.accounts.models import Role, User
from nabij.core.models import AuditEntry, Municipality, Neighbourhood
from nabij.groups.models import Group, Membership
from nabij.people import services as people_services
from nabij.people.models import ResidentProfile
from nabij.socialmap.models import Activity
from nabij.socialmap.services import catalogue_ensure_defaults
from nabij.support.models import MatchingRound, MatchProposal, Referral, RoundStatus, Supporter, SupportRelation
from nabij.support.services import relation_activate, relation_create, relation_introduce
from nabij.support.services.referrals import referral_create
from nabij.testing.factories import ActivityFactory, OrganisationFactory, RoleAssignmentFactory, UserFactory
from nabij.testing.personas import Personas, login

SELF = "de bewoner zelf"
ALL_PURPOSES = ("support", "referral", "contact")


@dataclass
class Side:
    municipality: Municipality
    owner: User
    fellow: User  # another resident, a fellow member of the group
    supporter_user: User
    supporter: Supporter
    other_supporter_user: User
    organiser: User
    other_organiser: User
    professional: User
    activity: Activity
    subject: ResidentProfile
    waiting: ResidentProfile
    relation: SupportRelation
    round: MatchingRound
    referral: Referral
    group: Group

    @property
    def first_name(self) -> str:
        return self.subject.name.split()[0]


@dataclass
class World:
    personas: Personas
    a: Side
    analyst: User
    _b: Side | None = None

    def side(self, where: str) -> Side:
        """A at once; the mirror world in B only for the cells that need it (it halves the setup)."""
        if where == "A":
            return self.a
        if self._b is None:
            self._b = build_b(self.personas)
        return self._b

    @property
    def b(self) -> Side:
        return self.side("B")


def _user(email: str, municipality: Municipality, role: Role, **extra: Any) -> User:
    user = UserFactory.create(email=email, display_name=email.split("@")[0].title())
    RoleAssignmentFactory.create(user=user, municipality=municipality, role=role, **extra)
    return user


def _supporter(municipality: Municipality, user: User, name: str) -> Supporter:
    today = timezone.localdate()
    return Supporter.objects.create(
        municipality=municipality, user=user, name=name, vog_status="issued", vog_issued_on=today, capacity=2
    )


def build_side(
    municipality: Municipality,
    neighbourhood: Neighbourhood,
    *,
    tag: str,
    subject_name: str,
    waiting_name: str,
    owner: User | None,
    professional: User,
) -> Side:
    """Inside scope(municipality=...); catalogue defaults in place."""
    m = municipality
    owner = owner or _user(f"bewoner@{tag}.test", m, Role.RESIDENT)
    fellow = _user(f"buur@{tag}.test", m, Role.RESIDENT)
    supporter_user = _user(f"maatje@{tag}.test", m, Role.SUPPORTER)
    other_supporter_user = _user(f"ander-maatje@{tag}.test", m, Role.SUPPORTER)
    organisation = OrganisationFactory.create(municipality=m, name=f"Buurthuis {tag}")
    other_organisation = OrganisationFactory.create(municipality=m, name=f"Sportclub {tag}")
    organiser = _user(f"organisator@{tag}.test", m, Role.ORGANISER, organisation=organisation)
    other_organiser = _user(f"ander-organisator@{tag}.test", m, Role.ORGANISER, organisation=other_organisation)
    activity = ActivityFactory.create(organisation=organisation, title=f"Koffie {tag}")
    supporter = _supporter(m, supporter_user, f"Maatje {tag}")
    other_supporter = _supporter(m, other_supporter_user, f"Ander maatje {tag}")
    consents = [(purpose, SELF) for purpose in ALL_PURPOSES]
    subject = people_services.profile_create(
        actor=None, municipality=m, consents=consents, user=owner, name=subject_name, neighbourhood=neighbourhood
    )
    fellow_profile = people_services.profile_create(
        actor=None, municipality=m, consents=[("contact", SELF)], user=fellow, name=f"Buur {tag}"
    )
    waiting = people_services.profile_create(
        actor=None,
        municipality=m,
        consents=[("support", SELF)],
        name=waiting_name,
        neighbourhood=neighbourhood,
        support_wanted_since=timezone.now() - dt.timedelta(days=30),
    )
    relation = relation_create(actor=None, participant=subject, supporter=supporter)
    relation = relation_introduce(actor=None, relation=relation)
    relation = relation_activate(actor=None, relation=relation)
    # Started long ago without contact since, so the relation is a contact signal.
    SupportRelation.objects.filter(pk=relation.pk).update(started_on=timezone.localdate() - dt.timedelta(days=60))
    matching_round = MatchingRound.objects.create(
        municipality=m, status=RoundStatus.PROPOSED, finished_at=timezone.now()
    )
    MatchProposal.objects.create(
        municipality=m, round=matching_round, participant=subject, supporter=other_supporter, cost=1.0, explanation="-"
    )
    referral = referral_create(actor=professional, profile=subject, activity=activity, note="Graag warm ontvangen.")
    group = Group.objects.create(municipality=m, name=f"Wandelgroep {tag}", created_by=professional)
    group.activities.set([activity])
    for profile in (subject, fellow_profile):
        Membership.objects.create(municipality=m, group=group, profile=profile)
    return Side(
        municipality=m,
        owner=owner,
        fellow=fellow,
        supporter_user=supporter_user,
        supporter=supporter,
        other_supporter_user=other_supporter_user,
        organiser=organiser,
        other_organiser=other_organiser,
        professional=professional,
        activity=activity,
        subject=subject,
        waiting=waiting,
        relation=relation,
        round=matching_round,
        referral=referral,
        group=group,
    )


def build_b(personas: Personas) -> Side:
    b = personas.municipality_b
    with scope(municipality=b):
        catalogue_ensure_defaults(municipality=b)
        return build_side(
            b,
            personas.neighbourhood_b,
            tag="beta",
            subject_name="Bram Bos",
            waiting_name="Wout Wachter",
            owner=None,
            professional=personas.outsider,
        )


@pytest.fixture
def world(personas: Personas) -> World:
    a = personas.municipality_a
    with scope(municipality=a):
        catalogue_ensure_defaults(municipality=a)
        side_a = build_side(
            a,
            personas.neighbourhood_a,
            tag="alfa",
            subject_name="Fenna Vink",
            waiting_name="Willem Wachter",
            owner=personas.resident,
            professional=personas.professional,
        )
        analyst = _user("analist@alfa.test", a, Role.ANALYST)
    return World(personas=personas, a=side_a, analyst=analyst)


# The roles of the matrix, all of municipality A except the outsider (a professional of B).
# name → (who, second factor passed)
ROLES = (
    "anonymous",
    "owner",
    "other_resident",
    "supporter",
    "other_supporter",
    "organiser",
    "other_organiser",
    "professional",
    "professional_no_2fa",
    "coordinator",
    "coordinator_no_2fa",
    "analyst",
    "admin",
    "outsider",
)


def role_user(world: World, role: str) -> tuple[User | None, bool]:
    p, a = world.personas, world.a
    return {
        "anonymous": (None, False),
        "owner": (a.owner, False),
        "other_resident": (a.fellow, False),
        "supporter": (a.supporter_user, False),
        "other_supporter": (a.other_supporter_user, False),
        "organiser": (a.organiser, False),
        "other_organiser": (a.other_organiser, False),
        "professional": (p.professional, True),
        "professional_no_2fa": (p.professional, False),
        "coordinator": (p.coordinator, True),
        "coordinator_no_2fa": (p.coordinator, False),
        "analyst": (world.analyst, False),
        "admin": (p.admin, True),
        "outsider": (p.outsider, True),
    }[role]


@pytest.fixture
def client_for(world: World) -> Callable[[str], tuple[Client, User | None]]:
    def make(role: str) -> tuple[Client, User | None]:
        user, second_factor = role_user(world, role)
        client = Client()
        return (client, None) if user is None else (login(client, user, second_factor=second_factor), user)

    return make


def revoke(side: Side, purpose: str) -> None:
    """The resident revokes a consent (for the waiting profile, without account: the system)."""
    with scope(municipality=side.municipality):
        people_services.consent_revoke(actor=side.owner, profile=side.subject, purpose=purpose)


def revoke_waiting(side: Side, purpose: str) -> None:
    with scope(municipality=side.municipality):
        people_services.consent_revoke(actor=None, profile=side.waiting, purpose=purpose)


def last_audit_pk() -> int:
    with scopes_disabled():
        last = AuditEntry.unscoped.order_by("-pk").values_list("pk", flat=True).first()
    return last or 0


def audit_since(pk: int) -> list[AuditEntry]:
    with scopes_disabled():
        return list(AuditEntry.unscoped.filter(pk__gt=pk).order_by("pk"))


def names_profile(entry: AuditEntry, profile: ResidentProfile) -> bool:
    key = str(profile.key)
    keys = entry.detail.get("keys", []) if isinstance(entry.detail, dict) else []
    return entry.record_ref == key or key in keys
