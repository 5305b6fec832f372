"""Emails to POMs about their allocations, each logged as a ``cases.SentEmail`` for the case timeline.

Sent from ``allocation.tasks.pom_email_send`` after the allocation has committed, one task per email, so a mail
failure never undoes an allocation. Sending the same email twice (a redelivered task) is avoided by the log.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from cases.models import PomAllocation, PomProfile, SentEmail
from handover.selectors import responsibility_label, responsibility_override_active

SUBJECTS = {
    "allocated": "New allocation: {name} ({number})",
    "reallocated_away": "Case reallocated: {name} ({number})",
    "deallocated": "Case deallocated: {name} ({number})",
    "co_worker_allocated": "Co-working POM allocated: {name} ({number})",
    "co_worker_removed": "Co-working POM removed: {name} ({number})",
}
KIND_PREFIX = "allocation_"


def pom_email_send(*, kind: str, allocation_id: int, pom_id: int) -> SentEmail | None:
    """Send one allocation email to a POM and log it. Returns None when the POM has no email address or the same
    email was already sent (a task may be delivered twice)."""
    allocation = (
        PomAllocation.objects.select_related(
            "prisoner__prison",
            "prisoner__sentence",
            "prisoner__case_information__com",
            "prisoner__calculated_handover",
            "pom__user",
        )
        .filter(pk=allocation_id)
        .first()
    )
    pom = PomProfile.objects.select_related("user").filter(pk=pom_id).first()
    if allocation is None or pom is None or not pom.user.email or kind not in SUBJECTS:
        return None
    prisoner = allocation.prisoner
    handover = getattr(prisoner, "calculated_handover", None)
    subject = SUBJECTS[kind].format(name=prisoner.full_name, number=prisoner.prison_number)
    if SentEmail.objects.filter(
        prisoner=prisoner,
        kind=KIND_PREFIX + kind,
        to=pom.user.email,
        subject=subject,
        sent_at__gte=allocation.allocated_at,
    ).exists() and kind in ("allocated", "co_worker_allocated"):
        return None
    body = render_to_string(
        "allocation/email/pom_email.txt",
        {
            "kind": kind,
            "allocation": allocation,
            "recipient": pom,
            "prisoner": prisoner,
            "sentence": getattr(prisoner, "sentence", None),
            "case_information": getattr(prisoner, "case_information", None),
            "handover": handover,
            "responsibility": responsibility_label(
                getattr(handover, "responsibility", ""),
                overridden=responsibility_override_active(prisoner=prisoner) is not None,
            ),
        },
    )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [pom.user.email])
    return SentEmail.objects.create(
        prisoner=prisoner,
        prison=prisoner.prison,
        kind=KIND_PREFIX + kind,
        to=pom.user.email,
        subject=subject,
        body=body,
        sent_at=timezone.now(),
    )
