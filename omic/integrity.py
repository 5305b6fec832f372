"""A database constraint violation, as a message a person can act on: the one table of known constraints.

The services catch the likely ones themselves (two allocations of one case, two key workers, two overrides: see
``allocation.services``, ``keywork.services``, ``handover.services.overrides``). Whatever slips through (a race, a stale
form) reaches ``omic.middleware.IntegrityErrorMessage``, which shows ``integrity_message`` instead of a 500.

PostgreSQL names the constraint (``diag.constraint_name``); SQLite names a check constraint but reports a unique one
by its columns (``UNIQUE constraint failed: cases_caseinformation.crn``), which are matched to the models' constraints.
"""

import re

from django.apps import apps
from django.db import IntegrityError
from django.db.models import UniqueConstraint

GENERIC = (
    "This could not be saved because it clashes with a record that already exists or with a change someone made "
    "meanwhile. Check the details and try again."
)

# constraint name, or "app_label.Model.field" for a field's own unique=True: the message, naming the field first
CONSTRAINT_MESSAGES = {
    "allocation_one_active_per_role": "POM: someone else allocated this case while you were choosing. Check who "
    "has the case now.",
    "allocation_pom_once_per_case": "POM: this POM already works on this case. Choose another POM.",
    "parole_review_id_unique": "Review ID: another parole review already has this review ID.",
    "alert_one_open_per_kind": "Alert: this alert is already open for this case.",
    "case_information_crn_unique": "CRN: another case already has this CRN. Check the CRN.",
    "com_email_unique": "Email address: another community offender manager already has this email address.",
    "pom_profile_one_per_prison": "POM: this person is already a POM at this prison.",
    "override_one_active_per_case": "Responsibility: this case already has a responsibility override. Check it "
    "before you add another.",
    "tier_record_one_current_per_case": "Tier: someone else recorded a tier for this case meanwhile. Check the tier.",
    "kw_allocation_one_active": "Key worker: someone else allocated a key worker to this case meanwhile. Check who "
    "has the case now.",
    "kw_plan_one_active": "Progression plan: this case already has an active progression plan.",
    "kw_profile_one_per_prison": "Key worker: this person is already a key worker at this prison.",
    "kw_sample_one_per_month": "Month: the quality sample for this month has already been drawn.",
    "case_task_once_per_occurrence": "Task: this task already exists for this case.",
    "recall_placement_once_per_recall": "Recall placement: a decision is already recorded for this recall.",
    "oversight_sample_one_per_month": "Month: the oversight sample for this month has already been drawn.",
    "oversight_audit_once_a_month": "Month: this case has already been audited this month.",
    "cases.CaseInformation.prisoner": "Case details: someone else added this case's details meanwhile. Check them.",
    "cases.Sentence.prisoner": "Sentence: someone else added this sentence meanwhile. Check it.",
    "cases.LocalDeliveryUnit.code": "LDU code: another local delivery unit already has this code.",
    "cases.StaffProfile.user": "User: this person already has a staff profile.",
    "api.ApiClient.name": "Name: another API client already has this name.",
    "api.ApiClient.user": "User: this user already belongs to an API client.",
}

_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?P<columns>.+)$")
_SQLITE_CHECK = re.compile(r"CHECK constraint failed: (?P<name>\w+)")
_POSTGRES_KEY = re.compile(r"Key \((?P<columns>[^)]+)\)=")


def _unique_keys() -> dict[tuple[str, frozenset], str]:
    """(table, columns) of every unique constraint and unique field -> its key in CONSTRAINT_MESSAGES."""
    found = {}
    for model in apps.get_models():
        table = model._meta.db_table
        for constraint in model._meta.constraints:
            if isinstance(constraint, UniqueConstraint) and constraint.fields:
                columns = frozenset(model._meta.get_field(name).column for name in constraint.fields)
                found[(table, columns)] = constraint.name
        for field in model._meta.concrete_fields:
            if field.unique and not field.primary_key:
                found[(table, frozenset([field.column]))] = f"{model._meta.label}.{field.name}"
    return found


def constraint_key(error: IntegrityError) -> str | None:
    """The constraint ``error`` broke (a key of CONSTRAINT_MESSAGES), or None if the database did not say."""
    diag = getattr(error.__cause__, "diag", None)
    if diag is not None:  # PostgreSQL (psycopg)
        name, table = getattr(diag, "constraint_name", None), getattr(diag, "table_name", None)
        detail = _POSTGRES_KEY.search(getattr(diag, "message_detail", None) or "")
        if detail and table:
            columns = frozenset(column.strip().strip('"') for column in detail["columns"].split(","))
            return _unique_keys().get((table, columns), name)
        return name
    text = str(error)
    if match := _SQLITE_CHECK.search(text):
        return match["name"]
    if match := _SQLITE_UNIQUE.search(text):
        pairs = [item.strip().split(".", 1) for item in match["columns"].split(",")]
        if all(len(pair) == 2 for pair in pairs) and len({table for table, _ in pairs}) == 1:
            return _unique_keys().get((pairs[0][0], frozenset(column for _, column in pairs)))
    return None


def integrity_message(error: IntegrityError) -> str:
    """What to tell the person whose change broke a constraint."""
    return CONSTRAINT_MESSAGES.get(constraint_key(error) or "", GENERIC)
