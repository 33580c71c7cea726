"""PostgreSQL refuses TRUNCATE of the audit trail and its head, as it already refuses UPDATE and DELETE.

A database owner can still switch the triggers off; `audit_verify` then names the emptied trail against the
newest checkpoint, and a role that may only insert cannot truncate at all (docs/deploy.md). The test suite's
own database switches this trigger off once, so the test runner can empty tables between tests.
SQLite has no TRUNCATE; its append-only trigger (0002) stays as it is.
"""

from django.db import migrations

POSTGRESQL = [
    """CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_auditentry
       FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()""",
    """CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_audithead
       FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER audit_head_no_truncate ON audit_audithead",
    "DROP TRIGGER audit_entry_no_truncate ON audit_auditentry",
]


def _run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_keyed_chain")]

    operations = [migrations.RunPython(_run(POSTGRESQL), _run(POSTGRESQL_REVERSE))]
