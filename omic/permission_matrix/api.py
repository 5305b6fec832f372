"""The matrix rows for API operations: every operationId of the OpenAPI schema (/api/schema/).

A machine client holds the scopes a service admin gave it (api/scopes.py), limited to its prisons if any were
chosen. A member of staff with a prison role may call the read operations their browser session's scopes cover
(``STAFF_SESSION_SCOPES``: allocations, handovers, case notes without the sensitive ones; a key worker only case
notes and key work, ``KEY_WORKER_SESSION_SCOPES``), in their own prisons.
National viewers and service admins hold no scopes. Anonymous callers get 401 everywhere except the token endpoint.
"""

from api import scopes
from omic.permission_matrix import KEY_WORKER, NOBODY, OMU_STAFF, ApiOperation

A = ApiOperation


def _read(operation_id: str, name: str, scope: str, **kwargs) -> ApiOperation:
    roles = OMU_STAFF if scope in scopes.STAFF_SESSION_SCOPES else NOBODY
    roles |= {KEY_WORKER} if scope in scopes.KEY_WORKER_SESSION_SCOPES else NOBODY
    return A(operation_id, name, "GET", (scope,), roles, **kwargs)


def _webhooks(operation_id: str, name: str, method: str) -> ApiOperation:
    return A(operation_id, name, method, (scopes.MANAGE_WEBHOOKS,), prison=False, own_client=True)


API_OPERATIONS: list[ApiOperation] = [
    A("oauth_token", "api_oauth_token", "POST", (), prison=False, note="anyone: the client id and secret decide"),
    _read("allocation_get", "api_allocation", scopes.READ_ALLOCATIONS),
    _read("allocation_primary_pom_get", "api_allocation_primary_pom", scopes.READ_ALLOCATIONS),
    _read("handover_get", "api_handover", scopes.READ_HANDOVERS),
    _read("offender_get", "api_offender", scopes.READ_ALLOCATIONS),
    _read("prison_caseload_list", "api_prison_caseload", scopes.READ_ALLOCATIONS),
    _read("prison_handover_list", "api_prison_handovers", scopes.READ_HANDOVERS),
    _read(
        "key_work_get",
        "api_key_work",
        scopes.READ_CASE_NOTES,
        note="a sensitive session is left out without read_sensitive_notes",
    ),
    _read(
        "case_note_list",
        "api_case_notes",
        scopes.READ_CASE_NOTES,
        note="lists only the caller's prisons; sensitive notes need read_sensitive_notes",
    ),
    _read("tier_get", "api_tier", scopes.READ_ALLOCATIONS),
    _read(
        "subject_access_request",
        "api_subject_access_request",
        scopes.READ_SUBJECT_ACCESS,
        note="audited; a sensitive note's text needs read_sensitive_notes",
    ),
    A("prisoner_put", "api_prisoner_put", "PUT", (scopes.WRITE_PRISONERS,)),
    A("prisoner_case_information_put", "api_prisoner_case_information_put", "PUT", (scopes.WRITE_PROBATION,)),
    A(
        "event_post",
        "api_events",
        "POST",
        (),
        any_of_scopes=(scopes.WRITE_PRISONERS, scopes.WRITE_PROBATION),
        note="the event type decides the scope: probation events need write_probation, the rest write_prisoners",
    ),
    A("event_get", "api_event_get", "GET", (), prison=False, own_client=True, note="only the client's own events"),
    _webhooks("webhook_subscription_list", "api_webhook_subscriptions", "GET"),
    _webhooks("webhook_subscription_create", "api_webhook_subscriptions", "POST"),
    _webhooks("webhook_subscription_get", "api_webhook_subscription", "GET"),
    _webhooks("webhook_subscription_delete", "api_webhook_subscription", "DELETE"),
    _webhooks("webhook_delivery_list", "api_webhook_deliveries", "GET"),
    _webhooks("webhook_delivery_retry", "api_webhook_delivery_retry", "POST"),
]

API_BY_ID = {row.operation_id: row for row in API_OPERATIONS}
assert len(API_BY_ID) == len(API_OPERATIONS), "an operationId is listed twice in the permission matrix"
API_URL_NAMES = frozenset(row.name for row in API_OPERATIONS)
