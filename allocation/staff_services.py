"""Writes for the POM staff pages: edit a POM, add a member of staff as a POM, and bulk reallocation.

Every write is one transaction and records an AuditEvent. Bulk reallocation moves each case through
``allocation.services.allocate`` (which locks the prisoner row and checks the override rules, D-08) inside one outer
transaction: if any case cannot move, none moves. The two summary emails go after commit, one task each.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from allocation.services import allocate
from cases.audit import audit_record
from cases.models import PomAllocation, PomProfile, Prison, Prisoner, Role, SentEmail

BULK_TO_KIND = "bulk_reallocation_received"
BULK_FROM_KIND = "bulk_reallocation_moved_away"


def _profile_values(pom: PomProfile) -> dict:
    return {"pom_type": pom.pom_type, "working_pattern": pom.working_pattern, "status": pom.status}


@transaction.atomic
def pom_profile_update(*, pom: PomProfile, working_pattern: Decimal, status: str, actor) -> PomProfile:
    """Change a POM's working pattern (0.1 to 1.0 FTE) and status; nothing is written when nothing changed."""
    if status not in PomProfile.Status.values:
        raise ValidationError({"status": "Choose the POM's status"})
    if not Decimal("0.1") <= working_pattern <= Decimal("1.0"):
        raise ValidationError({"working_pattern": "Working pattern must be from 0.1 to 1.0 FTE"})
    pom = PomProfile.objects.select_for_update().select_related("user").get(pk=pom.pk)
    before = _profile_values(pom)
    pom.working_pattern, pom.status = working_pattern, status
    after = _profile_values(pom)
    changed = {k: v for k, v in after.items() if before[k] != v}
    if not changed:
        return pom
    pom.save(update_fields=list(changed))
    audit_record(
        action="pom_profile_updated",
        obj=pom,
        before={k: before[k] for k in changed},
        after=changed,
        actor=actor,
    )
    return pom


@transaction.atomic
def pom_profile_create(
    *, prison: Prison, user, pom_type: str, working_pattern: Decimal, actor, candidates: list
) -> PomProfile:
    """Make a member of staff of the prison a POM there: a POM profile, and the POM role if they lack it.

    ``candidates`` is ``staff_selectors.staff_without_pom_profile``: only those people can be added.
    """
    if user is None or user.pk not in {c.pk for c in candidates}:
        raise ValidationError({"user": "Choose a member of staff of this prison who is not yet a POM here"})
    if pom_type not in PomProfile.PomType.values:
        raise ValidationError({"pom_type": "Choose the POM's position"})
    pom = PomProfile.objects.create(
        user=user, prison=prison, pom_type=pom_type, working_pattern=working_pattern, status=PomProfile.Status.ACTIVE
    )
    added_role = not user.groups.filter(name=Role.POM).exists()
    if added_role:
        user.groups.add(Group.objects.get_or_create(name=Role.POM)[0])
    audit_record(
        action="pom_profile_created",
        obj=pom,
        before=None,
        after={
            **_profile_values(pom),
            "user": user.get_username(),
            "prison": prison.code,
            "pom_role_added": added_role,
        },
        actor=actor,
    )
    return pom


def _case_error(prisoner: Prisoner, error: ValidationError) -> ValidationError:
    """The error of one case, with the case named; override errors keep their field so the form can show them."""
    if hasattr(error, "error_dict") and set(error.error_dict) <= {"override_reason", "override_detail"}:
        return error
    text = " ".join(error.messages)
    return ValidationError({"cases": f"{prisoner.full_name} ({prisoner.prison_number}): {text}"})


@transaction.atomic
def bulk_reallocate(
    *,
    source: PomProfile,
    target: PomProfile,
    prison_numbers: list[str],
    override_reason: str = "",
    override_detail: str = "",
    actor,
    today: dt.date,
) -> list[PomAllocation]:
    """Move the chosen primary cases of ``source`` to ``target``, all or nothing.

    Cases are taken in prison-number order, so two reallocations lock prisoners in the same order. A case whose
    primary POM is no longer ``source`` stops the whole move with an error naming the case. The override reason
    applies to every case whose recommended POM type is not the target's (``allocate`` checks it). Afterwards each
    POM is sent one summary email.
    """
    if not prison_numbers:
        raise ValidationError({"cases": "Select at least one case to reallocate"})
    if target.pk == source.pk or target.prison_id != source.prison_id:
        raise ValidationError({"target": "Choose another POM at this prison to reallocate to"})
    moved = []
    for number in sorted(set(prison_numbers)):
        prisoner = Prisoner.objects.filter(pk=number, prison_id=source.prison_id).first()
        current = PomAllocation.objects.filter(
            prisoner_id=number, pom=source, role=PomAllocation.Role.PRIMARY, ended_at__isnull=True
        ).first()
        if prisoner is None or current is None:
            name = f"{prisoner.full_name} ({number})" if prisoner else number
            raise ValidationError(
                {"cases": f"{name} is no longer allocated to {source.user.get_full_name()}: select the cases again"}
            )
        try:
            moved.append(
                allocate(
                    prisoner,
                    target,
                    actor=actor,
                    today=today,
                    override_reason=override_reason,
                    override_detail=override_detail,
                    expected_primary=current.pk,
                    notify=False,  # the two summary emails below tell both POMs, not one email per case
                )
            )
        except ValidationError as error:
            raise _case_error(prisoner, error) from error
    audit_record(
        action="pom_cases_bulk_reallocated",
        obj=source,
        before={"pom": source.pk, "cases": sorted(set(prison_numbers))},
        after={"pom": target.pk, "cases": sorted(set(prison_numbers))},
        actor=actor,
        reason=override_detail or override_reason,
    )
    _summary_emails_after_commit(source=source, target=target, allocation_ids=[a.pk for a in moved])
    return moved


def _summary_emails_after_commit(*, source: PomProfile, target: PomProfile, allocation_ids: list[int]) -> None:
    from allocation.staff_tasks import bulk_reallocation_email_send
    from omic.queueing import enqueue_after_commit

    for kind, pom in ((BULK_TO_KIND, target), (BULK_FROM_KIND, source)):
        enqueue_after_commit(bulk_reallocation_email_send, (kind, pom.pk, source.pk, target.pk, allocation_ids))


def bulk_reallocation_email(*, kind: str, pom_id: int, source_id: int, target_id: int, allocation_ids: list[int]):
    """Send (and log as SentEmail) one bulk reallocation summary. Idempotent: the same summary is sent once."""
    poms = {p.pk: p for p in PomProfile.objects.select_related("user", "prison").filter(pk__in=[source_id, target_id])}
    pom, source, target = poms[pom_id], poms[source_id], poms[target_id]
    allocations = list(
        PomAllocation.objects.filter(pk__in=allocation_ids)
        .select_related("prisoner__case_information")
        .order_by("prisoner__last_name", "prisoner__first_name", "prisoner_id")
    )
    if kind == BULK_TO_KIND:
        subject = f"{len(allocations)} cases reallocated to you from {source.user.get_full_name()}"
        intro = f"These cases at {pom.prison.name} were reallocated to you from {source.user.get_full_name()}:"
    else:
        subject = f"{len(allocations)} of your cases reallocated to {target.user.get_full_name()}"
        intro = f"These cases at {pom.prison.name} were reallocated from you to {target.user.get_full_name()}:"
    lines = [f"Dear {pom.user.get_full_name()},", "", intro, ""]
    for a in allocations:
        tier = getattr(getattr(a.prisoner, "case_information", None), "tier", "") or "no tier"
        lines.append(f"- {a.prisoner.list_name} ({a.prisoner.prison_number}), tier {tier}")
    body = "\n".join([*lines, "", "Manage OMiC cases"])
    to = pom.user.email
    if not to or SentEmail.objects.filter(kind=kind, to=to, subject=subject, body=body).exists():
        return None
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    return SentEmail.objects.create(
        prison=pom.prison, kind=kind, to=to, subject=subject, body=body, sent_at=timezone.now()
    )
