"""Supporters: the service's checks, the default barriers they lift, and the VOG's three years."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from nabij.support import services
from nabij.support.models import VogStatus
from tests.support.conftest import MONDAY_MORNING, SupportWorld

pytestmark = pytest.mark.django_db


def test_a_new_supporter_lifts_no_host_and_registration(support: SupportWorld) -> None:
    # Default barrier bits (docs/barriers.md): registration 1, no_host 3 → 0b1010 = 10.
    assert support.other_supporter.lifts_mask == 10
    assert services.default_lifts_mask(support.personas.municipality_a) == 10


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"name": " "}, {"name": ["Vul de naam van het maatje in."]}),
        ({"capacity": 0}, {"capacity": ["Een maatje heeft 1 tot en met 10 deelnemers tegelijk."]}),
        (
            {"languages": ["nl", "arabisch"]},
            {"languages": ["Gebruik taalcodes van twee letters, zoals nl, ar of tr: arabisch."]},
        ),
        ({"availability": 0}, {"availability": ["Kies minstens één dagdeel waarop het maatje tijd heeft."]}),
        ({"vog_status": VogStatus.ISSUED}, {"vog_issued_on": ["Vul in wanneer de VOG is afgegeven."]}),
        ({"lifts_mask": 1 << 40}, {"lifts_mask": ["Dit zijn geen drempels uit de lijst van deze gemeente."]}),
        ({"neighbourhood": "BU00020101"}, {"neighbourhood": ["Deze buurt hoort niet bij deze gemeente."]}),
    ],
)
def test_supporter_create_says_what_is_wrong(support: SupportWorld, fields: dict, errors: dict) -> None:
    values = {"name": "Nina", "availability": MONDAY_MORNING, **fields}
    with pytest.raises(ValidationError) as raised:
        services.supporter_create(actor=None, municipality=support.personas.municipality_a, **values)
    assert raised.value.message_dict == errors


def test_an_account_must_hold_the_supporter_role(support: SupportWorld) -> None:
    with pytest.raises(ValidationError) as raised:
        services.supporter_create(
            actor=None,
            municipality=support.personas.municipality_a,
            name="Bea",
            availability=MONDAY_MORNING,
            user=support.personas.resident,
        )
    assert raised.value.message_dict == {"user": ["Dit account heeft geen rol als maatje in deze gemeente."]}


def test_only_coordinators_keep_the_list(support: SupportWorld) -> None:
    for someone in (support.supporter_user, support.personas.professional, support.personas.outsider):
        with pytest.raises(PermissionDenied):
            services.supporter_update(actor=someone, supporter=support.other_supporter, capacity=2)
    services.supporter_update(actor=support.personas.coordinator, supporter=support.other_supporter, capacity=2)
    support.other_supporter.refresh_from_db()
    assert support.other_supporter.capacity == 2


def test_vog_renewal_after_three_years(support: SupportWorld) -> None:
    today = timezone.localdate()
    sanne = support.supporter
    sanne.vog_issued_on = today - dt.timedelta(days=3 * 365 - 1)
    assert sanne.vog_valid_on(today) and not services.vog_renewal_due(sanne, today)
    sanne.vog_issued_on = today - dt.timedelta(days=3 * 365)
    assert not sanne.vog_valid_on(today) and services.vog_renewal_due(sanne, today)
    with pytest.raises(ValidationError):
        services.supporter_update(actor=None, supporter=sanne, vog_issued_on=today + dt.timedelta(days=1))


def test_deactivated_supporters_are_not_matched(support: SupportWorld) -> None:
    support.make_profile("Fatima")
    services.supporter_deactivate(actor=support.personas.coordinator, supporter=support.supporter)
    matching_round = services.matching_round_start(actor=None, municipality=support.personas.municipality_a)
    assert matching_round.stats["supporters"] == 1  # only Olaf, who has no VOG
    assert matching_round.stats["proposals"] == 0
