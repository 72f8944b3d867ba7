"""The coherence network: a hand-built network whose components, isolated activities, bridges,
communities, modularity, cells and suggested links are worked out by hand; the pure parts on their
own; and the page, including who may not see it.

The network of 2026-Q3 in Alfadorp (district 1 = Centrum Alfa, district 2 = a new "Noord"):

    X1 ══ X2        X1, X2: Buurthuis De Linde (same organiser) and p1, p2 at both: weight 2 + 1 = 3
     \\   /          X1-X3, X2-X3: p1, p2 at both: weight 2
      X3            (district 1)
       |            X3-Y1: p5 attends X3 and was referred to Y1: weight 1   ← a bridge
      Y1            Y1, Y2, Y3: p3, p4 at all three (2), and p4 was referred to a group around
     /  \\           Y2 and Y3, so p4 links Y1-Y2, Y1-Y3 and Y2-Y3 once more (1): weight 3 each
    Y2 — Y3         (district 2)

    Z1 — Z2         the Bibliotheek runs both, nothing else: weight 1 (district 1)  ← a bridge too
    W1, W2          warm places nobody with monitoring consent shares (district 2): isolated
    E               online (no place), had a session in the period but has ended: isolated, GM only

Not in the network: a draft activity (attended by p1), an activity that ended before the period
without sessions in it (also of the Bibliotheek), and whatever a profile without monitoring consent
did. Not counted: a referral made before the period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_scopes import scope

from nabij.accounts.models import Role, User
from nabij.core.models import District, Neighbourhood
from nabij.groups.models import Group
from nabij.monitor.areas import area_tree
from nabij.monitor.coherence import (
    ActivityNode,
    PairCounts,
    analyse,
    coherence_cells,
    network_for,
    new_links_cells,
    participant_pairs,
    referral_pairs,
)
from nabij.monitor.coherence.network import distance_m
from nabij.monitor.coherence.page import people_count
from nabij.monitor.models import Attendance, AttendanceSession, MonitorSettings
from nabij.monitor.periods import parse_period
from nabij.people import services as people_services
from nabij.people.models import ResidentProfile
from nabij.socialmap.models import Activity, ActivityStatus, Organisation, Place
from nabij.support.models import Referral
from nabij.testing.factories import (
    ActivityFactory,
    NeighbourhoodFactory,
    OrganisationFactory,
    PlaceFactory,
    RoleAssignmentFactory,
    UserFactory,
)
from nabij.testing.personas import Personas, login
from tests.conftest import SocialMap

pytestmark = pytest.mark.django_db

Q3 = parse_period("2026-Q3")
PAGE = "/alfadorp/monitor/samenhang/"


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@dataclass
class World:
    personas: Personas
    socialmap: SocialMap
    north: District
    activities: dict[str, Activity]
    profiles: dict[str, ResidentProfile]


def _profile(personas: Personas, name: str, *purposes: str) -> ResidentProfile:
    return people_services.profile_create(
        actor=None,
        municipality=personas.municipality_a,
        consents=[(purpose, "de bewoner zelf") for purpose in purposes],
        name=name,
    )


def _attend(activity: Activity, day: dt.date, *profiles: ResidentProfile, anonymous: int = 0) -> None:
    session, _ = AttendanceSession.objects.get_or_create(
        municipality=activity.municipality, activity=activity, on=day, defaults={"anonymous_count": anonymous}
    )
    for profile in profiles:
        Attendance.objects.create(
            municipality=activity.municipality, session=session, activity=activity, on=day, profile=profile
        )
    # Made directly, so the session's denormalised count is kept here (the services keep it otherwise).
    AttendanceSession.objects.filter(pk=session.pk).update(named_count=session.attendances.count())


def _refer(
    profile: ResidentProfile, *, on: dt.date, activity: Activity | None = None, group: Group | None = None
) -> None:
    referral = Referral.objects.create(
        municipality=profile.municipality, profile=profile, activity=activity, group=group
    )
    at = timezone.make_aware(dt.datetime.combine(on, dt.time(12)))
    Referral.objects.filter(pk=referral.pk).update(created_at=at)


@pytest.fixture
def world(personas: Personas, socialmap: SocialMap, scope_a: None) -> World:
    return build_world(personas, socialmap)


def build_world(personas: Personas, socialmap: SocialMap) -> World:
    """The network of the module's docstring; call inside scope(municipality=A)."""
    a = personas.municipality_a
    north = District.objects.create(municipality=a, code="WK000102", name="Noord", centroid_lat=52.01, centroid_lon=4.0)
    north_buurt = NeighbourhoodFactory.create(district=north, code="BU00010201", name="Noorderhaven")
    south_buurt = personas.neighbourhood_a

    def place(lat: float, buurt: Neighbourhood, organisation: Organisation) -> Place:
        return PlaceFactory.create(organisation=organisation, lat=lat, lon=4.0, neighbourhood=buurt)

    def activity(
        title: str, organisation: Organisation, lat: float | None, buurt: Neighbourhood, perspective: str, **kw: object
    ) -> Activity:
        where = place(lat, buurt, organisation) if lat is not None else None
        return ActivityFactory.create(
            title=title, organisation=organisation, place=where, action_perspective=perspective, **kw
        )

    linde, vooruit = socialmap.organisation, socialmap.other_organisation
    library = OrganisationFactory.create(municipality=a, name="Bibliotheek Alfadorp")

    def org(name: str) -> Organisation:
        return OrganisationFactory.create(municipality=a, name=name)

    acts = {
        "X1": activity("Koffie-ochtend", linde, 52.000, south_buurt, "warme_plek"),
        "X2": activity("Samen koken", linde, 52.000, south_buurt, "mild_werkverband"),
        "X3": activity("Voetbal voor iedereen", vooruit, 52.000, south_buurt, "mild_werkverband"),
        "Y1": activity("Moestuin Noord", org("Tuinclub Noord"), 52.010, north_buurt, "omgevingsinitiatief"),
        "Y2": activity("Zwerfvuil prikken", org("Schoon Noord"), 52.010, north_buurt, "omgevingsinitiatief"),
        "Y3": activity("Inloop De Kade", org("Stichting De Kade"), 52.010, north_buurt, "warme_plek"),
        "Z1": activity("Voorleesuur", library, 52.050, south_buurt, "omgevingsinitiatief"),
        "Z2": activity("Taalcafé", library, 52.050, south_buurt, "omgevingsinitiatief"),
        # 300 m north of Y3 (0.0027 degrees of latitude), and 2 km north of W1.
        "W1": activity("Huiskamer Noord", org("Huiskamer Noord"), 52.0127, north_buurt, "warme_plek"),
        "W2": activity("Open tafel", org("Diaconie"), 52.0307, north_buurt, "warme_plek"),
        "E": activity("Zomerclub online", org("Zomerclub"), None, south_buurt, "", active_until=dt.date(2026, 8, 31)),
        "draft": activity("Nog een concept", linde, 52.000, south_buurt, "warme_plek", status=ActivityStatus.DRAFT),
        "ended": activity("Oude leesclub", library, 52.050, south_buurt, "", active_until=dt.date(2026, 6, 30)),
    }
    monitoring = "monitoring"
    p1, p2, p3, p4, p5 = (_profile(personas, f"Deelnemer {n}", monitoring, "referral") for n in range(1, 6))
    unconsented = _profile(personas, "Zonder monitor", "contact")
    july, august = dt.date(2026, 7, 7), dt.date(2026, 8, 4)
    for key in ("X1", "X2", "X3"):
        _attend(acts[key], july, p1, p2)
    _attend(acts["X3"], august, p1, p5)
    for key in ("Y1", "Y2", "Y3"):
        _attend(acts[key], july, p3, p4)
    _attend(acts["draft"], july, p1)
    _attend(acts["W1"], july, unconsented)
    _attend(acts["W2"], july, unconsented)
    _attend(acts["E"], july, anonymous=7)
    # Before the period: attendance outside Q3 links nothing now, and p1 at X1 and X2 in Q2 makes
    # that pair not new.
    _attend(acts["X1"], dt.date(2026, 5, 5), p1)
    _attend(acts["X2"], dt.date(2026, 5, 6), p1)
    _attend(acts["W1"], dt.date(2026, 5, 5), p3)

    group = Group.objects.create(municipality=a, name="Wandelgroep Noord")
    group.activities.set([acts["Y2"], acts["Y3"]])
    _refer(p5, on=dt.date(2026, 8, 10), activity=acts["Y1"])
    _refer(p4, on=dt.date(2026, 9, 1), group=group)
    _refer(p1, on=dt.date(2026, 6, 20), activity=acts["W2"])  # before the period
    _refer(p2, on=dt.date(2026, 9, 2), activity=acts["draft"])  # not a node
    return World(personas, socialmap, north, acts, {"p1": p1, "p2": p2, "p3": p3, "p4": p4, "p5": p5})


def _ids(world: World, *keys: str) -> set[int]:
    return {world.activities[k].pk for k in keys}


# --- the hand-worked network -----------------------------------------------------------------------


def test_network_structure_worked_by_hand(world: World) -> None:
    network = network_for(world.personas.municipality_a, Q3)
    assert {n.id for n in network.nodes} == _ids(world, "X1", "X2", "X3", "Y1", "Y2", "Y3", "Z1", "Z2", "W1", "W2", "E")
    links = {
        (network.node(link.a).title, network.node(link.b).title): link
        for link in map(network.link, range(len(network.link_i)))
    }
    by_keys = {}
    for link in links.values():
        names = {k for k, act in world.activities.items() if act.pk in (link.a, link.b)}
        by_keys[frozenset(names)] = (link.participants, link.organiser, link.referrals, link.weight)
    assert by_keys == {
        frozenset({"X1", "X2"}): (2, True, 0, 3.0),
        frozenset({"X1", "X3"}): (2, False, 0, 2.0),
        frozenset({"X2", "X3"}): (2, False, 0, 2.0),
        frozenset({"Y1", "Y2"}): (2, False, 1, 3.0),
        frozenset({"Y1", "Y3"}): (2, False, 1, 3.0),
        frozenset({"Y2", "Y3"}): (2, False, 1, 3.0),
        frozenset({"X3", "Y1"}): (0, False, 1, 1.0),
        frozenset({"Z1", "Z2"}): (0, True, 0, 1.0),
    }
    assert {n.id for n in network.isolated} == _ids(world, "W1", "W2", "E")
    assert network.component_sizes == [6, 2]
    assert {n.id for n, flag in zip(network.nodes, network.in_largest, strict=True) if flag} == _ids(
        world, "X1", "X2", "X3", "Y1", "Y2", "Y3"
    )
    bridges = {(frozenset({b.link.a, b.link.b}), b.separates) for b in network.bridges}
    assert bridges == {(frozenset(_ids(world, "X3", "Y1")), 3), (frozenset(_ids(world, "Z1", "Z2")), 1)}
    assert network.bridges[0].separates == 3  # the one that cuts off most comes first
    assert [set(c.activity_ids) for c in network.communities] == [
        _ids(world, "X1", "X2", "X3"),
        _ids(world, "Y1", "Y2", "Y3"),
        _ids(world, "Z1", "Z2"),
    ]
    assert network.communities[0].top_organisations == (("Buurthuis De Linde", 2), ("Sportclub Vooruit", 1))
    # Strengths: X1 5, X2 5, X3 5, Y1 7, Y2 6, Y3 6, Z1 1, Z2 1; total weight W = 18 (2W = 36).
    # Q = sum over communities of L_c/W - (d_c/2W)^2:
    #   X: 7/18 - (15/36)^2, Y: 9/18 - (19/36)^2, Z: 1/18 - (2/36)^2
    expected = (7 / 18 - (15 / 36) ** 2) + (9 / 18 - (19 / 36) ** 2) + (1 / 18 - (2 / 36) ** 2)
    assert network.modularity == pytest.approx(expected)  # 0.4892


def test_cells_worked_by_hand(world: World) -> None:
    a = world.personas.municipality_a
    network = network_for(a, Q3)
    tree = area_tree(a)
    cells = {(c.indicator, c.area_code): c for c in coherence_cells(network=network, tree=tree, period=Q3)}
    values = {key: (c.numerator, c.denominator, c.value) for key, c in cells.items()}
    # 11 activities; E (online) counts only for the municipality.
    assert values[("coherence.linked", "GM0001")] == (8, 11, 72.7)
    assert values[("coherence.largest", "GM0001")] == (6, 11, 54.5)
    # Centrum Alfa: X1, X2, X3, Z1, Z2 (all linked; X1-X3 in the largest component)
    assert values[("coherence.linked", "WK000101")] == (5, 5, 100.0)
    assert values[("coherence.largest", "WK000101")] == (3, 5, 60.0)
    # Noord: Y1, Y2, Y3 (linked, largest), W1, W2 (isolated)
    assert values[("coherence.linked", "WK000102")] == (3, 5, 60.0)
    assert values[("coherence.largest", "WK000102")] == (3, 5, 60.0)
    assert values[("coherence_structure.components", "GM0001")] == (2, None, 2)
    assert values[("coherence_structure.bridges", "GM0001")] == (2, None, 2)
    assert values[("coherence_structure.communities", "GM0001")] == (3, None, 3)
    assert len(cells) == 2 * 3 + 3 and all(c.unit in ("count", "percentage") for c in cells.values())
    assert {c.target_group for c in cells.values()} == {""}
    # Six pairs share a participant in Q3; X1-X2 did in Q2 as well.
    (new_links,) = new_links_cells(municipality=a, network=network, tree=tree, period=Q3)
    assert (new_links.indicator, new_links.area_code, new_links.value) == ("new_links", "GM0001", 5)


def test_cells_refuse_a_network_of_another_period(world: World) -> None:
    network = network_for(world.personas.municipality_a, Q3)
    with pytest.raises(ValueError, match="2026-Q3"):
        coherence_cells(network=network, tree=area_tree(world.personas.municipality_a), period=parse_period("2026-Q2"))


def test_revoking_monitoring_consent_removes_a_participant_at_once(world: World) -> None:
    people_services.consent_revoke(actor=None, profile=world.profiles["p5"], purpose="monitoring")
    network = network_for(world.personas.municipality_a, Q3)
    # The bridge X3-Y1 was p5's referral: without it, X and Y fall apart.
    assert network.component_sizes == [3, 3, 2]
    assert len(network.bridges) == 1


def test_suggestions_near_warm_places_without_shared_participants(world: World) -> None:
    network = network_for(world.personas.municipality_a, Q3)
    # Y3 and W1 are warm places 300 m apart, in different parts of the network; W2 is 2 km from W1
    # and 2.3 km from Y3; X1 is a warm place 1.1 km from Y3; the draft is no node.
    assert [(s.a, s.b, s.perspective) for s in network.suggestions] == [
        (min(_ids(world, "Y3", "W1")), max(_ids(world, "Y3", "W1")), "warme_plek")
    ]
    assert network.suggestions[0].distance_m == pytest.approx(300.2, abs=0.5)


def test_the_same_input_gives_the_same_communities(world: World) -> None:
    first = network_for(world.personas.municipality_a, Q3)
    second = network_for(world.personas.municipality_a, Q3)
    assert np.array_equal(first.community, second.community)
    assert first.modularity == second.modularity


# --- the pure parts --------------------------------------------------------------------------------


def _node(pk: int, organisation: int = 0, district: int | None = 1) -> ActivityNode:
    return ActivityNode(
        id=pk,
        title=f"A{pk}",
        organisation_id=organisation or 1000 + pk,
        organisation=f"Org {organisation or pk}",
        type_code="ontmoeten",
        perspective="",
        neighbourhood_id=None,
        district_id=district,
        lat=None,
        lon=None,
    )


def test_participant_pairs_count_distinct_people_per_pair() -> None:
    pairs = participant_pairs(np.array([1, 1, 1, 2, 2, 3]), np.array([10, 20, 30, 20, 30, 10]))
    assert dict(zip(zip(pairs.a.tolist(), pairs.b.tolist(), strict=True), pairs.count.tolist(), strict=True)) == {
        (10, 20): 1,
        (10, 30): 1,
        (20, 30): 2,
    }


def test_a_participant_with_many_activities_counts_with_their_most_visited() -> None:
    activities = np.arange(1, 23)  # 22 activities
    visits = np.where(activities <= 20, 5, 1)  # 21 and 22 visited once
    pairs = participant_pairs(np.full(22, 7), activities, visits, cap=20)
    assert len(pairs) == 20 * 19 // 2
    assert not set(pairs.b.tolist()) & {21, 22}


def test_referral_pairs_count_each_person_once_per_pair() -> None:
    # person 1 attended 10 and 20, and was referred to 30 twice; person 2 attended 30, referred to 30.
    pairs = referral_pairs(np.array([1, 1, 2]), np.array([10, 20, 30]), np.array([1, 1, 2]), np.array([30, 30, 30]))
    assert list(zip(pairs.a.tolist(), pairs.b.tolist(), pairs.count.tolist(), strict=True)) == [
        (10, 30, 1),
        (20, 30, 1),
    ]


def test_a_path_has_bridges_that_cut_off_the_smaller_side() -> None:
    # 1 - 2 - 3 - 4 - 5 by shared participants: every link is a bridge
    pairs = PairCounts(np.array([1, 2, 3, 4]), np.array([2, 3, 4, 5]), np.array([1, 1, 1, 1]))
    network = analyse([_node(k) for k in range(1, 6)], pairs, PairCounts.empty())
    assert sorted(((b.link.a, b.link.b), b.separates) for b in network.bridges) == [
        ((1, 2), 1),
        ((2, 3), 2),
        ((3, 4), 2),
        ((4, 5), 1),
    ]
    assert network.component_sizes == [5] and not network.isolated


def test_large_organisations_link_their_activities_per_district() -> None:
    nodes = [_node(k, organisation=1, district=1 + k % 2) for k in range(1, 7)] + [_node(9, organisation=2)]
    small = analyse(nodes, PairCounts.empty(), PairCounts.empty(), organiser_clique_max=10)
    assert small.component_sizes == [6]  # one clique: 15 links
    assert len(small.link_i) == 15
    large = analyse(nodes, PairCounts.empty(), PairCounts.empty(), organiser_clique_max=5)
    assert large.component_sizes == [3, 3]  # per district: 3 + 3 links
    assert len(large.link_i) == 6


def test_no_links_at_all() -> None:
    network = analyse([_node(1), _node(2)], PairCounts.empty(), PairCounts.empty())
    assert network.components == 0 and not network.bridges and not network.communities
    assert network.modularity is None and len(network.isolated) == 2
    assert not network.in_largest.any()
    empty = analyse([], PairCounts.empty(), PairCounts.empty())
    assert empty.components == 0 and empty.nodes == []


def test_distance() -> None:
    assert distance_m(np.array(52.0), np.array(4.0), np.array(52.0027), np.array(4.0)) == pytest.approx(300.2, abs=0.5)


# --- the page ---------------------------------------------------------------------------------------


def _client(user: User | None, second_factor: bool = True) -> Client:
    client = Client()
    return client if user is None else login(client, user, second_factor=second_factor)


@pytest.fixture
def analyst(personas: Personas) -> User:
    user = UserFactory.create(email="analist@alfadorp.test")
    RoleAssignmentFactory.create(user=user, municipality=personas.municipality_a, role=Role.ANALYST)
    return user


@pytest.mark.parametrize(
    ("who", "second_factor", "expected"),
    [
        ("anonymous", True, "login"),
        ("resident", True, 404),
        ("professional", True, 404),
        ("organiser", True, 404),
        ("outsider", True, 404),
        ("coordinator", False, "2fa"),
        ("coordinator", True, 200),
        ("admin", True, 200),
        ("analyst", False, 200),
    ],
)
def test_who_may_see_the_page(world: World, analyst: User, who: str, second_factor: bool, expected: int | str) -> None:
    users = {
        "anonymous": None,
        "organiser": world.socialmap.organiser,
        "analyst": analyst,
    }
    user = users[who] if who in users else getattr(world.personas, who)
    response = _client(user, second_factor).get(PAGE, {"periode": "2026-Q3"})
    if expected == "login":
        assert response.status_code == 302 and response["Location"].startswith("/account/inloggen/")
    elif expected == "2fa":
        assert response.status_code == 302 and "tweede-stap" in response["Location"]
    else:
        assert response.status_code == expected


def test_another_municipality_is_not_found(world: World) -> None:
    with scope(municipality=world.personas.municipality_b):
        assert _client(world.personas.coordinator).get("/betastad/monitor/samenhang/").status_code == 404
    assert _client(world.personas.outsider).get(PAGE).status_code == 404


def test_the_page_shows_activities_and_counts_never_people(world: World) -> None:
    response = _client(world.personas.coordinator).get(PAGE, {"periode": "2026-q3"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Deze twee warme plekken delen geen deelnemers, maar liggen 300 m uit elkaar." in page
    assert "Inloop De Kade" in page and "Huiskamer Noord" in page
    # The bridge X3-Y1 rests on one referred participant: shown as <5, never as 1.
    assert "&lt;5 doorverwezen deelnemers" in page
    assert "Zomerclub online" in page  # isolated, without a district
    assert "Zonder wijk" in page
    for profile in ResidentProfile.objects.all():
        assert str(profile.key) not in page and str(profile.key)[:8] not in page
    for name in ("Deelnemer", "Zonder monitor"):
        assert name not in page
    assert "Nog een concept" not in page


def test_the_page_defaults_to_the_last_complete_quarter(world: World) -> None:
    response = _client(world.personas.coordinator).get(PAGE)
    assert response.status_code == 200
    assert response.context["period"].kind == "quarter"


def test_a_wrong_period_is_a_clear_error(world: World) -> None:
    response = _client(world.personas.coordinator).get(PAGE, {"periode": "kwartaal drie"})
    assert response.status_code == 400
    assert "is geen periode" in response.content.decode()
    assert "overview" not in response.context


def test_the_page_in_english(world: World) -> None:
    client = _client(world.personas.coordinator)
    response = client.get(PAGE, {"periode": "2026-Q3"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()


def test_the_page_follows_new_attendance(world: World) -> None:
    client = _client(world.personas.coordinator)
    assert client.get(PAGE, {"periode": "2026-Q3"}).context["overview"].isolated == 3
    # p3 now also comes to the two warm places: a new session each, so the cached overview is stale.
    _attend(world.activities["W1"], dt.date(2026, 9, 8), world.profiles["p3"])
    _attend(world.activities["W2"], dt.date(2026, 9, 9), world.profiles["p3"])
    overview = client.get(PAGE, {"periode": "2026-Q3"}).context["overview"]
    assert overview.isolated == 1 and overview.components == 2


def test_counts_of_people_below_five_are_shown_as_less_than_five() -> None:
    assert [people_count(n) for n in (0, 1, 4, 5, 12)] == ["0", "<5", "<5", "5", "12"]
    assert [people_count(n, 10) for n in (0, 4, 9, 10)] == ["0", "<10", "<10", "10"]


def test_the_page_uses_the_municipalitys_threshold(world: World) -> None:
    """With a threshold of 10 (the settings page), no link shows a count of people under 10, and the
    cached page of the default threshold is not reused."""
    client = _client(world.personas.coordinator)
    assert "&lt;5" in client.get(PAGE, {"periode": "2026-Q3"}).content.decode()
    MonitorSettings.objects.create(municipality=world.personas.municipality_a, min_count=10)
    response = client.get(PAGE, {"periode": "2026-Q3"})
    rows = response.context["overview"].bridge_rows
    assert rows and all(row.participants in ("", "<10") and row.referrals in ("", "<10") for row in rows)
    page = response.content.decode()
    assert "&lt;5" not in page
    assert "Een aantal mensen van 1 tot en met 9 zie je als &lt;10." in page
