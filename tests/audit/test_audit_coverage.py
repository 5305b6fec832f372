"""Every write made through a service records an AuditEvent: an AST walk over every service module proves it.

A public service function that makes an ORM write (directly or through a helper in its module) must call an audit
helper (directly or through a helper in its module), or be listed below with the reason it writes no case data.
A new unaudited write fails ``test_every_service_write_is_audited`` until it audits or is listed here.
"""

from tests.audit.service_writes import service_modules, unaudited_in_source, unaudited_writers

# Writes that are not changes to a case: logs that are their own record, derived figures, bookkeeping, tokens.
ALLOWED = {
    "handover.services.alerts.alerts_sync": "derived alerts, raised and resolved from the audited handover results",
    "handover.services.notifications.deliver": "the SentEmail log is itself the record of what was sent",
    "handover.services.notifications.pom_reminders_send": "writes only the SentEmail log of the reminders",
    "handover.services.notifications.ldu_assign_com_send": "writes only the SentEmail log of the emails",
    "handover.services.notifications.ldu_pipeline_send": "writes only the SentEmail log of the emails",
    "handover.services.sweep_fanout.sweep_dispatch": "run bookkeeping (SweepRun); the case writes are the sweep's",
    "handover.services.sweep_fanout.sweep_prison": "run bookkeeping; cases are written by the audited sweep chunk",
    "keywork.job_services.prison_snapshot_record": "aggregate daily figures, no case data",
    "keywork.job_services.session_counts_refresh": "aggregate daily figures, no case data",
    "keywork.job_services.snapshot_all_prisons": "aggregate daily figures, no case data",
    "casework.task_recompute.tasks_recompute_for": "tasks derived by rule from audited facts; people's changes audit",
    "casework.task_recompute.tasks_recompute_all": "tasks derived by rule from audited facts (the bulk run)",
    "casework.task_recompute.tasks_recompute_prison": "tasks derived by rule from audited facts (one prison's run)",
    "allocation.staff_services.bulk_reallocation_email": "writes only the SentEmail log of the summary email",
    "dashboards.national_services.measures_snapshot_record": "aggregate national figures, no case data",
    "dashboards.national_services.measures_snapshot_all": "aggregate national figures, no case data",
    "integration.event_services.event_receive": "the inbound event inbox is its own log; handlers audit changes",
    "integration.event_services.event_process": "processing state of the inbox; the handlers audit case changes",
    "integration.webhook_services.deliveries_enqueue": "the webhook outbox is its own log of what is sent",
    "integration.webhook_services.delivery_send": "delivery attempts on the outbox row, no case data",
    "api.client_services.api_token_issue": "bearer tokens, no case data",
    "api.client_services.api_token_purge_expired": "expired bearer tokens, no case data",
    "omic.services.sign_in_records_tidy": "expired sessions and old sign-in logs, no case data",
}


def test_every_service_write_is_audited():
    modules = service_modules()
    assert len(modules) >= 30, "the walk must find the service modules"
    unaudited = sorted(name for path in modules for name in unaudited_writers(path))
    missing = [name for name in unaudited if name not in ALLOWED]
    assert not missing, f"service functions that write without an AuditEvent (audit them or allow-list): {missing}"
    stale = sorted(set(ALLOWED) - set(unaudited))
    assert not stale, f"allow-list entries that no longer write unaudited (remove them): {stale}"


def test_the_walk_finds_a_new_unaudited_write_and_accepts_an_audited_one():
    source = """
from cases.audit import audit_record

def _helper(case):
    case.save()

def case_note_add(*, case, text):
    _helper(case)

def case_note_fix(*, case):
    Thing.objects.filter(pk=case.pk).update(text="x")
    _record(case)

def _record(case):
    audit_record(action="x", obj=case, before=None, after=None)

def counts_merge(counts, more):
    counts.update(more)
    seen = {}
    seen.update(more)
"""
    assert unaudited_in_source(source, "example.services") == ["example.services.case_note_add"]


def test_the_walk_sees_every_kind_of_orm_write():
    for call in ("x.save()", "M.objects.create()", "qs.filter().update(a=1)", "M.objects.filter().delete()",
                 "M.objects.bulk_create([])", "M.objects.bulk_update([], [])", "insert_rows(M, [])",
                 "M.objects.update_or_create()", "M.objects.get_or_create()"):  # fmt: skip
        assert unaudited_in_source(f"def write():\n    {call}\n", "m") == ["m.write"], call
