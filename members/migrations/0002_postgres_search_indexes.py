"""PostgreSQL only: trigram index for the accent-insensitive name search, pattern indexes for ID/phone prefixes.

SQLite keeps the plain indexes; the same queries work there, only slower on a
province-sized register. Creating the pg_trgm extension needs a role allowed
to (the database owner on PostgreSQL 13+, where pg_trgm is a trusted extension).
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS member_name_trgm ON members_member USING gin (name_folded gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS member_id_number_prefix ON members_member (id_number varchar_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS member_phone_prefix ON members_member (phone varchar_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS unit_path_prefix ON branches_unit (path varchar_pattern_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS member_name_trgm",
    "DROP INDEX IF EXISTS member_id_number_prefix",
    "DROP INDEX IF EXISTS member_phone_prefix",
    "DROP INDEX IF EXISTS unit_path_prefix",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial"), ("branches", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
