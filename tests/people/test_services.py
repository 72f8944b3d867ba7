"""The people services: consent first, revocation at once, export of everything, erasure to an
anonymous remainder. Expected values are written out by hand."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from nabij.accounts import permissions
from nabij.core.models import AuditAction, AuditEntry
from nabij.people import services, signals
from nabij.people.models import Consent, LadderMeasurement, LonelinessMeasurement, ResidentProfile
from nabij.testing.personas import Personas
from tests.people.conftest import People

MOM = "min of meer"
EXAMPLE_11 = ["nee", MOM, "nee", "ja", "ja", "nee", MOM, "ja", MOM, "nee", "ja"]
DAY = dt.date(2025, 3, 1)


class Received:
    """Collects what a signal was sent with."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, sender: Any, **kwargs: Any) -> None:
        self.calls.append(kwargs)


@pytest.fixture
def revoked() -> Iterator[Received]:
    receiver = Received()
    signals.consent_revoked.connect(receiver, weak=False)
    yield receiver
    signals.consent_revoked.disconnect(receiver)


@pytest.fixture
def erased() -> Iterator[Received]:
    receiver = Received()
    signals.profile_erased.connect(receiver, weak=False)
    yield receiver
    signals.profile_erased.disconnect(receiver)


def _entries(profile: ResidentProfile) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(record_ref=str(profile.key)).order_by("id"))


# --- creating a profile -------------------------------------------------------------------------


def test_a_profile_without_consent_is_refused_and_nothing_is_written(people: People, personas: Personas) -> None:
    before = ResidentProfile.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.profile_create(
            actor=personas.professional, municipality=personas.municipality_a, consents=[], name="X"
        )
    assert caught.value.error_dict["consents"][0].code == "consent_required"
    assert (ResidentProfile.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize(
    "consents",
    [[("marketing", "de bewoner zelf")], [("support", "")], [("support", "a"), ("support", "b")], [("support",)]],
)
def test_invalid_consents_are_refused(people: People, personas: Personas, consents: list[Any]) -> None:
    before = ResidentProfile.objects.count()
    with pytest.raises(ValidationError):
        services.profile_create(actor=personas.professional, municipality=personas.municipality_a, consents=consents)
    assert ResidentProfile.objects.count() == before


def test_creating_records_who_gave_who_recorded_and_when(people: People, personas: Personas) -> None:
    start = timezone.now()
    profile = services.profile_create(
        actor=personas.professional,
        municipality=personas.municipality_a,
        consents=[("referral", "mentor P. Jansen"), ("contact", "mentor P. Jansen")],
        name="Fatima",
        languages="ar, NL",
        interests="naaien, , Naaien, tuinieren",
    )
    consents = list(profile.consents.order_by("purpose"))
    assert [(c.purpose, c.given_by, c.recorded_by, c.revoked_at) for c in consents] == [
        ("contact", "mentor P. Jansen", personas.professional, None),
        ("referral", "mentor P. Jansen", personas.professional, None),
    ]
    assert all(c.given_at >= start for c in consents)
    assert profile.created_by == personas.professional
    assert profile.languages == ["ar", "nl"]
    assert profile.interests == ["naaien", "tuinieren"]
    [entry] = _entries(profile)
    assert (entry.action, entry.purpose, entry.actor) == ("create", "referral", personas.professional)
    assert entry.detail["purposes"] == ["referral", "contact"]
    assert "Fatima" not in json.dumps(entry.detail) and "Jansen" not in json.dumps(entry.detail)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"neighbourhood": "BU00020101"}, "neighbourhood"),  # a neighbourhood of B
        ({"languages": ["nederlands"]}, "languages"),
        ({"preferred_types": ["zwemmen"]}, "preferred_types"),
        ({"barrier_mask": 1 << 40}, "barrier_mask"),  # no such barrier in the catalogue
        ({"availability": ["mo-night"]}, "availability"),
    ],
)
def test_wrong_facts_are_refused_per_field(
    people: People, personas: Personas, fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.profile_create(
            actor=None, municipality=personas.municipality_a, consents=[("support", "de bewoner zelf")], **fields
        )
    assert field in caught.value.error_dict


def test_an_account_belongs_to_one_profile(people: People, personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        services.profile_create(
            actor=None, municipality=personas.municipality_a, consents=[("support", "x")], user=personas.resident
        )
    assert "user" in caught.value.error_dict


@pytest.mark.parametrize("who", ["resident", "outsider"])
def test_only_workers_of_the_municipality_create_profiles(people: People, personas: Personas, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.profile_create(
            actor=getattr(personas, who), municipality=personas.municipality_a, consents=[("support", "x")]
        )


def test_update_needs_a_consent_for_the_purpose(people: People, personas: Personas) -> None:
    services.profile_update(actor=personas.professional, profile=people.bea, purpose="support", interests=["dansen"])
    people.bea.refresh_from_db()
    assert people.bea.interests == ["dansen"]
    with pytest.raises(PermissionDenied):  # Bea gave no consent for contact
        services.profile_update(actor=personas.professional, profile=people.bea, purpose="contact", name="B.")
    # The resident changes their own profile without a purpose of anyone else.
    services.profile_update(actor=personas.resident, profile=people.bea, name="Beatrix")
    assert _entries(people.bea)[-1].purpose == "account"
    with pytest.raises(ValidationError):
        services.profile_update(actor=None, profile=people.bea, key="nieuw")


# --- consent ------------------------------------------------------------------------------------


def test_revoking_takes_effect_at_once_and_sends_the_signal(
    people: People, personas: Personas, revoked: Received
) -> None:
    bea = people.bea
    assert ResidentProfile.objects.with_consent("support").filter(pk=bea.pk).exists()
    consent = services.consent_revoke(actor=personas.resident, profile=bea, purpose="support")
    assert revoked.calls == [
        {"signal": signals.consent_revoked, "profile": bea, "purpose": "support", "actor": personas.resident}
    ]
    # In the database at once: no current support consent, out of every consented list.
    consent.refresh_from_db()
    assert consent.revoked_at is not None and consent.revoked_by == personas.resident
    assert not bea.has_consent("support")
    assert not ResidentProfile.objects.with_consent("support").filter(pk=bea.pk).exists()
    assert ResidentProfile.objects.with_consent("referral").filter(pk=bea.pk).exists()

    professional = personas.professional
    professional.is_verified = lambda: True  # type: ignore[attr-defined]  # as OTPMiddleware after TOTP
    assert not permissions.can_read_profile(professional, bea, "support")
    assert permissions.can_read_profile(professional, bea, "referral")
    entry = _entries(bea)[-1]
    assert (entry.action, entry.purpose, entry.detail["revoked"]) == ("change", "support", True)


def test_revoking_what_is_not_there_is_refused(people: People, personas: Personas, revoked: Received) -> None:
    with pytest.raises(ValidationError):
        services.consent_revoke(actor=personas.resident, profile=people.bea, purpose="contact")
    assert revoked.calls == []


def test_a_failing_receiver_rolls_the_revocation_back(people: People, personas: Personas) -> None:
    def broken(sender: Any, **kwargs: Any) -> None:
        raise RuntimeError("matching round is locked")

    signals.consent_revoked.connect(broken, weak=False)
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.consent_revoke(actor=personas.resident, profile=people.bea, purpose="support")
    finally:
        signals.consent_revoked.disconnect(broken)
    assert people.bea.has_consent("support")


def test_giving_consent_again_after_revoking(people: People, personas: Personas) -> None:
    with pytest.raises(ValidationError):  # there is a current one
        services.consent_give(actor=personas.resident, profile=people.bea, purpose="support", given_by="ik")
    services.consent_revoke(actor=personas.resident, profile=people.bea, purpose="support")
    services.consent_give(
        actor=personas.professional, profile=people.bea, purpose="support", given_by="de bewoner zelf"
    )
    rows = list(Consent.objects.filter(profile=people.bea, purpose="support").order_by("pk"))
    assert [(row.revoked_at is None, row.recorded_by) for row in rows] == [(False, None), (True, personas.professional)]


def test_others_cannot_change_consent(people: People, personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        services.consent_revoke(actor=people.other_resident, profile=people.bea, purpose="support")
    with pytest.raises(PermissionDenied):
        services.consent_give(actor=people.supporter, profile=people.bea, purpose="contact", given_by="ik")


# --- measurements -------------------------------------------------------------------------------


def test_a_questionnaire_is_scored_and_stored(people: People, personas: Personas) -> None:
    measurement = services.loneliness_record(
        actor=personas.professional, profile=people.bea, version=11, answers=EXAMPLE_11, measured_on=DAY
    )
    measurement.refresh_from_db()
    assert (measurement.total, measurement.emotional, measurement.social) == (5, 3, 2)
    assert measurement.category == "matig eenzaam"
    assert measurement.answers == EXAMPLE_11
    assert measurement.recorded_by == personas.professional
    entry = _entries(people.bea)[-1]
    assert (entry.record_type, entry.action, entry.purpose) == ("people.lonelinessmeasurement", "create", "support")
    assert "total" not in entry.detail and "answers" not in entry.detail


def test_wrong_answers_write_nothing(people: People, personas: Personas) -> None:
    before = LonelinessMeasurement.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.loneliness_record(actor=None, profile=people.bea, version=6, answers=["ja"] * 5, measured_on=DAY)
    assert "answers" in caught.value.error_dict
    with pytest.raises(ValidationError):
        services.loneliness_record(
            actor=None,
            profile=people.bea,
            version=6,
            answers=["ja"] * 6,
            measured_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert (LonelinessMeasurement.objects.count(), AuditEntry.objects.count()) == before


def test_measuring_needs_consent_for_support_or_referral(people: People, personas: Personas) -> None:
    # Kees consented to contact only.
    with pytest.raises(PermissionDenied):
        services.ladder_record(actor=personas.professional, profile=people.kees, rung=2, measured_on=DAY)
    with pytest.raises(ValidationError):
        services.ladder_record(actor=None, profile=people.kees, rung=2, measured_on=DAY)


def test_ladder(people: People, personas: Personas) -> None:
    services.ladder_record(actor=personas.coordinator, profile=people.bea, rung="3", measured_on=DAY)
    with pytest.raises(ValidationError) as caught:
        services.ladder_record(actor=personas.coordinator, profile=people.bea, rung=7, measured_on=DAY)
    assert "rung" in caught.value.error_dict
    assert list(people.bea.ladder.values_list("rung", "measured_on")) == [(3, DAY)]


# --- export -------------------------------------------------------------------------------------


def test_export_contains_everything(people: People, personas: Personas) -> None:
    bea = people.bea
    services.loneliness_record(
        actor=personas.professional, profile=bea, version=11, answers=EXAMPLE_11, measured_on=DAY
    )
    services.ladder_record(actor=personas.professional, profile=bea, rung=2, measured_on=DAY)

    def support_part(sender: Any, profile: ResidentProfile, actor: Any, **kwargs: Any) -> dict[str, Any]:
        return {"test_section": [{"supporter": "Mo", "status": "active"}]} if profile == bea else {}

    signals.collect_export.connect(support_part, weak=False)
    try:
        data = services.profile_export(actor=personas.resident, profile=bea)
    finally:
        signals.collect_export.disconnect(support_part)
    json.dumps(data, cls=DjangoJSONEncoder)  # JSON-ready
    assert data["format"] == "nabij-profile-export" and data["format_version"] == 1
    assert data["municipality"] == {"code": "GM0001", "name": "Alfadorp"}
    profile = data["profile"]
    assert profile == {
        "key": str(bea.key),
        "name": "Bea",
        "account": "bewoner@alfadorp.test",
        "neighbourhood": {"code": "BU00010101", "name": "Oude Haven"},
        "birth_year_band": "1950-1959",
        "isolation_type": "social_and_personal",
        "barriers": [
            {"code": "cost", "label": "Kost geld"},
            {"code": "registration", "label": "Vooraf aanmelden of intake"},
        ],
        "interests": ["wandelen", "koken"],
        "languages": ["nl", "tr"],
        "availability": ["mo-morning", "we-afternoon"],
        "preferred_types": ["ontmoeten"],
        "requires_vog": True,
        "support_wanted_since": "2025-01-06T09:00:00+00:00",
        "created_at": bea.created_at.isoformat(),
        "erased_at": None,
    }
    assert [(c["purpose"], c["given_by"], c["recorded_by"], c["revoked_at"]) for c in data["consents"]] == [
        ("support", "de bewoner zelf", None, None),
        ("referral", "de bewoner zelf", None, None),
        ("monitoring", "de bewoner zelf", None, None),
    ]
    assert data["loneliness"] == [
        {
            "measured_on": "2025-03-01",
            "version": 11,
            "answers": EXAMPLE_11,
            "total": 5,
            "emotional": 3,
            "social": 2,
            "category": "matig eenzaam",
        }
    ]
    assert data["ladder"] == [{"measured_on": "2025-03-01", "rung": 2}]
    # What was done with the data: made by the system, two measurements by a worker.
    assert [(p["action"], p["record_type"], p["by_you"]) for p in data["processing"]] == [
        ("create", "people.residentprofile", False),
        ("create", "people.lonelinessmeasurement", False),
        ("create", "people.laddermeasurement", False),
    ]
    assert data["test_section"] == [{"supporter": "Mo", "status": "active"}]
    entry = _entries(bea)[-1]
    assert (entry.action, entry.purpose, entry.actor) == (AuditAction.EXPORT, "account", personas.resident)


def test_export_sections_cannot_be_taken_twice(people: People, personas: Personas) -> None:
    def clash(sender: Any, **kwargs: Any) -> dict[str, Any]:
        return {"profile": {}}

    signals.collect_export.connect(clash, weak=False)
    try:
        with pytest.raises(ValueError, match="profile"):
            services.profile_export(actor=None, profile=people.bea)
    finally:
        signals.collect_export.disconnect(clash)


def test_only_the_resident_or_a_coordinator_exports(people: People, personas: Personas) -> None:
    for actor in (personas.professional, people.other_resident, personas.admin, personas.outsider):
        with pytest.raises(PermissionDenied):
            services.profile_export(actor=actor, profile=people.bea)
    assert services.profile_export(actor=personas.coordinator, profile=people.bea)["profile"]["name"] == "Bea"


# --- erasure ------------------------------------------------------------------------------------


def test_erasure_leaves_only_the_anonymous_remainder(
    people: People, personas: Personas, revoked: Received, erased: Received
) -> None:
    bea = people.bea
    services.loneliness_record(
        actor=personas.professional, profile=bea, version=11, answers=EXAMPLE_11, measured_on=DAY
    )
    services.ladder_record(actor=personas.professional, profile=bea, rung=2, measured_on=DAY)
    created_at, key, pk = bea.created_at, bea.key, bea.pk

    services.profile_erase(actor=personas.resident, profile=bea)

    # Every consent revoked, one signal each, then one profile_erased.
    assert sorted(call["purpose"] for call in revoked.calls) == ["monitoring", "referral", "support"]
    assert [call["profile"].pk for call in erased.calls] == [pk]
    row = ResidentProfile.objects.get(pk=pk)
    # Kept, field by field:
    assert row.key == key
    assert row.municipality == personas.municipality_a
    assert row.neighbourhood == personas.neighbourhood_a
    assert row.birth_year_band == "1950-1959"
    assert row.isolation_type == "social_and_personal"
    assert row.created_at == created_at
    assert row.erased_at is not None
    # Cleared, field by field:
    assert row.name == ""
    assert row.user is None
    assert row.interests == []
    assert row.languages == []
    assert row.availability == 0
    assert row.barrier_mask == 0
    assert list(row.preferred_types.all()) == []
    assert row.requires_vog is True  # back to the default: says nothing about Bea
    assert row.support_wanted_since is None
    assert row.created_by is None
    # Consents: all revoked, purposes and dates kept as proof, who gave them cleared.
    assert [(c.purpose, c.given_by, c.revoked_at is not None) for c in row.consents.order_by("pk")] == [
        ("support", "", True),
        ("referral", "", True),
        ("monitoring", "", True),
    ]
    # Bea consented to monitoring: the scores stay, the answers and who recorded them do not.
    [loneliness] = LonelinessMeasurement.objects.filter(profile_id=pk)
    assert (loneliness.answers, loneliness.total, loneliness.emotional, loneliness.social) == ([], 5, 3, 2)
    assert (loneliness.category, loneliness.version, loneliness.recorded_by) == ("matig eenzaam", 11, None)
    [ladder] = LadderMeasurement.objects.filter(profile_id=pk)
    assert (ladder.rung, ladder.measured_on, ladder.recorded_by) == (2, DAY, None)
    # The remainder is out of every consented list but counts in the monitor's population.
    assert not ResidentProfile.objects.active().filter(pk=pk).exists()
    assert ResidentProfile.objects.monitor_population().filter(pk=pk).exists()
    # Audit entries never hold names.
    entries = _entries(row)
    assert entries[-1].action == "delete" and entries[-1].purpose == "account"
    assert entries[-1].detail == {"consents_revoked": 3, "scores_kept": True}
    assert all("Bea" not in json.dumps(e.detail) and "bewoner zelf" not in json.dumps(e.detail) for e in entries)
    # Erased is erased: nothing more can be done.
    for again in (
        lambda: services.profile_erase(actor=None, profile=row),
        lambda: services.consent_give(actor=None, profile=row, purpose="support", given_by="x"),
        lambda: services.ladder_record(actor=None, profile=row, rung=1, measured_on=DAY),
    ):
        with pytest.raises(ValidationError):
            again()


def test_erasure_without_monitoring_consent_deletes_the_measurements(people: People, personas: Personas) -> None:
    profile = services.profile_create(
        actor=None, municipality=personas.municipality_a, consents=[("support", "de bewoner zelf")], name="Ria"
    )
    services.loneliness_record(actor=None, profile=profile, version=6, answers=["ja"] * 6, measured_on=DAY)
    services.ladder_record(actor=None, profile=profile, rung=1, measured_on=DAY)
    services.profile_erase(actor=personas.coordinator, profile=profile)
    assert not LonelinessMeasurement.objects.filter(profile=profile).exists()
    assert not LadderMeasurement.objects.filter(profile=profile).exists()
    entry = _entries(profile)[-1]
    assert (entry.purpose, entry.detail["scores_kept"]) == ("administration", False)


def test_only_the_resident_or_a_coordinator_erases(people: People, personas: Personas) -> None:
    for actor in (personas.professional, people.other_resident, personas.admin, people.supporter):
        with pytest.raises(PermissionDenied):
            services.profile_erase(actor=actor, profile=people.bea)
    with scope(municipality=personas.municipality_b), pytest.raises(PermissionDenied):
        services.profile_erase(actor=personas.outsider, profile=people.bob)
