"""On PostgreSQL, audit rows cannot be changed or deleted, whatever the code does.

UPDATE is refused, except the one the database itself makes when a user or prisoner is deleted (ON DELETE SET NULL of
actor_id / prisoner_id, with every other column unchanged: the labels keep who and which case). DELETE is refused
unless the transaction ran ``SET LOCAL omic.audit_purge = 'on'`` (the retention purge, AuditEventQuerySet.purge).
SQLite has no such trigger: there the model and its query set refuse instead.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION cases_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF coalesce(current_setting('omic.audit_purge', true), '') = 'on' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit events cannot be deleted (only the retention purge may)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (NEW.actor_id IS NULL OR NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id)
       AND (NEW.prisoner_id IS NULL OR NEW.prisoner_id IS NOT DISTINCT FROM OLD.prisoner_id)
       AND (to_jsonb(NEW) - 'actor_id' - 'prisoner_id') = (to_jsonb(OLD) - 'actor_id' - 'prisoner_id') THEN
        RETURN NEW;  -- a user or prisoner was deleted: ON DELETE SET NULL
    END IF;
    RAISE EXCEPTION 'audit events cannot be changed' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_event_append_only ON cases_auditevent;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON cases_auditevent
    FOR EACH ROW EXECUTE FUNCTION cases_auditevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_event_append_only ON cases_auditevent;
DROP FUNCTION IF EXISTS cases_auditevent_append_only();
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_audit_request_id")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
