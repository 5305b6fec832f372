"""The matrix rows for pages: every URL pattern of ``omic.urls`` outside the API operations.

Policy sources: DECISIONS.md D-06 (only the HOMD overrides responsibility), D-12 (service admins own the task
timescales), D-14 (the HOMS sets the key work standard), D-17 (roles and prison scoping); omic-requirements.md 1.2
and manage-pom-cases-reference.md 1.1 (what a POM, the HOMD and a case administrator do). Each app's rules.py says
the same in predicates; a test checks each row's roles against its rules permission.
"""

from omic.permission_matrix import (
    CASE_ADMIN,
    EVERYONE,
    GET,
    GET_POST,
    HOMD,
    HOMS,
    KEY_WORKER,
    MANAGERS,
    NATIONAL_VIEWER,
    NOBODY,
    OMU_STAFF,
    POM,
    POST,
    PRISON_STAFF,
    SERVICE_ADMIN,
    SIGNED_IN,
    PageAction,
)

P = PageAction
POM_OR_MANAGER = MANAGERS | {POM}
SERVICE = frozenset({SERVICE_ADMIN})
NATIONAL = frozenset({NATIONAL_VIEWER, SERVICE_ADMIN})


def _service(name: str, methods=GET, note: str = "") -> PageAction:
    return P(name, "cases.manage_service", SERVICE, methods, prison=False, note=note)


PAGES: list[PageAction] = [
    # --- Sign-in, health, home and the prison switcher ------------------------------------------------------
    P("home", None, SIGNED_IN, prison=False, note="sends each user to their prison, national or service page"),
    P("login", None, EVERYONE, GET_POST, prison=False, note="a signed-in user is sent on to the home page"),
    P("logout", None, SIGNED_IN, POST, prison=False),
    P("health", None, EVERYONE, prison=False, note="database and broker status, no personal data"),
    P("health_ping", None, EVERYONE, prison=False),
    *(
        P(name, None, EVERYONE, GET_POST, prison=False, optional=True, note="only when OIDC_RP_CLIENT_ID is set")
        for name in ("oidc_authentication_init", "oidc_authentication_callback", "oidc_logout")
    ),
    P("prison_switch", None, SIGNED_IN, GET_POST, prison=False, note="only to one of the user's own prisons (404)"),
    P("prison_home", "cases.view_prison", PRISON_STAFF),
    P("staff_list", "cases.view_staff_list", MANAGERS),
    P("prisoner_list", "cases.view_prisoner_list", PRISON_STAFF),
    P(
        "prisoner_detail",
        "cases.view_prisoner",
        PRISON_STAFF,
        note="the case record on it needs `cases.view_case_record` (see below)",
    ),
    P("national_home", "cases.view_national", NATIONAL, prison=False, note="aggregates only"),
    P("service_admin_home", "cases.manage_service", SERVICE, prison=False),
    # --- Handover (handover/rules.py) -------------------------------------------------------------------------
    P("handover_list", "handover.view_handovers", POM_OR_MANAGER, note="a POM sees their own cases"),
    P("handover_list_prison", "handover.view_prison_handovers", MANAGERS),
    P("handover_alert_list", "handover.view_alerts", MANAGERS),
    P(
        "handover_checklist",
        "handover.view_handover",
        OMU_STAFF,
        GET_POST,
        write_roles=POM_OR_MANAGER,
        write_perm="handover.change_checklist",
        own_case="handover.change_checklist",
    ),
    P("handover_override_create", "handover.override_responsibility", frozenset({HOMD}), GET_POST, note="D-06"),
    P("handover_override_remove", "handover.override_responsibility", frozenset({HOMD}), GET_POST, note="D-06"),
    P(
        "community_pipeline",
        "handover.view_community_pipeline",
        MANAGERS | {NATIONAL_VIEWER},
        prison=False,
        note="national viewers see counts only",
    ),
    P("handover_policy_preview", "handover.preview_policy", frozenset({HOMD, SERVICE_ADMIN}), prison=False),
    P("handover_email_preferences", "handover.change_email_preferences", frozenset({POM}), GET_POST, prison=False),
    # --- Tiering (tiering/rules.py) ---------------------------------------------------------------------------
    P(
        "tier_detail",
        "tiering.view_tier",
        OMU_STAFF,
        GET_POST,
        write_roles=frozenset({HOMD, HOMS, CASE_ADMIN}),
        write_perm="tiering.set_tier_by_hand",
        note="D-10: a tier entered by hand",
    ),
    # --- Allocation and POM staff (allocation/rules.py, staff_rules.py) ----------------------------------------
    P("allocation_to_allocate", "allocation.view_allocations", OMU_STAFF),
    P("allocation_missing_details", "allocation.view_allocations", OMU_STAFF),
    P("allocation_missing_details_form", "allocation.fill_missing_details", MANAGERS | {CASE_ADMIN}, GET_POST),
    P("allocation_allocated", "allocation.view_allocations", OMU_STAFF),
    P("allocation_review", "allocation.view_allocations", OMU_STAFF),
    P("allocation_choose", "allocation.allocate", MANAGERS),
    P("allocation_compare", "allocation.allocate", MANAGERS),
    P("allocation_confirm", "allocation.allocate", MANAGERS, GET_POST),
    P("allocation_deallocate", "allocation.allocate", MANAGERS, GET_POST),
    P("allocation_co_worker", "allocation.allocate", MANAGERS, GET_POST),
    P("allocation_co_worker_remove", "allocation.allocate", MANAGERS, GET_POST),
    P("allocation_timeline", "allocation.view_allocations", OMU_STAFF),
    P("pom_list", "allocation.view_pom_staff", OMU_STAFF),
    P("pom_add", "allocation.manage_pom_staff", MANAGERS, GET_POST),
    P("pom_detail", "allocation.view_pom_staff", OMU_STAFF),
    P("pom_edit", "allocation.manage_pom_staff", MANAGERS, GET_POST),
    P("pom_reallocate", "allocation.manage_pom_staff", MANAGERS, GET_POST),
    P("pom_reallocate_check", "allocation.manage_pom_staff", MANAGERS, GET_POST),
    # --- Key work (keywork/rules.py, recording_rules.py) -------------------------------------------------------
    P("keywork_home", "keywork.view_key_work", PRISON_STAFF),
    P("keywork_dashboard", "keywork.view_dashboard", MANAGERS),
    P("keywork_configuration", "keywork.change_configuration", frozenset({HOMS}), GET_POST, note="D-14"),
    P("keywork_key_workers", "keywork.manage_key_workers", MANAGERS),
    P("keywork_key_worker", "keywork.manage_key_workers", MANAGERS),
    P("keywork_key_worker_edit", "keywork.manage_key_workers", MANAGERS, GET_POST),
    P("keywork_key_worker_confirm", "keywork.manage_key_workers", MANAGERS, GET_POST),
    P("keywork_allocations", "keywork.view_allocations", OMU_STAFF),
    P("keywork_auto_allocation", "keywork.auto_allocate", MANAGERS, GET_POST, note="D-16"),
    P(
        "keywork_prisoner",
        "keywork.view_allocations",
        OMU_STAFF,
        GET_POST,
        write_roles=MANAGERS | {CASE_ADMIN},
        write_perm="keywork.allocate",
    ),
    P("keywork_my_prisoners", "keywork.view_own_caseload", frozenset({KEY_WORKER}), GET_POST),
    P("keywork_quality_list", "keywork.review_quality", MANAGERS),
    P("keywork_quality_draw", "keywork.review_quality", MANAGERS, GET_POST),
    P("keywork_quality_check", "keywork.review_quality", MANAGERS, GET_POST),
    P("keywork_quality_settings", "keywork.review_quality", MANAGERS, GET_POST),
    P("keywork_case", "keywork.view_case_key_work", PRISON_STAFF, note="sensitive notes: see below"),
    P(
        "keywork_session_new",
        "keywork.record_session",
        frozenset({KEY_WORKER}),
        GET_POST,
        note="any key worker of the prison (cover); the form warns when it is not their prisoner",
    ),
    P(
        "keywork_contact_new",
        "keywork.record_pom_contact",
        frozenset({KEY_WORKER, POM}),
        GET_POST,
        own_case="keywork.record_case_pom_contact",
    ),
    *(
        P(
            name,
            "keywork.manage_progression_plan",
            frozenset({KEY_WORKER, POM}),
            GET_POST,
            own_case="keywork.manage_case_progression_plan",
        )
        for name in ("keywork_plan_new", "keywork_goal_new", "keywork_goal_progress", "keywork_plan_close")
    ),
    # --- Casework: early allocation, parole, recalls, tasks (casework/*_rules.py) ------------------------------
    P("early_allocation_list", "casework.view_early_allocation_list", MANAGERS),
    P("early_allocation_case", "casework.view_early_allocation", OMU_STAFF),
    P("early_allocation_summary", "casework.view_early_allocation", OMU_STAFF),
    *(
        P(
            name,
            "casework.assess_early_allocation",
            frozenset({POM, HOMD}),
            GET_POST,
            own_case="casework.assess_case_early_allocation",
            own_case_get=True,
        )
        for name in ("early_allocation_start", "early_allocation_decision", "early_allocation_send_referral")
    ),
    P("early_allocation_approve", "casework.approve_early_allocation", frozenset({HOMD}), GET_POST),
    P("parole_approaching", "casework.view_parole_list", POM_OR_MANAGER, note="a POM sees their own cases"),
    P(
        "parole_case",
        "casework.view_parole",
        OMU_STAFF,
        GET_POST,
        write_roles=POM_OR_MANAGER,
        write_perm="casework.record_case_parole",
        own_case="casework.record_case_parole",
    ),
    P(
        "parole_review_outcome",
        "casework.record_parole",
        POM_OR_MANAGER,
        GET_POST,
        own_case="casework.record_case_parole",
        own_case_get=True,
    ),
    P(
        "recall_placement",
        "casework.view_recall_placement",
        OMU_STAFF,
        GET_POST,
        write_roles=frozenset({HOMD}),
        write_perm="casework.decide_recall_placement",
    ),
    P("task_list", "casework.view_tasks", POM_OR_MANAGER, note="a POM sees their own cases' tasks"),
    P("task_overdue_summary", "casework.view_prison_tasks", MANAGERS),
    P("case_tasks", "casework.view_case_tasks", OMU_STAFF),
    P(
        "case_task_update",
        "casework.update_tasks",
        POM_OR_MANAGER,
        GET_POST,
        own_case="casework.update_case_task",
        own_case_get=True,
    ),
    P("task_timescales", "casework.change_task_timescales", SERVICE, prison=False, note="D-12"),
    P("task_timescale_change", "casework.change_task_timescales", SERVICE, GET_POST, prison=False),
    # --- Dashboards (dashboards/*_rules.py) --------------------------------------------------------------------
    P("caseload", "dashboards.view_caseload", POM_OR_MANAGER, note="?pom= another POM's: heads of OMU only"),
    P("search", "dashboards.search", PRISON_STAFF),
    P("homd_dashboard", "dashboards.view_homd_dashboard", MANAGERS),
    P("national_measures", "dashboards.view_national_measures", NATIONAL, prison=False, note="aggregates only"),
    # --- Management oversight (oversight/rules.py) -------------------------------------------------------------
    P("oversight_home", "oversight.view_oversight", POM_OR_MANAGER, note="a POM sees their own audits"),
    P("oversight_mine", "oversight.view_own_oversight", frozenset({POM})),
    P("oversight_draw", "oversight.audit", frozenset({HOMD}), POST),
    P("oversight_add_case", "oversight.audit", frozenset({HOMD}), GET_POST),
    P("oversight_settings", "oversight.audit", frozenset({HOMD}), GET_POST),
    P("oversight_audit", "oversight.audit", frozenset({HOMD}), GET_POST),
    P("oversight_action_add", "oversight.audit", frozenset({HOMD}), GET_POST),
    P(
        "oversight_action_done",
        "oversight.view_own_oversight",
        frozenset({POM}),
        POST,
        own_case="oversight.view_own_oversight",
        own_case_refusal=404,
        note="only an action of an audit of the POM's own case (404 otherwise)",
    ),
    # --- Service admin: integration, API clients, audit --------------------------------------------------------
    _service("integration_events"),
    _service("integration_event_retry", POST),
    _service("integration_webhooks"),
    _service("integration_webhook"),
    _service("integration_webhook_stop", POST),
    _service("integration_delivery_retry", POST),
    _service("api_client_list"),
    _service("api_client_create", GET_POST),
    _service("api_client_edit", GET_POST),
    _service("api_client_rotate", POST),
    _service("api_client_set_active", POST),
    _service("audit_search", note="search the audit trail"),
    _service("audit_export", note="CSV of the filtered audit rows"),
    _service("nightly_jobs", note="the night's batch jobs, their runs and the queues"),
    _service("nightly_sweep_resume", POST, note="queue an unfinished sweep's prisons again"),
    # --- The API's own pages (the operations are in api.py) ----------------------------------------------------
    P("api_schema", None, EVERYONE, prison=False, note="the OpenAPI document, no data"),
    P("api_docs", None, EVERYONE, prison=False),
    P("api_redoc", None, EVERYONE, prison=False),
    # --- The Django admin --------------------------------------------------------------------------------------
    P("admin:login", None, EVERYONE, GET_POST, prison=False, note="the admin's own sign-in page"),
    P("admin:logout", None, EVERYONE, GET_POST, prison=False),
    P(
        "admin:*",
        None,
        NOBODY,
        GET_POST,
        prison=False,
        note="Django staff accounts only (is_staff, given to the service admin's own account); no role grants it",
    ),
]

PAGES_BY_NAME = {row.name: row for row in PAGES}
assert len(PAGES_BY_NAME) == len(PAGES), "a URL name is listed twice in the permission matrix"
