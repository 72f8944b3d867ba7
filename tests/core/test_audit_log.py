"""The audit log is append-only: through the ORM, the admin and the database itself."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django_scopes import scope, scopes_disabled

from nabij.core.audit import audit, pseudonymous_ref
from nabij.core.models import AuditAction, AuditEntry, AuditPurpose
from nabij.core.models.audit import AuditLogImmutable
from nabij.testing.personas import Personas, login


@pytest.fixture
def entry(personas: Personas) -> AuditEntry:
    return audit(
        actor=personas.professional,
        municipality=personas.municipality_a,
        action=AuditAction.READ,
        purpose=AuditPurpose.SUPPORT,
        record=personas.resident,
    )


def test_entry_names_people_by_pseudonym_only(entry: AuditEntry, personas: Personas) -> None:
    assert entry.actor_ref == personas.professional.pseudonym
    assert entry.record_ref == personas.resident.pseudonym == pseudonymous_ref(personas.resident)
    assert entry.record_type == "accounts.user"
    assert personas.resident.email not in str(entry.detail)


def test_system_actor_is_recorded_as_system(personas: Personas) -> None:
    entry = audit(
        actor=None,
        municipality=personas.municipality_a,
        action=AuditAction.CREATE,
        purpose=AuditPurpose.ADMINISTRATION,
        record_type="core.neighbourhood",
        record_ref="BU00010101",
    )
    assert entry.actor_id is None
    assert entry.actor_ref == "system"


def test_orm_refuses_change_and_delete(entry: AuditEntry) -> None:
    entry.purpose = AuditPurpose.MONITORING
    with pytest.raises(AuditLogImmutable):
        entry.save()
    with pytest.raises(AuditLogImmutable):
        entry.delete()
    with pytest.raises(AuditLogImmutable):
        AuditEntry._base_manager.filter(pk=entry.pk).delete()
    with scopes_disabled():
        with pytest.raises(AuditLogImmutable):
            AuditEntry.objects.filter(pk=entry.pk).update(purpose="monitoring")
        with pytest.raises(AuditLogImmutable):
            AuditEntry.objects.filter(pk=entry.pk).delete()
        assert AuditEntry.objects.get(pk=entry.pk).purpose == AuditPurpose.SUPPORT


def test_database_refuses_update_even_in_raw_sql(entry: AuditEntry) -> None:
    table = AuditEntry._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET purpose = %s WHERE id = %s", ["monitoring", entry.pk])
    with scopes_disabled():
        assert AuditEntry.objects.get(pk=entry.pk).purpose == AuditPurpose.SUPPORT


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the DELETE trigger exists on PostgreSQL only")
def test_postgresql_refuses_delete_in_raw_sql(entry: AuditEntry) -> None:
    table = AuditEntry._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [entry.pk])
    with scopes_disabled():
        assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_log_is_scoped_to_its_municipality(entry: AuditEntry, personas: Personas) -> None:
    with scope(municipality=personas.municipality_b):
        assert not AuditEntry.objects.exists()
    with scope(municipality=personas.municipality_a):
        assert list(AuditEntry.objects.all()) == [entry]


def test_admin_cannot_add_change_or_delete(admin_user, entry: AuditEntry) -> None:
    admin_client = login(Client(), admin_user)
    base = "/admin/core/auditentry/"
    assert admin_client.get(base).status_code == 200
    assert admin_client.get(f"{base}add/").status_code == 403
    assert admin_client.post(f"{base}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert admin_client.post(f"{base}{entry.pk}/change/", {"purpose": "monitoring"}).status_code == 403
    with scopes_disabled():
        assert AuditEntry.objects.get(pk=entry.pk).purpose == AuditPurpose.SUPPORT
