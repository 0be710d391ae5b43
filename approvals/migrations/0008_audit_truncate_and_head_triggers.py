"""PostgreSQL: statement-level triggers refuse TRUNCATE of the audit events and of the chain head, and a row
trigger refuses deleting the head (SQLite has no TRUNCATE; the ORM refuses the head's deletion there)."""

from django.db import migrations

EVENTS = "approvals_auditevent"
HEAD = "approvals_auditchainhead"
FUNCTION = "approvals_audit_record_kept"

CREATE = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% of % refused: the audit record is kept', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {FUNCTION}_truncate ON {EVENTS};
CREATE TRIGGER {FUNCTION}_truncate BEFORE TRUNCATE ON {EVENTS}
    FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}();
DROP TRIGGER IF EXISTS {FUNCTION}_truncate ON {HEAD};
CREATE TRIGGER {FUNCTION}_truncate BEFORE TRUNCATE ON {HEAD}
    FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}();
DROP TRIGGER IF EXISTS {FUNCTION}_delete ON {HEAD};
CREATE TRIGGER {FUNCTION}_delete BEFORE DELETE ON {HEAD}
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();
"""

DROP = f"""
DROP TRIGGER IF EXISTS {FUNCTION}_truncate ON {EVENTS};
DROP TRIGGER IF EXISTS {FUNCTION}_truncate ON {HEAD};
DROP TRIGGER IF EXISTS {FUNCTION}_delete ON {HEAD};
DROP FUNCTION IF EXISTS {FUNCTION}();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("approvals", "0007_counter_register_required")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
