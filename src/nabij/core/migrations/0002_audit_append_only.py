"""Make the audit log append-only in the database itself, not only in the ORM.

UPDATE is refused on every backend. DELETE is refused on PostgreSQL too; on SQLite a
DELETE trigger would also block Django's own test-database flush (which uses DELETE
there, where PostgreSQL uses TRUNCATE), so on SQLite the ORM guard stands alone for deletes.
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION nabij_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'core_auditentry is append-only (%% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION nabij_audit_append_only();
CREATE TRIGGER core_auditentry_no_delete BEFORE DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION nabij_audit_append_only();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS core_auditentry_no_update ON core_auditentry;
DROP TRIGGER IF EXISTS core_auditentry_no_delete ON core_auditentry;
DROP FUNCTION IF EXISTS nabij_audit_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry
BEGIN
    SELECT RAISE(ABORT, 'core_auditentry is append-only (UPDATE refused)');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS core_auditentry_no_update;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD, params=())
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
