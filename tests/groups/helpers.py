"""One small world for the group and referral tests (also used by tests/support/test_referrals*.py).

Municipality A (Alfadorp) with the shared personas and social map, plus:
- activities: `koffie` (Buurthuis De Linde, published), `voetbal` (Sportclub Vooruit, published),
  `concept` (De Linde, draft);
- profiles: `bea` = the resident persona's own profile (consents contact + referral),
  `betty` = the other resident's profile (contact only), `kees`, `ali`, `sanne` without accounts
  (contact), `noor` without any contact consent (referral only);
- a supporter `mo` (user with Role.SUPPORTER, Supporter row "Mo Maatje", valid VOG) and a peer
  expert `eva` (Supporter role ervaringsdeskundige);
- `other_professional`: a second professional of A;
- `group`: "Wandelgroep Oude Haven" around koffie, started by the professional, capacity 10,
  members bea (member) and kees (trekker);
- in B: a profile `bob` and a group `beta_group`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django_scopes import scope

from nabij.accounts.models import Role, User
from nabij.core.models import Municipality
from nabij.groups.models import Group, MemberRole, Membership
from nabij.people import services as people_services
from nabij.people.models import ResidentProfile
from nabij.socialmap.models import Activity, ActivityStatus
from nabij.support.models import Supporter
from nabij.testing.factories import ActivityFactory, OrganisationFactory, RoleAssignmentFactory, UserFactory
from nabij.testing.personas import Personas
from tests.conftest import SocialMap

SELF = "de bewoner zelf"


def person(personas: Personas, email: str, name: str, role: Role, municipality: Municipality | None = None) -> User:
    user = UserFactory.create(email=email, display_name=name)
    RoleAssignmentFactory.create(user=user, municipality=municipality or personas.municipality_a, role=role)
    return user


def profile(
    municipality: Municipality, name: str, *consents: str, user: User | None = None, **fields: Any
) -> ResidentProfile:
    return people_services.profile_create(
        actor=None,
        municipality=municipality,
        consents=[(purpose, SELF) for purpose in consents],
        name=name,
        user=user,
        **fields,
    )


def member(group: Group, who: ResidentProfile, role: str = MemberRole.MEMBER) -> Membership:
    """A membership made directly (the services are tested on their own)."""
    return Membership.objects.create(municipality=group.municipality, group=group, profile=who, role=role)


@dataclass
class World:
    personas: Personas
    socialmap: SocialMap
    koffie: Activity
    voetbal: Activity
    concept: Activity
    bea: ResidentProfile
    betty: ResidentProfile
    kees: ResidentProfile
    ali: ResidentProfile
    sanne: ResidentProfile
    noor: ResidentProfile
    other_resident: User
    supporter_user: User
    mo: Supporter
    peer_user: User
    eva: Supporter
    other_professional: User
    group: Group
    bob: ResidentProfile
    beta_group: Group

    @property
    def a(self) -> Municipality:
        return self.personas.municipality_a


def build_world(personas: Personas, socialmap: SocialMap) -> World:
    """Call inside scope(municipality=A) (the `scope_a` fixture)."""
    a = personas.municipality_a
    koffie = ActivityFactory.create(organisation=socialmap.organisation, title="Koffie-ochtend")
    voetbal = ActivityFactory.create(organisation=socialmap.other_organisation, title="Voetbal voor iedereen")
    concept = ActivityFactory.create(
        organisation=socialmap.organisation, title="Nog een concept", status=ActivityStatus.DRAFT
    )
    other_resident = person(personas, "buurvrouw@alfadorp.test", "Betty de Boer", Role.RESIDENT)
    supporter_user = person(personas, "maatje@alfadorp.test", "Mo Maatje", Role.SUPPORTER)
    peer_user = person(personas, "eva@alfadorp.test", "Eva Ervaring", Role.SUPPORTER)
    today = dt.date.today()
    mo = Supporter.objects.create(
        municipality=a, user=supporter_user, name="Mo Maatje", vog_status="issued", vog_issued_on=today
    )
    eva = Supporter.objects.create(
        municipality=a,
        user=peer_user,
        name="Eva Ervaring",
        role="ervaringsdeskundige",
        vog_status="issued",
        vog_issued_on=today,
    )
    bea = profile(a, "Bea Jansen", "contact", "referral", user=personas.resident)
    betty = profile(a, "Betty de Boer", "contact", user=other_resident)
    kees = profile(a, "Kees van Dam", "contact")
    ali = profile(a, "Ali Demir", "contact")
    sanne = profile(a, "Sanne Vos", "contact")
    noor = profile(a, "Noor Bakker", "referral")
    group = Group.objects.create(
        municipality=a,
        name="Wandelgroep Oude Haven",
        description="Elke dinsdag wandelen en daarna koffie.",
        created_by=personas.professional,
        neighbourhood=personas.neighbourhood_a,
    )
    group.activities.set([koffie])
    member(group, bea)
    member(group, kees, MemberRole.TREKKER)
    other_professional = person(personas, "tweede@alfadorp.test", "Pim Tweede", Role.PROFESSIONAL)
    b = personas.municipality_b
    with scope(municipality=b):
        bob = profile(b, "Bob Beta", "contact", "referral")
        beta_activity = ActivityFactory.create(organisation=OrganisationFactory.create(municipality=b))
        beta_group = Group.objects.create(municipality=b, name="Betagroep")
        beta_group.activities.set([beta_activity])
        member(beta_group, bob)
    return World(
        personas=personas,
        socialmap=socialmap,
        koffie=koffie,
        voetbal=voetbal,
        concept=concept,
        bea=bea,
        betty=betty,
        kees=kees,
        ali=ali,
        sanne=sanne,
        noor=noor,
        other_resident=other_resident,
        supporter_user=supporter_user,
        mo=mo,
        peer_user=peer_user,
        eva=eva,
        other_professional=other_professional,
        group=group,
        bob=bob,
        beta_group=beta_group,
    )


# Who is who in the permission matrices: a name → (user attribute path, second factor passed).
def matrix_user(world: World, name: str) -> tuple[User | None, bool]:
    p, s = world.personas, world.socialmap
    return {
        "anonymous": (None, False),
        "resident": (p.resident, False),
        "other_resident": (world.other_resident, False),
        "supporter": (world.supporter_user, False),
        "organiser": (s.organiser, False),
        "other_organiser": (s.other_organiser, False),
        "professional_no_2fa": (p.professional, False),
        "professional": (p.professional, True),
        "other_professional": (world.other_professional, True),
        "coordinator": (p.coordinator, True),
        "outsider": (p.outsider, True),
    }[name]
