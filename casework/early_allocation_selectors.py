"""Reads about early allocation assessments. CONTRACT used by dashboards and the API (implement these first).

"The latest assessment" of a case is the newest one made on or after the current sentence started, as the handover
engine reads it (``handover.facts``, manage-pom-cases-reference.md 3.4); with no sentence start there is no current
sentence and no assessment counts.
"""

import contextlib
import datetime as dt
from collections.abc import Iterable

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Lower

from cases.models import AuditEvent, EarlyAllocation, Prisoner
from casework.calculations.early_allocation import (
    DISCRETIONARY,
    STATUS_LABELS,
    ReleaseDates,
    due_for_release_within_24_months,
    earliest_release_for_referral,
    status_code,
    within_referral_window,
)
from handover.facts import facts_for

# As handover.facts reads it: made on or after the current sentence started. With no sentence start there is no
# current sentence, so no assessment counts (a NULL start matches nothing, in SQL as in the engine).
_FOR_THIS_SENTENCE = Q(created_at__date__gte=F("prisoner__sentence__sentence_start_date"))
NO_CURRENT_SENTENCE = (
    "There is no current sentence for this case (no sentence start date is recorded), so no early allocation "
    "assessment counts: it can be assessed once the sentence is recorded"
)


def has_current_sentence(*, prisoner: Prisoner) -> bool:
    """The case has a sentence with a start date: only then can an assessment count (no query when loaded)."""
    sentence = getattr(prisoner, "sentence", None)
    return sentence is not None and sentence.sentence_start_date is not None


def _latest_ids():
    return Subquery(
        EarlyAllocation.objects.filter(_FOR_THIS_SENTENCE, prisoner_id=OuterRef("prisoner_id"))
        .order_by("-created_at", "-id")
        .values("pk")[:1]
    )


def _latest() -> QuerySet[EarlyAllocation]:
    """Each case's latest assessment (for this sentence)."""
    return EarlyAllocation.objects.filter(pk=_latest_ids())


def early_allocation_latest_for(*, prison_numbers: Iterable[str]) -> dict:
    """{prison_number: the latest EarlyAllocation} for those that have one, in one query."""
    numbers = [n.upper() for n in prison_numbers]
    if not numbers:
        return {}
    return {a.prisoner_id: a for a in _latest().filter(prisoner_id__in=numbers)}


def early_allocation_status(assessment) -> tuple[str, str]:
    """(code, label) for a case's latest assessment (None: not assessed). Codes are stable API values."""
    if assessment is None:
        code = status_code(
            outcome=None, within_window=False, approved=False, referral_sent=False, community_decision=None
        )
    else:
        code = status_code(
            outcome=assessment.outcome,
            within_window=assessment.created_within_referral_window,
            approved=assessment.approved,
            referral_sent=assessment.referral_sent_at is not None,
            community_decision=assessment.community_decision,
        )
    return code, STATUS_LABELS[code]


PENDING = Q(outcome=DISCRETIONARY, created_within_referral_window=True, community_decision__isnull=True)


def early_allocation_pending_list(*, prison):
    """Assessments in this prison waiting for the HOMD's approval or the community decision (the HOMD's list)."""
    return early_allocation_list(prison=prison, pending=True)


SORTS = {
    "oldest": ("Oldest first", ["created_at", "id"]),
    "newest": ("Newest first", ["-created_at", "-id"]),
    "name": ("Name", [Lower("prisoner__last_name"), Lower("prisoner__first_name"), "prisoner_id"]),
}


def early_allocation_list(*, prison, pending: bool = False, search: str = "", sort: str = "oldest"):
    """The latest assessment of each case held in the prison (``pending``: only those waiting for the HOMD's approval
    or the community decision), with the case and the people named on it. One query."""
    qs = _latest().filter(prisoner__prison=prison)
    if pending:
        qs = qs.filter(PENDING)
    term = search.strip()
    if term:
        words = Q()
        for word in term.split():
            words &= Q(prisoner__first_name__icontains=word) | Q(prisoner__last_name__icontains=word)
        qs = qs.filter(Q(prisoner_id=term.upper()) | words)
    order = SORTS.get(sort, SORTS["oldest"])[1]
    return qs.select_related("prisoner", "created_by", "approved_by").order_by(*order)


def early_allocation_list_for_case(*, prisoner: Prisoner) -> list[EarlyAllocation]:
    """Every assessment of the case, newest first, with who made, approved and recorded them. One query."""
    return list(
        EarlyAllocation.objects.filter(prisoner=prisoner)
        .select_related("created_by", "approved_by", "community_decision_recorded_by")
        .order_by("-created_at", "-id")
    )


def early_allocation_latest_for_case(*, prisoner: Prisoner) -> EarlyAllocation | None:
    return early_allocation_latest_for(prison_numbers=[prisoner.prison_number]).get(prisoner.prison_number)


def release_dates_for(*, prisoner: Prisoner, today: dt.date) -> ReleaseDates:
    """TED, PED, THD, ARD and CRD as the handover engine reads them (overrides applied; THD from the parole
    reviews of this sentence). One query."""
    facts = facts_for(prisoner.prison_number, today)
    if facts is None:
        return ReleaseDates()
    return ReleaseDates(
        tariff_expiry_date=facts.tariff_expiry_date,
        parole_eligibility_date=facts.parole_eligibility_date,
        target_hearing_date=facts.target_hearing_date,
        automatic_release_date=facts.automatic_release_date,
        conditional_release_date=facts.conditional_release_date,
    )


def referral_window_for(*, prisoner: Prisoner, today: dt.date) -> dict:
    """The earliest release date used, whether the case is inside the 18-month window today, and whether it is due
    for release within 24 months (None when there is no date to tell)."""
    earliest = earliest_release_for_referral(release_dates_for(prisoner=prisoner, today=today))
    day = earliest[1] if earliest else None
    return {
        "earliest_label": earliest[0] if earliest else "",
        "earliest": day,
        "within_window": within_referral_window(day, today=today),
        "due_within_24_months": due_for_release_within_24_months(day, today=today),
    }


def ldu_mailbox_for(*, prisoner: Prisoner) -> tuple[object | None, str]:
    """(the case's probation delivery unit or None, its functional mailbox or "")."""
    case = getattr(prisoner, "case_information", None)
    ldu = getattr(case, "local_delivery_unit", None) if case is not None else None
    return ldu, (ldu.email if ldu is not None else "")


def early_allocation_events_for(*, prisoner: Prisoner) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(prison_number=prisoner.prison_number, object_type="cases.EarlyAllocation").order_by(
            "-created_at", "-id"
        )
    )


TIMELINE_TITLES = {
    "early_allocation_assessed": "Early allocation assessed",
    "early_allocation_referral_sent": "Early allocation referral sent to the probation delivery unit",
    "early_allocation_approved": "Discretionary early allocation approved",
    "early_allocation_community_decision": "Early allocation community decision recorded",
}
OUTCOME_WORDS = dict(EarlyAllocation.Outcome.choices)


def early_allocation_timeline_entry(event: AuditEvent) -> tuple[str, str] | None:
    """(title, detail) of an early allocation audit event for the case timeline; None for another kind of event."""
    if event.object_type != "cases.EarlyAllocation" or event.action not in TIMELINE_TITLES:
        return None
    after = event.after or {}
    parts = []
    if "outcome" in after:
        parts.append(OUTCOME_WORDS.get(after["outcome"], after["outcome"]))
        if after.get("created_within_referral_window") is not None:
            inside = after["created_within_referral_window"]
            parts.append("inside the 18-month referral window" if inside else "before the 18-month referral window")
    if "community_decision" in after:
        decided = "accepted" if after["community_decision"] else "refused"
        day = after.get("community_decision_date") or ""
        with contextlib.suppress(ValueError):
            day = f"{dt.date.fromisoformat(day):%-d %B %Y}"
        parts.append(f"The community {decided} early allocation on {day}")
    if after.get("to"):
        parts.append(f"to {after['to']}")
    if event.reason:
        parts.append(f"Reason: {event.reason}")
    return TIMELINE_TITLES[event.action], "; ".join(str(p) for p in parts)


def reminder_candidates(*, today: dt.date) -> list[dict]:
    """Cases to remind the POM about today: the latest assessment (eligible or discretionary) was made before the
    18-month window, the case is inside it now, and no reminder went since that assessment. Four queries."""
    from cases.models import PomAllocation, SentEmail
    from handover.facts import fact_rows, facts_from_row

    outside = list(
        _latest()
        .filter(created_within_referral_window=False, outcome__in=[EarlyAllocation.Outcome.ELIGIBLE, DISCRETIONARY])
        .select_related("prisoner")
        .order_by("prisoner_id")
    )
    if not outside:
        return []
    numbers = [a.prisoner_id for a in outside]
    windows = {}
    for row in fact_rows().filter(prison_number__in=numbers):
        facts = facts_from_row(row, today)
        earliest = earliest_release_for_referral(
            ReleaseDates(
                tariff_expiry_date=facts.tariff_expiry_date,
                parole_eligibility_date=facts.parole_eligibility_date,
                target_hearing_date=facts.target_hearing_date,
                automatic_release_date=facts.automatic_release_date,
                conditional_release_date=facts.conditional_release_date,
            )
        )
        if earliest and within_referral_window(earliest[1], today=today):
            windows[row["prison_number"]] = earliest
    reminded = {}
    for number, sent_at in SentEmail.objects.filter(
        kind="early_allocation_reminder", prisoner_id__in=list(windows)
    ).values_list("prisoner_id", "sent_at"):
        reminded[number] = max(sent_at, reminded.get(number, sent_at))
    poms = {}
    for a in PomAllocation.objects.filter(
        prisoner_id__in=list(windows), role=PomAllocation.Role.PRIMARY, ended_at__isnull=True
    ).values("prisoner_id", "pom__user__email", "pom__user__first_name", "pom__user__last_name"):
        name = f"{a['pom__user__first_name']} {a['pom__user__last_name']}".strip()
        poms[a["prisoner_id"]] = (a["pom__user__email"], name)
    candidates = []
    for assessment in outside:
        number = assessment.prisoner_id
        if number not in windows or (number in reminded and reminded[number] >= assessment.created_at):
            continue
        email, name = poms.get(number, ("", ""))
        label, earliest = windows[number]
        candidates.append(
            {
                "assessment": assessment,
                "prisoner": assessment.prisoner,
                "earliest": earliest,
                "earliest_label": label,
                "pom_email": email,
                "pom_name": name,
            }
        )
    return candidates
