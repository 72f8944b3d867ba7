from __future__ import annotations

import pytest
from django_scopes import ScopeError, scope, scopes_disabled

from nabij.core.models import District, Neighbourhood
from nabij.testing.personas import Personas


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
