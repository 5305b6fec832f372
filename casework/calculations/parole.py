"""Pure parole calculations: the approaching-parole window, the reading of a parole review's data, and the plain-words
explanation of the indeterminate (ISP) parole responsibility swings. No ORM, no clock: "today" is passed in.

- Approaching parole (manage-pom-cases-reference.md 3.7): a TED, PED or THD from today to today + 10 months, both
  ends inclusive (exactly 10 months is in). Months are calendar months, clamped (D-02).
- The swings (omic-requirements.md 2.10 ISP-5 to ISP-8; reference 3.6 rules 1-4, as the ``current`` policy codes
  them): for an indeterminate sentence whose target hearing date is 12 months or more away (D-03: date-only and
  inclusive), a recall at MAPPA unknown/0/1 leaves the POM responsible with the COM supporting; a "not release"
  outcome at MAPPA 2 or 3 leaves the COM responsible; any other "not release" swings back to the POM with the COM
  supporting. The THD test is the handover engine's own (``thd_at_least_12_months_away``), never a copy.
"""

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from handover.calculations.dates import months_12_after, thd_at_least_12_months_away
from handover.calculations.explain import REASON_TEXT

PAROLE_WINDOW = relativedelta(months=10)
DATE_FIELDS = ("target_hearing_date", "custody_report_due", "hearing_outcome_received_on")
TEXT_FIELDS = ("review_id", "review_type", "review_status", "hearing_outcome")
REVIEW_FIELDS = ("review_id", "target_hearing_date", "custody_report_due", *TEXT_FIELDS[1:], DATE_FIELDS[2])
FIELD_LABELS = {
    "review_id": "review id",
    "target_hearing_date": "target hearing date",
    "custody_report_due": "custody report due date",
    "review_type": "review type",
    "review_status": "review status",
    "hearing_outcome": "hearing outcome",
    "hearing_outcome_received_on": "date the hearing outcome was received",
}
SWING_REASONS = ("additional_isp", "recall_thd_over_12_months", "parole_mappa_2_3", "thd_over_12_months")


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def parole_window_end(today: dt.date) -> dt.date:
    """The last day of the approaching-parole window: today + 10 months (inclusive, clamped to the month's end)."""
    return today + PAROLE_WINDOW


def approaching_parole_date(
    *, tariff_expiry: dt.date | None, parole_eligibility: dt.date | None, target_hearing: dt.date | None, today
) -> tuple[str, dt.date] | None:
    """The nearest of TED, PED and THD from today to today + 10 months inclusive, as (kind, date); None if none is.
    On a tie the TED comes first, then the PED, then the THD."""
    end = parole_window_end(today)
    dates = (("TED", tariff_expiry), ("PED", parole_eligibility), ("THD", target_hearing))
    found = [(day, order, kind) for order, (kind, day) in enumerate(dates) if day is not None and today <= day <= end]
    if not found:
        return None
    day, _, kind = min(found)
    return kind, day


def _date(value, field: str, errors: dict) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        errors[field] = f"Enter the {FIELD_LABELS[field]} as a date, not a date and time"
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    errors[field] = f"Enter the {FIELD_LABELS[field]} as a real date, like 2027-03-31"
    return None


def review_values_read(data: dict, *, today: dt.date, max_lengths: dict[str, int]) -> tuple[dict, dict[str, str]]:
    """Read a parole review's data (dates as ``date`` objects or ISO strings): (values, errors by field).

    Only the keys present are read, so a partial update keeps the other fields. Unknown keys are errors, so a typo
    is never silently dropped. The outcome cannot be received in the future.
    """
    values, errors = {}, {}
    for key in data:
        if key not in REVIEW_FIELDS:
            errors[key] = f"Unknown field {key!r}: expected one of {', '.join(REVIEW_FIELDS)}"
    for field in DATE_FIELDS:
        if field in data:
            values[field] = _date(data[field], field, errors)
    for field in TEXT_FIELDS:
        if field not in data:
            continue
        value = data[field]
        value = "" if value is None else value
        if not isinstance(value, str):
            errors[field] = f"Enter the {FIELD_LABELS[field]} as text"
            continue
        value = value.strip()
        if "\x00" in value:
            errors[field] = f"The {FIELD_LABELS[field]} contains a character that is not allowed"
        elif len(value) > max_lengths[field]:
            errors[field] = f"The {FIELD_LABELS[field]} must be {max_lengths[field]} characters or fewer"
        else:
            values[field] = value
    received = values.get("hearing_outcome_received_on")
    if received is not None and received > today:
        errors["hearing_outcome_received_on"] = "The date the hearing outcome was received cannot be in the future"
    return values, errors


@dataclass(frozen=True)
class SwingCheck:
    """One condition of the swing rules, whether it holds (None: not known), and why, in plain words."""

    label: str
    met: bool | None
    detail: str


@dataclass(frozen=True)
class SwingExplanation:
    applies: bool  # the case is indeterminate: the swing rules are looked at
    rule: str | None  # the reason code of the swing that applied, or None when another engine rule decides
    summary: str
    checks: tuple[SwingCheck, ...]


def _outcome_words(outcome: str | None) -> str:
    return {"release": "release", "not_release": "not release"}.get(outcome, "no completed review yet")


def swing_explain(
    *,
    indeterminate: bool,
    additional_future_isp: bool,
    target_hearing_date: dt.date | None,
    latest_outcome: str | None,
    mappa_level: int | None,
    recalled: bool,
    as_of: dt.date,
    engine_reason: str | None,
) -> SwingExplanation:
    """Which parole swing rule applies to the case on ``as_of``, and why, in the order the engine checks them.

    ``engine_reason`` is the reason code the handover engine gives the case (``calculate(facts, as_of).reason``):
    when no swing applies, the summary names that rule in the engine's own words (a recall: the COM; an immigration
    case: the COM; otherwise the general rules), instead of guessing."""
    if not indeterminate:
        return SwingExplanation(
            applies=False,
            rule=None,
            summary="The parole swing rules are for indeterminate sentences (life and IPP) only. For a determinate "
            "parole case the COM stays responsible through the parole reviews once it has taken over (the review "
            "cycle is at least every 12 months).",
            checks=(),
        )
    threshold = months_12_after(as_of)
    thd12 = thd_at_least_12_months_away(target_hearing_date, as_of)
    if target_hearing_date is None:
        thd_detail = "No target hearing date is recorded for this sentence."
    else:
        side = "on or after" if thd12 else "before"
        thd_detail = (
            f"The target hearing date, {_long(target_hearing_date)}, is {side} {_long(threshold)} "
            "(12 months from the calculation day, that day itself counting: DECISIONS.md D-03)."
        )
    mappa_text = "not known" if mappa_level is None else str(mappa_level)
    low_mappa = mappa_level in (None, 0, 1)
    checks = (
        SwingCheck(
            "A further indeterminate sentence starts later",
            additional_future_isp,
            "Yes: the POM keeps the case." if additional_future_isp else "No.",
        ),
        SwingCheck("The next hearing is 12 months or more away", thd12, thd_detail),
        SwingCheck("Recalled", recalled, "The sentence is a recall." if recalled else "Not a recall."),
        SwingCheck(
            "The Parole Board did not release at the last completed review",
            None if latest_outcome is None else latest_outcome == "not_release",
            f"Latest completed review: {_outcome_words(latest_outcome)}.",
        ),
        SwingCheck("Managed at MAPPA level 2 or 3", mappa_level in (2, 3), f"MAPPA level: {mappa_text}."),
    )
    rule = None
    if additional_future_isp:
        rule = "additional_isp"
    elif thd12 and recalled and low_mappa:
        rule = "recall_thd_over_12_months"
    elif thd12 and latest_outcome == "not_release":
        rule = "parole_mappa_2_3" if mappa_level in (2, 3) else "thd_over_12_months"
    if rule is not None:
        return SwingExplanation(True, rule, REASON_TEXT[rule], checks)
    if not thd12:
        why = "The next hearing is less than 12 months away (or not known), so no parole swing rule applies."
    elif latest_outcome == "release":
        why = "The last completed review directed release, so no parole swing rule applies."
    else:
        why = (
            "No parole review for this sentence is completed yet, so there is no 'not release' outcome to swing "
            "responsibility back to the POM."
        )
    return SwingExplanation(True, None, f"{why} {_deciding_rule(engine_reason)}", checks)


def _deciding_rule(engine_reason: str | None) -> str:
    """The rule the handover engine actually applied, in its own words (``REASON_TEXT``), never guessed here."""
    if not engine_reason:
        return "No handover has been calculated for this case, so the rule that decides is not known yet."
    if engine_reason in SWING_REASONS:  # the engine swung on inputs these checks do not show (another policy)
        return f"The handover engine applied a swing rule: {REASON_TEXT[engine_reason]}"
    text = REASON_TEXT.get(engine_reason, engine_reason.replace("_", " ").capitalize() + ".")
    return f"The rule that decides instead: {text}"
