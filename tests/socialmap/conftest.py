"""Fixtures of the social map tests: the hand-built inventory the HSDS tests export and import."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nabij.socialmap.models import AMSTERDAM
from nabij.socialmap.services import (
    activity_create,
    activity_set_barriers,
    organisation_update,
    place_archive,
    place_create,
)
from nabij.testing.personas import Personas
from tests.conftest import SocialMap
from tests.socialmap.hsds_support import own_catalogue

# ---------------------------------------------------------------------------------------------
# The inventory
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def hsds_inventory(socialmap: SocialMap, personas: Personas) -> dict[str, Any]:
    a = personas.municipality_a
    own_catalogue(a)
    linde = organisation_update(
        actor=None,
        organisation=socialmap.organisation,
        description="Het buurthuis van de Lindebuurt.",
        website="https://linde.example.nl/",
        email="info@linde.example.nl",
        phone="010 123 45 67",
        sphere="oikos",
        kind="welzijn",
    )
    vooruit = socialmap.other_organisation  # oikos, bewonersinitiatief, no contact data
    buurthuis = place_create(
        actor=None,
        organisation=linde,
        name="Buurthuis De Linde",
        kind="buurthuis",
        street="Lindelaan",
        house_number="12 A",
        postcode="3011ab",
        city="Alfadorp",
        lat=52.005,
        lon=4.005,
        neighbourhood=personas.neighbourhood_a,
        step_free_entrance=True,
        wheelchair_accessible=False,
    )
    sportpark = place_create(
        actor=None,
        organisation=vooruit,
        name="Sportpark Vooruit",
        kind="sportpark",
        street="Laan 1940",
        city="Alfadorp",
    )
    koffie = activity_create(
        actor=None,
        organisation=linde,
        participation_type="ontmoeten",
        domains=["elkaar_helpen", "eigen_netwerken"],
        themes=["tuin"],
        title="Koffieochtend",
        description="Samen koffie drinken.",
        what_to_expect="Koffie, thee en een praatje.",
        who_welcomes_you="Gastvrouw Anja",
        place=buurthuis,
        dtstart=dt.datetime(2025, 1, 7, 10, 0, tzinfo=AMSTERDAM),
        duration=dt.timedelta(hours=2),
        rrule="FREQ=WEEKLY;BYDAY=TU",
        exdates=["2025-12-30", "2025-12-23"],
        active_from=dt.date(2025, 1, 7),
        active_until=dt.date(2025, 12, 31),
        cost_cents=250,
        has_free_option=True,
        expected_group_size=20,
        capacity=30,
        action_perspective="warme_plek",
        contact_email="koffie@linde.example.nl",
        contact_phone="010 765 43 21",
        status="published",
    )
    activity_set_barriers(actor=None, activity=koffie, codes=["crowded", "physical", "trap"])
    tekenles = activity_create(
        actor=None,
        organisation=linde,
        participation_type="creatief",
        title="Online tekenles",
        dtstart=dt.datetime(2025, 3, 6, 19, 30, tzinfo=AMSTERDAM),
        duration=dt.timedelta(minutes=90),
        rrule="FREQ=MONTHLY;BYDAY=1TH;COUNT=10",
        registration_required=True,
        sign_up_channel="online_only",
        commitment="series",
        level_required=True,
        dutch_language_required=True,
        status="draft",
    )
    weekend = activity_create(
        actor=None,
        organisation=vooruit,
        participation_type="bewegen",
        title="Wandelweekend",
        who_welcomes_you="Trainer Kees",
        place=sportpark,
        dtstart=dt.datetime(2025, 6, 14, 9, 0, tzinfo=AMSTERDAM),
        duration=dt.timedelta(hours=26),
        rrule="FREQ=YEARLY;UNTIL=20270614T070000Z",
        status="archived",
    )
    schoonmaak = activity_create(
        actor=None,
        organisation=vooruit,
        participation_type="vrijwilligerswerk",
        title="Buurtschoonmaak",
        who_welcomes_you="Buurman Ali",
        place=sportpark,
        dtstart=dt.datetime(2025, 4, 5, 9, 30, tzinfo=AMSTERDAM),
        duration=dt.timedelta(hours=3),
        status="published",
    )
    place_archive(actor=None, place=sportpark)
    return {
        "linde": linde,
        "vooruit": vooruit,
        "buurthuis": buurthuis,
        "sportpark": sportpark,
        "koffie": koffie,
        "tekenles": tekenles,
        "weekend": weekend,
        "schoonmaak": schoonmaak,
    }
