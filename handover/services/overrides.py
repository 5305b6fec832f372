"""Overriding the calculated responsibility to the COM, and removing the override (DECISIONS.md D-06).

An override only changes who is responsible: the handover dates stay those of the stored calculation. Removing it
keeps the row, with who removed it, when and why, and the calculated responsibility applies again. Each change is
audited, and after the commit the LDU's functional mailbox and the case's primary POM are emailed; every email sent
is logged as a SentEmail on the case. One email failing never undoes the override or stops the other email.
"""

import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.audit import audit_record
from cases.models import PomAllocation, Prisoner, SentEmail
from cases.services import prisoner_lock
from handover.models import OverrideReason, ResponsibilityOverride

logger = logging.getLogger(__name__)

EMAIL_KIND_OVERRIDDEN = "responsibility_override"
EMAIL_KIND_REMOVED = "responsibility_override_removed"


def _snapshot(override: ResponsibilityOverride) -> dict:
    return {
        "reason": override.reason,
        "reason_text": override.reason_text,
        "removed_at": override.removed_at,
        "removal_reason": override.removal_reason,
    }


def _recipients(prisoner: Prisoner) -> list[str]:
    """The LDU's functional mailbox and the primary POM's email, where known."""
    emails = []
    case_information = getattr(prisoner, "case_information", None)
    ldu = case_information.local_delivery_unit if case_information is not None else None
    if ldu is not None and ldu.email:
        emails.append(ldu.email)
    allocation = (
        PomAllocation.objects.filter(prisoner=prisoner, role=PomAllocation.Role.PRIMARY, ended_at__isnull=True)
        .select_related("pom__user")
        .first()
    )
    if allocation is not None and allocation.pom.user.email:
        emails.append(allocation.pom.user.email)
    return list(dict.fromkeys(emails))


def _send(*, prisoner_id: str, prison_id: str, kind: str, to: str, subject: str, body: str) -> None:
    """Send one email and log it on the case. Runs after the commit; a failure is logged, never raised."""
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
        SentEmail.objects.create(
            prisoner_id=prisoner_id,
            prison_id=prison_id,
            kind=kind,
            to=to,
            subject=subject,
            body=body,
            sent_at=timezone.now(),
        )
    except Exception:  # one email must never block the others or the change itself
        logger.exception("Could not send the %s email for %s to %s", kind, prisoner_id, to)


def _email_after_commit(*, prisoner: Prisoner, kind: str, subject: str, body: str) -> None:
    for to in _recipients(prisoner):
        transaction.on_commit(
            partial(
                _send,
                prisoner_id=prisoner.pk,
                prison_id=prisoner.prison_id,
                kind=kind,
                to=to,
                subject=subject,
                body=body,
            )
        )


ALREADY_OVERRIDDEN = "Responsibility for this case is already overridden to the COM"


@transaction.atomic
def responsibility_override_create(
    *, prisoner: Prisoner, reason: str, reason_text: str = "", actor
) -> ResponsibilityOverride:
    """Make the COM responsible for the case, whatever the calculation says, with a D-06 reason."""
    reason_text = reason_text.strip()
    if reason not in OverrideReason.values:
        raise ValidationError({"reason": "Select why responsibility moves to the COM"})
    if reason == OverrideReason.OTHER and not reason_text:
        raise ValidationError({"reason_text": "Give the reason responsibility moves to the COM"})
    # Lock the prisoner, not the (possibly absent) override row, so two HOMDs overriding at once queue up here and
    # the second is told it is already overridden; the unique constraint is the last line of defence.
    prisoner_lock(prisoner.pk)
    if ResponsibilityOverride.objects.filter(prisoner=prisoner, removed_at__isnull=True).exists():
        raise ValidationError(ALREADY_OVERRIDDEN)
    try:
        with transaction.atomic():
            override = ResponsibilityOverride.objects.create(
                prisoner=prisoner,
                reason=reason,
                reason_text=reason_text,
                created_at=timezone.now(),
                created_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError(ALREADY_OVERRIDDEN) from exc
    audit_record(
        action="responsibility_overridden",
        obj=override,
        before=None,
        after=_snapshot(override),
        actor=actor,
        reason=reason_text or override.get_reason_display(),
        prisoner=prisoner,
    )
    detail = f" ({reason_text})" if reason_text else ""
    _email_after_commit(
        prisoner=prisoner,
        kind=EMAIL_KIND_OVERRIDDEN,
        subject=f"The COM is now responsible for {prisoner.full_name} ({prisoner.prison_number})",
        body=(
            f"Responsibility for {prisoner.full_name} ({prisoner.prison_number}) at {prisoner.prison.name} has been "
            f"overridden to the community offender manager (COM).\n\n"
            f"Reason: {override.get_reason_display()}{detail}.\n"
            f"Overridden by: {actor.get_full_name() or actor.get_username()}.\n\n"
            "The handover dates do not change. A COM needs to be allocated if there is not one already."
        ),
    )
    return override


@transaction.atomic
def responsibility_override_remove(*, prisoner: Prisoner, removal_reason: str, actor) -> ResponsibilityOverride:
    """End the case's active override, with a reason: the calculated responsibility applies again."""
    removal_reason = removal_reason.strip()
    if not removal_reason:
        raise ValidationError({"removal_reason": "Give the reason for removing the override"})
    override = (
        ResponsibilityOverride.objects.select_for_update().filter(prisoner=prisoner, removed_at__isnull=True).first()
    )
    if override is None:
        raise ValidationError("Responsibility for this case is not overridden")
    before = _snapshot(override)
    override.removed_at = timezone.now()
    override.removed_by = actor
    override.removal_reason = removal_reason
    override.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    audit_record(
        action="responsibility_override_removed",
        obj=override,
        before=before,
        after=_snapshot(override),
        actor=actor,
        reason=removal_reason,
        prisoner=prisoner,
    )
    _email_after_commit(
        prisoner=prisoner,
        kind=EMAIL_KIND_REMOVED,
        subject=f"Responsibility override removed for {prisoner.full_name} ({prisoner.prison_number})",
        body=(
            f"The override of responsibility to the COM for {prisoner.full_name} ({prisoner.prison_number}) at "
            f"{prisoner.prison.name} has been removed, so the calculated responsibility applies again.\n\n"
            f"Reason: {removal_reason}.\n"
            f"Removed by: {actor.get_full_name() or actor.get_username()}."
        ),
    )
    return override
