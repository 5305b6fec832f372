"""Subject access requests: everything held about a person, optionally only what was recorded in a date range.

Each section is the rows of one table about the person, as plain values (one query each), newest first, from every
prison (a subject access request is about the person). The text of a sensitive key work note is left out (``notes``
null, ``is_sensitive`` true) unless the caller may read sensitive notes.
"""

import datetime as dt

from django.db.models import Model

from cases.models import (
    AuditEvent,
    CaseInformation,
    EarlyAllocation,
    ParoleReview,
    PomAllocation,
    Prisoner,
    SentEmail,
    Sentence,
)
from handover.models import CalculatedHandover, CalculatedHandoverHistory, ResponsibilityOverride
from keywork.models import KeyworkAllocation, KeyworkSession, PomContact
from tiering.models import TierRecord

# section name: (model, the timestamp the date range applies to, or None for current records, fields)
SECTIONS: dict[str, tuple[type[Model], str | None, tuple[str, ...]]] = {
    "sentence": (Sentence, None, ("sentence_type", "sentence_start_date", "conditional_release_date",
                 "automatic_release_date", "parole_eligibility_date", "tariff_expiry_date", "licence_expiry_date",
                 "sentence_expiry_date", "release_date", "recalled")),
    "caseInformation": (CaseInformation, None, ("crn", "tier", "tier_date", "rosh_level", "mappa_level",
                        "probation_region", "local_delivery_unit__name", "com__name", "com__email")),
    "handover": (CalculatedHandover, None, ("responsibility", "handover_start_date", "handover_date", "reason",
                 "policy", "handover_type", "calculated_on")),
    "pomAllocations": (PomAllocation, "allocated_at", ("role", "pom__user__first_name", "pom__user__last_name",
                       "pom__prison_id", "allocated_at", "ended_at", "end_trigger")),
    "handoverHistory": (CalculatedHandoverHistory, "changed_at", ("changed_at", "trigger", "responsibility",
                        "handover_start_date", "handover_date", "reason", "policy")),
    "responsibilityOverrides": (ResponsibilityOverride, "created_at", ("created_at", "reason", "reason_text",
                                "removed_at", "removal_reason")),
    "earlyAllocations": (EarlyAllocation, "created_at", ("created_at", "outcome", "prison_id", "approved",
                         "community_decision")),
    "paroleReviews": (ParoleReview, "created_at", ("created_at", "review_id", "target_hearing_date", "review_type",
                      "review_status", "hearing_outcome")),
    "tierRecords": (TierRecord, "recorded_at", ("recorded_at", "tier", "score", "model", "source", "reason")),
    "keyWorkAllocations": (KeyworkAllocation, "allocated_at", ("allocated_at", "prison_id", "ended_at",
                           "key_worker__user__first_name", "key_worker__user__last_name", "deallocation_reason")),
    "keyWorkSessions": (KeyworkSession, "created_at", ("created_at", "session_date", "session_type", "prison_id",
                        "duration_minutes", "notes", "is_sensitive", "key_worker__first_name",
                        "key_worker__last_name")),
    "pomContacts": (PomContact, "created_at", ("created_at", "contact_date", "prison_id", "summary",
                    "pom__first_name", "pom__last_name", "key_worker__first_name", "key_worker__last_name")),
    "emails": (SentEmail, "sent_at", ("sent_at", "kind", "to", "subject", "body")),
    "changes": (AuditEvent, "created_at", ("created_at", "action", "actor_label", "object_type", "before", "after",
                "reason")),
}  # fmt: skip


def _field_filter(model: type[Model], prisoner: Prisoner) -> dict:
    if model is AuditEvent:
        return {"prison_number": prisoner.prison_number}
    return {"prisoner": prisoner}


def subject_access_content(
    *, prisoner: Prisoner, date_from: dt.date | None, date_to: dt.date | None, sensitive_notes: bool = False
) -> dict:
    """Everything held about ``prisoner``; sections with a timestamp keep only rows recorded from ``date_from`` to
    ``date_to`` (inclusive days, either may be open). Sensitive key work note text only if ``sensitive_notes``."""
    content = {
        "prisoner": {
            "prisonNumber": prisoner.prison_number,
            "firstName": prisoner.first_name,
            "lastName": prisoner.last_name,
            "dateOfBirth": prisoner.date_of_birth,
            "prisonCode": prisoner.prison_id,
            "legalStatus": prisoner.legal_status,
            "securityCategory": prisoner.security_category or None,
            "careExperienced": prisoner.care_experienced,
        }
    }
    for name, (model, stamp, fields) in SECTIONS.items():
        qs = model.objects.filter(**_field_filter(model, prisoner))
        if stamp is not None:
            if date_from is not None:
                qs = qs.filter(**{f"{stamp}__date__gte": date_from})
            if date_to is not None:
                qs = qs.filter(**{f"{stamp}__date__lte": date_to})
            qs = qs.order_by(f"-{stamp}", "-pk")
        content[name] = list(qs.values(*fields))
    if not sensitive_notes:
        for row in content["keyWorkSessions"]:
            if row["is_sensitive"]:
                row["notes"] = None
    return content
