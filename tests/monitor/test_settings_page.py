"""The monitor settings page: who may change the thresholds, and bad input."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope

from nabij.accounts.models import Role
from nabij.core.models import AuditEntry
from nabij.monitor.models import MonitorSettings
from nabij.testing.factories import RoleAssignmentFactory, UserFactory
from nabij.testing.personas import Personas, login
from tests.conftest import SocialMap


def url(personas: Personas) -> str:
    return reverse("monitor:settings", kwargs={"municipality": personas.municipality_a.slug})


def test_coordinator_changes_the_thresholds(personas: Personas, coordinator_client: Client) -> None:
    page = coordinator_client.get(url(personas))
    assert page.status_code == 200
    assert b'value="5"' in page.content and b'value="20"' in page.content
    response = coordinator_client.post(
        url(personas), {"min_count": 10, "min_base": 50, "walk_metres": 600, "detour_factor": 1.2}
    )
    assert response.status_code == 302
    with scope(municipality=personas.municipality_a):
        saved = MonitorSettings.objects.get(municipality=personas.municipality_a)
        assert (saved.min_count, saved.min_base, saved.walk_metres, saved.detour_factor) == (10, 50, 600, 1.2)
        entry = AuditEntry.objects.filter(record_type="monitor.monitorsettings").get()
    assert entry.detail["changed"]["min_count"] == [5, 10]


def test_bad_values_are_refused_and_nothing_is_saved(personas: Personas, coordinator_client: Client) -> None:
    response = coordinator_client.post(
        url(personas), {"min_count": 1, "min_base": 20, "walk_metres": 800, "detour_factor": 9}
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"min_count", "detour_factor"}
    with scope(municipality=personas.municipality_a):
        assert not MonitorSettings.objects.exists()


@pytest.mark.parametrize("role", [Role.ANALYST, Role.PROFESSIONAL, Role.RESIDENT, Role.SUPPORTER])
def test_other_roles_do_not_see_it(personas: Personas, role: str) -> None:
    user = UserFactory.create()
    RoleAssignmentFactory.create(user=user, municipality=personas.municipality_a, role=role)
    assert login(Client(), user).get(url(personas)).status_code == 404


def test_organisers_do_not_see_it(personas: Personas, socialmap: SocialMap) -> None:
    assert login(Client(), socialmap.organiser).get(url(personas)).status_code == 404


def test_other_municipality_and_anonymous(personas: Personas, outsider_client: Client) -> None:
    assert outsider_client.get(url(personas)).status_code == 404
    response = Client().get(url(personas))
    assert response.status_code == 302 and "/account/" in response["Location"]
