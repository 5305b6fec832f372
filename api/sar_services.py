"""The one write a read makes: a subject access request is recorded on the person's audit trail (who read what)."""

import datetime as dt

from cases.audit import RECORD_VIEWED, audit_record
from cases.models import Prisoner


def subject_access_record(
    *,
    prisoner: Prisoner,
    actor,
    actor_label: str,
    date_from: dt.date | None,
    date_to: dt.date | None,
    sections,
    sensitive_notes: bool,
    reason: str = "Subject access request through the API",
) -> None:
    """``sensitive_notes``: whether the text of sensitive key work notes went out with the content."""
    audit_record(
        action=RECORD_VIEWED,
        obj=prisoner,
        before=None,
        after={
            "viewed": "subject_access_request",
            "from_date": date_from,
            "to_date": date_to,
            "sections": sorted(sections),
            "sensitive_notes": bool(sensitive_notes),
        },  # fmt: skip
        actor=actor,
        actor_label=actor_label,
        reason=reason,
        prisoner=prisoner,
    )
