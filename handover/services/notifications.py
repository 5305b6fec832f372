"""The handover emails: sent through Django's mail API after the commit, each logged as a SentEmail.

To the case's POM (the active primary POM), unless they opted out (HandoverEmailPreference):
- ``handover_upcoming``: 56 days (8 weeks) before the handover date;
- ``handover_date``: on the handover date;
- ``com_allocation_overdue``: 14 days after the handover date while there is still no COM.
Each goes once per POM, case and handover date. If a daily run is missed, the next run within 7 days catches up.

To the delivery unit's mailbox:
- ``ldu_assign_com``: "assign a COM" for a short sentence (``determinate_short``) with no COM, at most once every 2
  days per case and mailbox;
- ``ldu_pipeline``: on the 1st of each month, a CSV of the unit's cases whose handover starts in the next 45 days
  (today up to and including today + 44 days), once a month; a unit with no such case gets no email.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from cases.models import LocalDeliveryUnit, PomAllocation, SentEmail
from handover.models import CalculatedHandover, HandoverEmailPreference
from handover.services.alerts import long_date
from omic.exports import csv_safe

UPCOMING, ON_THE_DAY, OVERDUE = "handover_upcoming", "handover_date", "com_allocation_overdue"
LDU_ASSIGN_COM, LDU_PIPELINE = "ldu_assign_com", "ldu_pipeline"
# kind: (days after the handover date it is due, the HandoverEmailPreference field that opts out of it)
POM_EMAILS = {
    UPCOMING: (-56, "upcoming_handover"),
    ON_THE_DAY: (0, "handover_date"),
    OVERDUE: (14, "com_allocation_overdue"),
}
CATCH_UP_DAYS = 7
LDU_REPEAT_AFTER = dt.timedelta(days=2)
PIPELINE_DAYS = 45
PIPELINE_HEADER = ["prison number", "name", "prison", "handover start date", "handover date", "tier", "COM"]


@dataclass(frozen=True)
class Email:
    kind: str
    to: str
    subject: str
    body: str
    prisoner_id: str | None = None
    prison_id: str | None = None
    attachment: tuple[str, str, str] | None = None  # filename, content, mimetype


def deliver(emails: list[Email], *, now: dt.datetime | None = None) -> int:
    """Log every email as a SentEmail in this transaction, and send them all once it commits."""
    if not emails:
        return 0
    now = now or timezone.now()
    messages = []
    for email in emails:
        message = EmailMessage(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to])
        if email.attachment:
            message.attach(*email.attachment)
        messages.append(message)
    with transaction.atomic():
        SentEmail.objects.bulk_create(
            SentEmail(
                prisoner_id=e.prisoner_id,
                prison_id=e.prison_id,
                kind=e.kind,
                to=e.to,
                subject=e.subject[:200],
                body=e.body,
                sent_at=now,
            )
            for e in emails
        )
        transaction.on_commit(lambda: get_connection().send_messages(messages), robust=True)
    return len(emails)


def _pom_email_due(kind: str, handover_date: dt.date, today: dt.date, has_com: bool) -> bool:
    offset, _ = POM_EMAILS[kind]
    since = (today - (handover_date + dt.timedelta(days=offset))).days
    if not 0 <= since < CATCH_UP_DAYS:
        return False
    if kind == UPCOMING:
        return today < handover_date
    return kind == ON_THE_DAY or not has_com


def _pom_email(kind: str, row: dict, pom: dict) -> Email:
    name = f"{row['prisoner__first_name']} {row['prisoner__last_name']} ({row['prisoner_id']})"
    when = long_date(row["handover_date"])
    com = row["prisoner__case_information__com__name"]
    subjects = {
        UPCOMING: f"Handover in 8 weeks: {name}, handover date {when}",
        ON_THE_DAY: f"Handover date reached: {name} on {when}",
        OVERDUE: f"COM allocation overdue: {name}, handover date {when}",
    }
    bodies = {
        UPCOMING: f"The COM becomes responsible for {name} on {when}. "
        + (f"The COM is {com}: contact them to plan the handover." if com else "No COM is allocated yet."),
        ON_THE_DAY: f"Today the COM became responsible for {name}. "
        + (f"The COM is {com}." if com else "No COM is allocated yet: ask the delivery unit to allocate one."),
        OVERDUE: f"The handover date for {name} was {when} and there is still no COM. "
        "Ask the probation delivery unit to allocate one.",
    }
    greeting = f"Dear {pom['name']},\n\n" if pom["name"] else ""
    body = f"{greeting}{bodies[kind]}\n\nYou can turn these emails off on your handover email settings page."
    return Email(kind, pom["email"], subjects[kind], body, row["prisoner_id"], row["prisoner__prison_id"])


def pom_reminders_send(*, today: dt.date, now: dt.datetime | None = None) -> int:
    """Send the due POM reminders (a few queries, however many cases); returns how many went."""
    earliest = today - dt.timedelta(days=14 + CATCH_UP_DAYS)
    rows = list(
        CalculatedHandover.objects.filter(
            inside_omic_policy=True, handover_date__gt=earliest, handover_date__lte=today + dt.timedelta(days=56)
        ).values(
            "prisoner_id",
            "handover_date",
            "prisoner__first_name",
            "prisoner__last_name",
            "prisoner__prison_id",
            "prisoner__case_information__com_id",
            "prisoner__case_information__com__name",
        )
    )
    due = []
    for row in rows:
        has_com = row["prisoner__case_information__com_id"] is not None
        due += [(kind, row) for kind in POM_EMAILS if _pom_email_due(kind, row["handover_date"], today, has_com)]
    if not due:
        return 0
    numbers = {row["prisoner_id"] for _, row in due}
    poms = {}
    for a in PomAllocation.objects.filter(
        prisoner_id__in=numbers, role=PomAllocation.Role.PRIMARY, ended_at__isnull=True
    ).values("prisoner_id", "pom__user_id", "pom__user__email", "pom__user__first_name", "pom__user__last_name"):
        name = f"{a['pom__user__first_name']} {a['pom__user__last_name']}".strip()
        poms[a["prisoner_id"]] = {"user": a["pom__user_id"], "email": a["pom__user__email"], "name": name}
    users = {pom["user"] for pom in poms.values()}
    preferences = {p.user_id: p for p in HandoverEmailPreference.objects.filter(user_id__in=users)}
    sent = set(
        SentEmail.objects.filter(kind__in=POM_EMAILS, prisoner_id__in=numbers).values_list("kind", "to", "subject")
    )
    emails = []
    for kind, row in due:
        pom = poms.get(row["prisoner_id"])
        if pom is None or not pom["email"]:
            continue
        preference = preferences.get(pom["user"])
        if preference is not None and not getattr(preference, POM_EMAILS[kind][1]):
            continue
        email = _pom_email(kind, row, pom)
        if (email.kind, email.to, email.subject[:200]) not in sent:
            emails.append(email)
    return deliver(emails, now=now)


def ldu_assign_com_send(*, today: dt.date, prisoner_ids=None, now: dt.datetime | None = None) -> int:
    """Ask the delivery unit to assign a COM to each short-sentence case without one: at most every 2 days."""
    now = now or timezone.now()
    rows = CalculatedHandover.objects.filter(
        inside_omic_policy=True,
        reason="determinate_short",
        prisoner__case_information__com__isnull=True,
        prisoner__case_information__local_delivery_unit__isnull=False,
    ).exclude(prisoner__case_information__local_delivery_unit__email="")
    if prisoner_ids is not None:
        rows = rows.filter(prisoner_id__in=list(prisoner_ids))
    rows = list(
        rows.values(
            "prisoner_id",
            "prisoner__first_name",
            "prisoner__last_name",
            "prisoner__prison_id",
            "prisoner__prison__name",
            "prisoner__case_information__crn",
            "prisoner__case_information__local_delivery_unit__email",
        )
    )
    if not rows:
        return 0
    recent = set(
        SentEmail.objects.filter(
            kind=LDU_ASSIGN_COM, prisoner_id__in=[r["prisoner_id"] for r in rows], sent_at__gt=now - LDU_REPEAT_AFTER
        ).values_list("prisoner_id", "to")
    )
    emails = []
    for r in rows:
        to = r["prisoner__case_information__local_delivery_unit__email"]
        if (r["prisoner_id"], to) in recent:
            continue
        name = f"{r['prisoner__first_name']} {r['prisoner__last_name']} ({r['prisoner_id']})"
        crn = r["prisoner__case_information__crn"] or "not known"
        body = (
            f"{name}, CRN {crn}, at {r['prisoner__prison__name']}, has a sentence of 10 months or less to serve: "
            "the COM is responsible from the start and no COM is allocated.\n\nPlease allocate a COM."
        )
        subject = f"Assign a COM: {name}, fewer than 10 months to serve"
        emails.append(Email(LDU_ASSIGN_COM, to, subject, body, r["prisoner_id"], r["prisoner__prison_id"]))
    return deliver(emails, now=now)


def ldu_pipeline_send(*, today: dt.date, now: dt.datetime | None = None) -> int:
    """Send each delivery unit the CSV of its cases starting handover within 45 days; once a month per mailbox."""
    rows = (
        CalculatedHandover.objects.filter(
            inside_omic_policy=True,
            handover_start_date__gte=today,
            handover_start_date__lt=today + dt.timedelta(days=PIPELINE_DAYS),
            prisoner__case_information__local_delivery_unit__isnull=False,
        )
        .order_by("handover_start_date", "prisoner_id")
        .values_list(
            "prisoner__case_information__local_delivery_unit_id",
            "prisoner_id",
            "prisoner__last_name",
            "prisoner__first_name",
            "prisoner__prison__name",
            "handover_start_date",
            "handover_date",
            "prisoner__case_information__tier",
            "prisoner__case_information__com__name",
        )
    )
    by_ldu: dict[int, list] = {}
    for ldu_id, number, last, first, prison, start, handover, tier, com in rows:
        by_ldu.setdefault(ldu_id, []).append([number, f"{last}, {first}", prison, start, handover, tier, com or ""])
    month = f"{today:%B %Y}"  # the subject names the month: one pipeline email a month per mailbox
    already = set(
        SentEmail.objects.filter(kind=LDU_PIPELINE, subject__contains=f", {month}:").values_list("to", flat=True)
    )
    emails = []
    for ldu in LocalDeliveryUnit.objects.filter(pk__in=by_ldu).exclude(email=""):
        if ldu.email in already:
            continue
        cases = by_ldu[ldu.pk]
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(PIPELINE_HEADER)
        writer.writerows([csv_safe(v) for v in row] for row in cases)
        last_day = long_date(today + dt.timedelta(days=PIPELINE_DAYS - 1))
        subject = f"Handover pipeline for {ldu.name}, {month}: {len(cases)} cases starting handover by {last_day}"
        body = (
            f"The attached CSV lists the {len(cases)} cases of {ldu.name} ({ldu.code}) whose handover to the COM "
            f"starts in the next {PIPELINE_DAYS} days. Please allocate a COM to each before the handover starts."
        )
        attachment = (f"handover-pipeline-{ldu.code}-{today.isoformat()}.csv", out.getvalue(), "text/csv")
        emails.append(Email(LDU_PIPELINE, ldu.email, subject, body, attachment=attachment))
    return deliver(emails, now=now)
