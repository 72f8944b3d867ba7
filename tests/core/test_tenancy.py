from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import ScopeError, scope, scopes_disabled

from nabij.core.audit import audit
from nabij.core.models import AuditAction, AuditPurpose, District, Neighbourhood
from nabij.testing.factories import RoleAssignmentFactory
from nabij.testing.personas import Personas, login


def test_unscoped_query_on_tenant_model_raises(personas: Personas) -> None:
    with pytest.raises(ScopeError):
        list(District.objects.all())
    with pytest.raises(ScopeError):
        Neighbourhood.objects.filter(code="BU00010101").exists()


def test_scope_shows_only_own_municipality(personas: Personas) -> None:
    with scope(municipality=personas.municipality_a):
        assert list(District.objects.values_list("code", flat=True)) == ["WK000101"]
        assert not Neighbourhood.objects.filter(code=personas.neighbourhood_b.code).exists()
    with scope(municipality=personas.municipality_b):
        assert list(District.objects.values_list("code", flat=True)) == ["WK000201"]
    with scopes_disabled():
        assert District.objects.count() == 2


def test_page_of_other_municipality_is_404(outsider_client, personas: Personas) -> None:
    response = outsider_client.get(f"/{personas.municipality_a.slug}/beheer/mensen/")
    assert response.status_code == 404


def test_home_page_answers(client, personas: Personas) -> None:
    assert client.get(f"/{personas.municipality_a.slug}/").status_code == 200
    assert client.get("/bestaat-niet/").status_code == 404


def test_member_of_two_municipalities_sees_each_ones_own_data_on_its_page(personas: Personas) -> None:
    """Scoping, not just roles: a coordinator of both A and B sees only A's log on A's page."""
    RoleAssignmentFactory.create(user=personas.coordinator, municipality=personas.municipality_b, role="coordinator")
    for municipality, ref in ((personas.municipality_a, "alleen-in-a"), (personas.municipality_b, "alleen-in-b")):
        audit(
            actor=None,
            municipality=municipality,
            action=AuditAction.READ,
            purpose=AuditPurpose.SUPPORT,
            record_type="accounts.user",
            record_ref=ref,
        )
    client = login(Client(), personas.coordinator)
    page_a = client.get("/alfadorp/beheer/auditlog/").content.decode()
    page_b = client.get("/betastad/beheer/auditlog/").content.decode()
    assert "alleen-in-a" in page_a and "alleen-in-b" not in page_a
    assert "alleen-in-b" in page_b and "alleen-in-a" not in page_b
