"""The early allocation emails (manage-pom-cases-reference.md 1.4), each logged as a ``cases.SentEmail`` on the case.

- ``early_allocation_referral``: an automatically eligible case inside the 18-month window, to the probation delivery
  unit's mailbox, with the printable summary attached as an HTML page (no PDF: the delivery unit prints it).
- ``early_allocation_decision_request``: a discretionary case the HOMD approved, to the same mailbox, asking for the
  community decision, with the same summary.
- ``early_allocation_reminder``: to the case's POM once a case assessed before the window enters it, to assess again.

They go through the handover engine's ``deliver``: logged in the caller's transaction, sent once it commits.
"""

import datetime as dt

from django.template.loader import render_to_string

from cases.models import EarlyAllocation
from casework.calculations.early_allocation import STATUTORY_QUESTIONS
from handover.services.notifications import Email, deliver

REFERRAL, DECISION_REQUEST, REMINDER = (
    "early_allocation_referral",
    "early_allocation_decision_request",
    "early_allocation_reminder",
)
__all__ = ["DECISION_REQUEST", "REFERRAL", "REMINDER", "deliver", "ldu_email", "pom_reminder_email", "summary_html"]


def _long(day: dt.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "not known"


def answer_rows(assessment: EarlyAllocation) -> list[dict]:
    """The questions asked and their answers, in the order asked; a question not asked is left out."""
    rows = []
    names = list(STATUTORY_QUESTIONS) + list(EarlyAllocation.DISCRETIONARY)
    for name in names:
        value = getattr(assessment, name)
        if value is None:
            continue
        label = EarlyAllocation._meta.get_field(name).verbose_name
        rows.append({"name": name, "question": label[:1].upper() + label[1:], "answer": "Yes" if value else "No"})
    return rows


def summary_context(assessment: EarlyAllocation, *, window: dict | None = None) -> dict:
    prisoner = assessment.prisoner
    case = getattr(prisoner, "case_information", None)
    return {
        "assessment": assessment,
        "prisoner": prisoner,
        "prison": assessment.prison,
        "case_information": case,
        "answers": answer_rows(assessment),
        "window": window or {},
        "assessed_by": assessment.created_by.get_full_name() if assessment.created_by else "",
    }


def summary_html(assessment: EarlyAllocation, *, window: dict | None = None) -> str:
    """The printable summary as a whole HTML page (the same content the summary page shows)."""
    return render_to_string(
        "casework/early_allocation/summary_document.html", summary_context(assessment, window=window)
    )


def ldu_email(kind: str, assessment: EarlyAllocation, *, to: str, window: dict | None = None) -> Email:
    prisoner = assessment.prisoner
    case = getattr(prisoner, "case_information", None)
    name = f"{prisoner.full_name} ({prisoner.prison_number})"
    crn = getattr(case, "crn", "") or "not known"
    release = ""
    if window and window.get("earliest"):
        release = f" The earliest release date is {_long(window['earliest'])} ({window['earliest_label']})."
    if kind == REFERRAL:
        subject = f"Early allocation referral: {name}, automatically eligible"
        body = (
            f"{name}, CRN {crn}, at {assessment.prison.name}, meets a statutory criterion for early allocation to "
            f"the community offender manager (COM).{release}\n\nThe COM takes over responsibility 15 months before "
            "the earliest release date. Please allocate a COM now. The assessment is attached as a page to print."
        )
    else:
        subject = f"Early allocation: community decision needed for {name}"
        body = (
            f"{name}, CRN {crn}, at {assessment.prison.name}, has been assessed as a discretionary case for early "
            f"allocation to the COM, approved by the head of offender management delivery.{release}\n\n"
            f"Reason given: {assessment.reason}\n\nPlease decide whether the COM takes over early and tell the "
            "prison offender manager, who will record your decision. The assessment is attached as a page to print."
        )
    attachment = (
        f"early-allocation-{prisoner.prison_number}.html",
        summary_html(assessment, window=window),
        "text/html",
    )
    return Email(kind, to, subject, body, prisoner.prison_number, assessment.prison_id, attachment)


def pom_reminder_email(
    *, to: str, pom_name: str, prisoner, earliest: dt.date, label: str, assessed_on: dt.date
) -> Email:
    name = f"{prisoner.full_name} ({prisoner.prison_number})"
    greeting = f"Dear {pom_name},\n\n" if pom_name else ""
    body = (
        f"{greeting}{name} is now within 18 months of the earliest release date ({label}, {_long(earliest)}). "
        f"Their early allocation assessment of {_long(assessed_on)} was made before the referral window opened, so "
        "it does not count: assess the case for early allocation again so that a referral can go to the probation "
        "delivery unit."
    )
    subject = f"Early allocation: assess {name} again"
    return Email(REMINDER, to, subject, body, prisoner.prison_number, prisoner.prison_id)
