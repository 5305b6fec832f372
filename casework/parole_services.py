"""Writes about parole reviews: the one upsert that the parole pages, the CSV import and the API's "parole outcome"
event all use.

``parole_review_upsert`` is idempotent: the same data twice leaves one row and one audit event. A review is found by
its review id (the parole system's id) where there is one; without one, by the case and the same target hearing and
custody report due dates among its reviews without an id. Only the keys given are changed. Every change is audited.
When the target hearing date, the outcome or the date it was received changes, the case's handover is recalculated
at once after the commit (the on-change signal also queues one; the recalculation saves only on a change).
"""

import datetime as dt
import logging
import re
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cases.audit import audit_record
from cases.models import ParoleReview, Prisoner
from cases.validators import PRISON_NUMBER_PATTERN
from casework.calculations.parole import REVIEW_FIELDS, TEXT_FIELDS, review_values_read

logger = logging.getLogger(__name__)

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
MAX_LENGTHS = {name: ParoleReview._meta.get_field(name).max_length for name in TEXT_FIELDS}
# A change to one of these can change the handover (THD, latest outcome): recalculate at once.
HANDOVER_FIELDS = ("target_hearing_date", "custody_report_due", "hearing_outcome", "hearing_outcome_received_on")
TRIGGER = "parole review"
# Neutral on purpose: an API client must not learn that the id is another prisoner's.
REVIEW_ID_IN_USE = "This review id is already in use"


def _snapshot(review: ParoleReview) -> dict:
    return {name: getattr(review, name) for name in REVIEW_FIELDS}


def _recalculate(prison_number: str, *, today: dt.date, actor) -> None:
    """After the commit: recalculate the case's handover now. A failure is logged; the queued job is the backstop."""
    from handover.services.recalculation import recalculate

    try:
        recalculate(prison_number, today=today, trigger=TRIGGER, actor=actor)
    except Exception:
        logger.exception("Could not recalculate the handover of %s after a parole review", prison_number)


def _find(prisoner: Prisoner, values: dict) -> ParoleReview | None:
    review_id = values.get("review_id", "")
    if review_id:
        review = ParoleReview.objects.select_for_update().filter(review_id=review_id).first()
        if review is not None and review.prisoner_id != prisoner.pk:
            raise ValidationError({"review_id": REVIEW_ID_IN_USE})
        return review
    if values.get("target_hearing_date") is None and values.get("custody_report_due") is None:
        return None
    return (
        ParoleReview.objects.select_for_update()
        .filter(
            prisoner=prisoner,
            review_id="",
            target_hearing_date=values.get("target_hearing_date"),
            custody_report_due=values.get("custody_report_due"),
        )
        .order_by("id")
        .first()
    )


def _save(
    review: ParoleReview,
    *,
    prisoner: Prisoner,
    values: dict,
    actor,
    actor_label: str,
    today: dt.date,
    recalculate_now: bool = True,
):
    """Apply ``values`` to ``review`` (new or locked), audit, and recalculate after the commit. Returns the status."""
    created = review._state.adding
    before = None if created else _snapshot(review)
    for name, value in values.items():
        setattr(review, name, value)
    after = _snapshot(review)
    if not created and after == before:
        return UNCHANGED
    if not created and before["review_id"] and after["review_id"] != before["review_id"]:
        raise ValidationError({"review_id": "A review's id cannot be changed"})
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError as exc:
        raise ValidationError({"review_id": REVIEW_ID_IN_USE}) from exc
    audit_record(
        action="parole_review_recorded" if created else "parole_review_updated",
        obj=review,
        before=before,
        after=after,
        actor=actor,
        actor_label=actor_label,
        prisoner=prisoner,
    )
    if recalculate_now and (created or any(before[name] != after[name] for name in HANDOVER_FIELDS)):
        transaction.on_commit(partial(_recalculate, prisoner.pk, today=today, actor=actor), robust=True)
    return CREATED if created else UPDATED


def parole_review_upsert_status(
    *,
    prison_number: str,
    data: dict,
    actor_label: str,
    actor=None,
    today: dt.date,
    recalculate_now: bool = True,
) -> tuple[ParoleReview, str]:
    """``parole_review_upsert``, also saying whether the review was created, updated or unchanged.

    ``recalculate_now=False`` (the bulk import) leaves the recalculation to the queued on-change job."""
    number = (prison_number or "").strip().upper() if isinstance(prison_number, str) else ""
    values, errors = review_values_read(data, today=today, max_lengths=MAX_LENGTHS)
    if not re.fullmatch(PRISON_NUMBER_PATTERN, number):
        errors["prison_number"] = "Enter a prison number in the format A1234BC: a letter, 4 digits, then 2 letters"
    if (
        not errors
        and not values.get("review_id")
        and not (values.get("target_hearing_date") or values.get("custody_report_due"))
    ):
        errors["review_id"] = (
            "Give the review id, the target hearing date or the custody report due date, so the review can be found "
            "again"
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        prisoner = Prisoner.objects.select_for_update().filter(pk=number).first()
        if prisoner is None:
            raise ValidationError({"prison_number": f"No prisoner with prison number {number}"})
        review = _find(prisoner, values) or ParoleReview(prisoner=prisoner)
        status = _save(
            review,
            prisoner=prisoner,
            values=values,
            actor=actor,
            actor_label=actor_label,
            today=today,
            recalculate_now=recalculate_now,
        )
    return review, status


def parole_review_upsert(
    *, prison_number: str, data: dict, actor_label: str, today: dt.date, actor=None
) -> ParoleReview:
    """Record or update one parole review of a case (keys: review_id, target_hearing_date, custody_report_due,
    review_type, review_status, hearing_outcome, hearing_outcome_received_on; dates as ``date`` objects or ISO
    strings). Raises ``ValidationError`` with a dict naming each bad field; writes nothing then. Idempotent; audited.
    ``today`` (for "not in the future" and the recalculation) is required: the caller reads the clock once at its
    edge (view, command, job)."""
    return parole_review_upsert_status(
        prison_number=prison_number, data=data, actor_label=actor_label, actor=actor, today=today
    )[0]


def parole_review_update(*, review: ParoleReview, data: dict, actor, today: dt.date) -> ParoleReview:
    """Change one review of a case from the parole page (for example, record its outcome). Same rules as the upsert."""
    values, errors = review_values_read(data, today=today, max_lengths=MAX_LENGTHS)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        prisoner = Prisoner.objects.select_for_update().get(pk=review.prisoner_id)
        locked = ParoleReview.objects.select_for_update().get(pk=review.pk)
        _save(locked, prisoner=prisoner, values=values, actor=actor, actor_label=actor.get_username(), today=today)
    return locked
