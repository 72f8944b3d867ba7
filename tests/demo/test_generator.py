"""The Voorbeeldstad generator: complete, deterministic per seed, refuses to run twice, extensible."""

from __future__ import annotations

import time
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Sum
from django.test import Client
from django.utils import timezone, translation
from django_scopes import scope

from nabij.accounts.models import Role, RoleAssignment, User
from nabij.core.models import AuditEntry, District, Municipality, Neighbourhood
from nabij.demo import registry
from nabij.demo.generator import DemoRefused, generate_demo
from nabij.demo.logins import DEMO_PASSWORD, demo_email, demo_logins
from nabij.demo.registry import SCALES, DemoContext
from nabij.groups.models import Group
from nabij.monitor.models import Attendance, AttendanceSession
from nabij.people.models import ResidentProfile
from nabij.socialmap.models import Activity, Organisation, Place, Sphere, TargetGroup
from nabij.socialmap.selectors import barrier_table
from nabij.support.models import Supporter, SupportRelation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def dutch() -> Iterator[None]:
    """The messages are asserted in Dutch, whatever language an earlier test left active."""
    with translation.override("nl"):
        yield


def voorbeeldstad() -> Municipality:
    return Municipality.objects.get(code="GM9999")


def snapshot() -> dict[str, Any]:
    """Everything the seed decides; database keys, pseudonyms and timestamps are not part of it."""
    municipality = voorbeeldstad()
    with scope(municipality=municipality):
        return {
            "municipality": (municipality.name, municipality.slug, municipality.population, municipality.boundary),
            "districts": list(District.objects.order_by("code").values_list("code", "name", "population", "boundary")),
            "neighbourhoods": list(
                Neighbourhood.objects.order_by("code").values_list(
                    "code", "name", "population", "households", "population_by_age", "boundary"
                )
            ),
            "organisations": list(Organisation.objects.order_by("name").values_list("name", "sphere", "kind")),
            "places": list(Place.objects.order_by("uid").values_list("uid", "name", "postcode", "lat", "lon")),
            "activities": list(
                Activity.objects.order_by("uid").values_list("uid", "title", "place__uid", "rrule", "barrier_mask")
            ),
            "profiles": list(
                ResidentProfile.objects.order_by("key").values_list(
                    "key", "name", "neighbourhood__code", "isolation_type", "barrier_mask", "languages"
                )
            ),
            "supporters": list(
                Supporter.objects.order_by("name", "vog_issued_on", "capacity").values_list(
                    "name", "role", "vog_issued_on", "capacity", "neighbourhood__code"
                )
            ),
            "relations": list(
                SupportRelation.objects.order_by("participant__key", "proposed_at").values_list(
                    "participant__key", "supporter__name", "status", "started_on"
                )
            ),
            "groups": list(Group.objects.order_by("uid").values_list("uid", "name", "status", "capacity")),
            "users": list(
                User.objects.filter(roles__municipality=municipality)
                .order_by("email")
                .values_list("email", "display_name", "roles__role", "roles__organisation__name")
            ),
        }


def generate_and_forget(*, seed: int, scale: str = "small", progress: Any = None) -> dict[str, Any]:
    """Generate, take a snapshot and roll back: the demo cannot be generated twice in one database."""
    with transaction.atomic():
        generate_demo(scale=scale, seed=seed, progress=progress)
        taken = snapshot()
        transaction.set_rollback(True)
    return taken


def test_same_seed_gives_the_same_city_and_another_seed_another() -> None:
    first = generate_and_forget(seed=5)
    again = generate_and_forget(seed=5)
    other = generate_and_forget(seed=6)

    assert first == again
    assert first["districts"] != other["districts"]
    assert [n[1] for n in first["neighbourhoods"]] != [n[1] for n in other["neighbourhoods"]]
    assert [n[2] for n in first["neighbourhoods"]] != [n[2] for n in other["neighbourhoods"]]
    # The codes follow from the scale, not from the seed.
    assert [n[0] for n in first["neighbourhoods"]] == [n[0] for n in other["neighbourhoods"]]


def test_small_scale_figures() -> None:
    context = generate_demo(scale="small", seed=1)
    municipality = context.municipality

    assert (municipality.code, municipality.name, municipality.slug) == ("GM9999", "Voorbeeldstad", "voorbeeldstad")
    assert municipality.population == 40_000
    with scope(municipality=municipality):
        districts = list(District.objects.all())
        neighbourhoods = list(Neighbourhood.objects.all())
    assert len(districts) == 3
    assert len(neighbourhoods) == 12
    assert all(d.code.startswith("WK9999") and len(d.code) == 8 for d in districts)
    assert all(n.code[2:8] == n.district.code[2:8] for n in neighbourhoods)
    assert "Centrum" in {d.name for d in districts}
    assert len({n.name for n in neighbourhoods}) == len(neighbourhoods)
    assert sum(d.population for d in districts) == 40_000
    for neighbourhood in neighbourhoods:
        assert sum(neighbourhood.population_by_age.values()) == neighbourhood.population
        assert neighbourhood.households is not None
        if neighbourhood.population > 500:
            assert 1.4 < neighbourhood.population / neighbourhood.households < 2.8
        # Inland in the Netherlands.
        assert 51.5 < neighbourhood.centroid_lat < 52.8 and 4.5 < neighbourhood.centroid_lon < 6.5


def test_every_role_has_a_demo_login_that_works() -> None:
    generate_demo(scale="small", seed=1)
    municipality = voorbeeldstad()
    with scope(municipality=municipality):
        for login in demo_logins():
            user = User.objects.get(email=login.email)
            assignment = RoleAssignment.objects.get(user=user)
            assert assignment.role == login.role
            assert (assignment.organisation is not None) == (login.role == Role.ORGANISER)
    assert {login.role for login in demo_logins()} == set(Role.values)
    response = Client().post(
        "/account/inloggen/", {"username": demo_email(Role.COORDINATOR), "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302, "the demo login should work"


def test_organisations_in_all_three_spheres_each_with_an_organiser() -> None:
    generate_demo(scale="small", seed=1)
    with scope(municipality=voorbeeldstad()):
        organisations = list(Organisation.objects.all())
        assert {o.sphere for o in organisations} == set(Sphere.values)
        assert {"gemeente", "wijkteam", "bewonersinitiatief", "bedrijf"} <= {o.kind for o in organisations}
        organised = set(RoleAssignment.objects.filter(role=Role.ORGANISER).values_list("organisation_id", flat=True))
        assert organised == {o.pk for o in organisations}
        assert RoleAssignment.objects.filter(role=Role.RESIDENT).count() == 1 + SCALES["small"].extra_residents
        assert RoleAssignment.objects.filter(role=Role.SUPPORTER).count() == 1 + SCALES["small"].extra_supporters


def test_every_role_grant_is_in_the_audit_log() -> None:
    generate_demo(scale="small", seed=1)
    with scope(municipality=voorbeeldstad()):
        grants = RoleAssignment.objects.count()
        assert AuditEntry.objects.filter(record_type="accounts.roleassignment").count() == grants
        assert AuditEntry.objects.filter(record_type="core.municipality", detail__source="demo").count() == 1
        assert not AuditEntry.objects.exclude(actor_ref="system").exists()


def test_a_second_run_is_refused_with_advice() -> None:
    generate_demo(scale="small", seed=1)
    with pytest.raises(DemoRefused, match="Begin met een lege database"):
        generate_demo(scale="small", seed=1)
    with pytest.raises(CommandError, match="verwijder bijvoorbeeld het SQLite-bestand"):
        call_command("generate_demo", "--seed", "2", verbosity=0)


def test_demo_accounts_without_the_municipality_are_refused() -> None:
    User.objects.create_user(email="resident@voorbeeldstad.nl", display_name="Al Bestaand")
    with pytest.raises(DemoRefused, match=r"@voorbeeldstad\.nl"):
        generate_demo(scale="small", seed=1)


def test_refused_in_production(settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(DemoRefused, match="productie"):
        generate_demo(scale="small", seed=1)
    assert not Municipality.objects.exists()


def test_a_failing_step_leaves_nothing_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(ctx: DemoContext) -> None:
        raise RuntimeError("stuk")

    registry.steps()  # discover the apps' steps first, so the patch adds to them
    monkeypatch.setitem(registry._STEPS, "broken", registry.Step(99, "broken", "Kapot", broken))
    with pytest.raises(RuntimeError):
        generate_demo(scale="small", seed=1)
    assert not Municipality.objects.exists()
    assert not User.objects.exists()


class RecordingProgress:
    def __init__(self) -> None:
        self.bars: list[list[Any]] = []  # [message, total, done]

    def start(self, total: int, message: str = "") -> None:
        self.bars.append([message, total, 0])

    def advance(self, amount: int = 1, message: str | None = None) -> None:
        self.bars[-1][2] += amount


def test_a_later_apps_step_gets_the_context_and_changes_nothing_before_it(monkeypatch: pytest.MonkeyPatch) -> None:
    without = generate_and_forget(seed=3)
    seen: dict[str, Any] = {}

    def extra(ctx: DemoContext) -> None:
        ctx.progress.start(2, "twee stappen")
        seen.update(
            municipality=ctx.municipality.code,
            scale=ctx.scale.name,
            districts=len(ctx.get("districts")),
            residents=len(ctx.get("users:resident")),
            activities=len(ctx.get("activities")),
            # Runs in the demo municipality's scope.
            neighbourhoods=Neighbourhood.objects.count(),
        )
        ctx.rng.random()  # its own random numbers, not the other steps'
        ctx.progress.advance(2)

    registry.steps()  # discover the apps' steps first, so the patch adds to them
    monkeypatch.setitem(registry._STEPS, "extra", registry.Step(99, "extra", "Extra", extra))
    progress = RecordingProgress()
    with_extra = generate_and_forget(seed=3, progress=progress)

    assert [s.name for s in registry.steps()] == [
        "geography",
        "organisations",
        "places",
        "users",
        "activities",
        "profiles",
        "support",
        "groups",
        "referrals",
        "attendance",
        "monitor",
        "extra",
    ]
    assert seen == {
        "municipality": "GM9999",
        "scale": "small",
        "districts": 3,
        "residents": 1 + SCALES["small"].extra_residents,
        "activities": 120,
        "neighbourhoods": 12,
    }
    assert with_extra == without
    # A bar per step (the organisations step reports nothing and still gets one), each completed.
    assert [bar[0] for bar in progress.bars] == [
        "1/12 Wijken en buurten: Gebieden opslaan",
        "2/12 Organisaties",
        "3/12 Plekken",
        "4/12 Accounts voor elke rol: Rollen toekennen",
        "5/12 Activiteiten",
        "6/12 Deelnemers met toestemming en metingen",
        "7/12 Maatjes, steunrelaties en contactmomenten",
        "8/12 Kleine groepen",
        "9/12 Warme overdrachten",
        "10/12 Aanwezigheid bij activiteiten",
        "11/12 Monitor: momentopnamen van de laatste twee kwartalen",
        "12/12 Extra: twee stappen",
    ]
    assert all(total == done > 0 for _message, total, done in progress.bars)
    # The activities bar counts activities, the participants' bar participants.
    assert progress.bars[4][1] == 120
    assert progress.bars[5][1] == 150


def test_scale_parameters() -> None:
    small, city = SCALES["small"], SCALES["city"]
    assert (small.districts, small.neighbourhoods, small.population) == (3, 12, 40_000)
    assert (city.districts, city.neighbourhoods, city.population) == (14, 90, 650_000)
    assert city.extra_residents > small.extra_residents
    assert city.extra_supporters > small.extra_supporters


def test_city_scale() -> None:
    """The Rotterdam-sized city of DESIGN.md §5 with its 8,000 activities and 20,000 participants."""
    # CPU time: other test runs on the machine slow the wall clock down, not the work.
    started = time.process_time()
    out = StringIO()
    call_command("generate_demo", "--scale", "city", "--seed", "1", stdout=out, verbosity=0)
    elapsed = time.process_time() - started

    municipality = voorbeeldstad()
    assert municipality.population == 650_000
    with scope(municipality=municipality):
        assert District.objects.count() == 14
        assert Neighbourhood.objects.count() == 90
        assert sum(District.objects.values_list("population", flat=True)) == 650_000
        assert Organisation.objects.count() == 6 + 14 * SCALES["city"].organisations_per_district
        assert RoleAssignment.objects.filter(role=Role.RESIDENT).count() == 1 + SCALES["city"].extra_residents
        assert Activity.objects.count() == 8_000
        # DESIGN.md §5: about 5 million attendance records over two years (named rows + anonymous heads).
        sessions = AttendanceSession.objects.aggregate(heads=Sum("anonymous_count"), named=Sum("named_count"))
        assert Attendance.objects.count() == sessions["named"]
        assert 4_500_000 < sessions["heads"] + sessions["named"] < 5_500_000
        # Issue 4: 20,000 registered participants and 10,000 supporters.
        assert ResidentProfile.objects.count() == 20_000
        assert Supporter.objects.count() == 10_000
        assert Activity.objects.filter(place__isnull=True).exists(), "some activities are online"
        # Places spread over the city: most neighbourhoods have one.
        assert Place.objects.values("neighbourhood").distinct().count() > 60
        epa = TargetGroup.objects.get(code="epa")
        rows = barrier_table(municipality=municipality, target_group=epa, day=timezone.localdate())
    columns = [sum(row.counts[k] for row in rows) for k in range(5)]
    assert sum(columns[2:]) > sum(columns[:2]), "most of the supply has 2+ barriers for epa (seed 003)"
    assert "650.000 inwoners" in out.getvalue()
    assert "activities: 8000" in out.getvalue()
    assert "profiles: 20000" in out.getvalue()
    # About 70 s of CPU before attendance, plus about 20 s for its ~5 million records (monitor demo step).
    assert elapsed < 120, f"city scale took {elapsed:.1f} s of CPU time"
