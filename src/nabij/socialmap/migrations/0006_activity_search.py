"""Full-text search on activities, native to each database (docs/architecture.md, "Search").

PostgreSQL: a GIN index on the `dutch` tsvector of title (weight A) and the B1 texts (weight B);
`nabij.socialmap.search` queries exactly this expression, so the planner uses the index.
SQLite: an FTS5 table (unicode61, diacritics removed) kept in step by triggers, ranked with bm25().
"""

from django.db import migrations

PG_DOCUMENT = (
    "setweight(to_tsvector('dutch'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('dutch'::regconfig, coalesce(description, '') || ' ' || "
    "coalesce(what_to_expect, '') || ' ' || coalesce(who_welcomes_you, '')), 'B')"
)
SQLITE_BODY = "coalesce({row}.description, '') || ' ' || coalesce({row}.what_to_expect, '') || ' ' || coalesce({row}.who_welcomes_you, '')"

FORWARD = {
    "postgresql": [f"CREATE INDEX socialmap_activity_fts ON socialmap_activity USING gin (({PG_DOCUMENT}))"],
    "sqlite": [
        "CREATE VIRTUAL TABLE socialmap_activity_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2')",
        f"""CREATE TRIGGER socialmap_activity_fts_insert AFTER INSERT ON socialmap_activity BEGIN
            INSERT INTO socialmap_activity_fts (rowid, title, body) VALUES (new.id, new.title, {SQLITE_BODY.format(row="new")});
        END""",
        f"""CREATE TRIGGER socialmap_activity_fts_update
            AFTER UPDATE OF title, description, what_to_expect, who_welcomes_you ON socialmap_activity BEGIN
            UPDATE socialmap_activity_fts SET title = new.title, body = {SQLITE_BODY.format(row="new")} WHERE rowid = old.id;
        END""",
        """CREATE TRIGGER socialmap_activity_fts_delete AFTER DELETE ON socialmap_activity BEGIN
            DELETE FROM socialmap_activity_fts WHERE rowid = old.id;
        END""",
        f"INSERT INTO socialmap_activity_fts (rowid, title, body) SELECT id, title, {SQLITE_BODY.format(row='socialmap_activity')} FROM socialmap_activity",
    ],
}
BACKWARD = {
    "postgresql": ["DROP INDEX IF EXISTS socialmap_activity_fts"],
    "sqlite": [
        "DROP TRIGGER IF EXISTS socialmap_activity_fts_insert",
        "DROP TRIGGER IF EXISTS socialmap_activity_fts_update",
        "DROP TRIGGER IF EXISTS socialmap_activity_fts_delete",
        "DROP TABLE IF EXISTS socialmap_activity_fts",
    ],
}


def _run(statements):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("socialmap", "0005_schedule_summary")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
