"""The one write a read makes: a subject access request is recorded on the person's audit trail (who read what)."""

import datetime as dt

from cases.audit import audit_record
from cases.models import Prisoner


def subject_access_record(
    *, prisoner: Prisoner, actor, actor_label: str, date_from: dt.date | None, date_to: dt.date | None, sections
) -> None:
    audit_record(
        action="subject_access_request",
        obj=prisoner,
        before=None,
        after={"from_date": date_from, "to_date": date_to, "sections": sorted(sections)},
        actor=actor,
        actor_label=actor_label,
        reason="Subject access request through the API",
        prisoner=prisoner,
    )
