"""Recommendations for a profile: the wayfinder's ranking, with what the supporter lifts.

Scores (socialmap.search, lower first): 3 per barrier of the person, 1.5 when the action
perspective does not fit the isolation type, 1 per walking km from the neighbourhood's centroid.
"""

from __future__ import annotations

import pytest

from nabij.core.models import AuditEntry
from nabij.socialmap.models import ParticipationType
from nabij.support import services
from nabij.support.models import RelationStatus, SupportRelation
from nabij.support.selectors import recommendations_for
from nabij.testing.factories import ActivityFactory, PlaceFactory
from tests.support.conftest import SupportWorld, north_of

pytestmark = pytest.mark.django_db

NO_HOST = 1 << 3


@pytest.fixture
def offer(support: SupportWorld) -> None:
    organisation = support.socialmap.organisation
    home = support.home
    types = {t.code: t for t in ParticipationType.objects.all()}
    here = PlaceFactory.create(organisation=organisation, lat=home.centroid_lat, lon=home.centroid_lon)
    two_km = PlaceFactory.create(organisation=organisation, lat=north_of(home, 2_000), lon=home.centroid_lon)
    # The garden is next door but nobody welcomes you (no_host) and is a mild werkverband;
    # the coffee morning is 2 km away, a warme plek without barriers.
    ActivityFactory.create(
        organisation=organisation,
        place=here,
        participation_type=types["vrijwilligerswerk"],
        title="Moestuin",
        action_perspective="mild_werkverband",
        barrier_mask=NO_HOST,
        who_welcomes_you="",
    )
    ActivityFactory.create(
        organisation=organisation,
        place=two_km,
        participation_type=types["ontmoeten"],
        title="Koffieochtend",
        action_perspective="warme_plek",
    )


def titles(suggestions: list) -> list[tuple[str, float]]:
    return [(s.activity.title, round(s.score, 2)) for s in suggestions]


def test_the_supporter_lifts_no_host(support: SupportWorld, offer: None) -> None:
    fatima = support.make_profile("Fatima", barrier_mask=NO_HOST, isolation_type="social_and_personal")
    # Alone: coffee 0 + 0 + 2.0 = 2.0; garden 3 + 1.5 + 0 = 4.5.
    assert titles(recommendations_for(fatima)) == [("Koffieochtend", 2.0), ("Moestuin", 4.5)]
    relation = services.relation_create(actor=None, participant=fatima, supporter=support.supporter)
    # A proposed relation does not go along yet.
    assert titles(recommendations_for(fatima))[0] == ("Koffieochtend", 2.0)
    SupportRelation.objects.filter(pk=relation.pk).update(status=RelationStatus.INTRODUCED)
    # With Sanne going along no_host does not count: garden 0 + 1.5 + 0 = 1.5.
    suggestions = recommendations_for(fatima)
    assert titles(suggestions) == [("Moestuin", 1.5), ("Koffieochtend", 2.0)]
    assert suggestions[0].lifted == ("no_host",) and suggestions[0].barriers == ()


def test_preferred_types_first_and_never_an_empty_list(support: SupportWorld, offer: None) -> None:
    volunteer = support.make_profile("Vera", preferred_types=["vrijwilligerswerk"])
    assert [s.activity.title for s in recommendations_for(volunteer)] == ["Moestuin"]
    painter = support.make_profile("Piet", preferred_types=["creatief"])  # nothing creative on offer
    assert {s.activity.title for s in recommendations_for(painter)} == {"Moestuin", "Koffieochtend"}


def test_a_read_by_someone_else_is_audited(support: SupportWorld, offer: None) -> None:
    fatima = support.make_profile("Fatima")
    recommendations_for(fatima)
    assert not AuditEntry.objects.filter(detail__list="recommendations").exists()
    recommendations_for(fatima, actor=support.supporter_user)
    entry = AuditEntry.objects.get(detail__list="recommendations")
    assert (entry.actor, entry.purpose, entry.record_ref) == (support.supporter_user, "support", str(fatima.key))
