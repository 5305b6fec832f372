"""The handover alerts: raised when their condition holds, resolved by themselves when it clears.

The four kinds (``cases.Alert.kind``), worked out from the stored handover and whether a COM is allocated:

- ``handover_upcoming``: the handover date is in the next 56 days (8 weeks) and no COM is allocated;
- ``handover_date_reached``: the handover date was in the last 14 days (the COM is now responsible);
- ``com_allocation_overdue``: 2 or more days past the handover date and still no COM;
- ``short_sentence_needs_com``: a short determinate sentence (``determinate_short``: the COM is responsible from
  the start) with no COM.

``alerts_sync`` works on a set of prisoners or a prison in a constant number of queries: one read of the stored
handovers, one of the open alerts; only when something is to change, the open alerts again under a lock, then at
most one bulk insert, one bulk resolve and one bulk update.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from cases.models import Alert
from handover.models import CalculatedHandover

UPCOMING = "handover_upcoming"
DATE_REACHED = "handover_date_reached"
COM_OVERDUE = "com_allocation_overdue"
SHORT_NEEDS_COM = "short_sentence_needs_com"
KINDS = (UPCOMING, DATE_REACHED, COM_OVERDUE, SHORT_NEEDS_COM)
KIND_LABELS = {
    UPCOMING: "Upcoming handover",
    DATE_REACHED: "Handover date reached",
    COM_OVERDUE: "COM allocation overdue",
    SHORT_NEEDS_COM: "Short sentence needs a COM",
}
UPCOMING_DAYS = 56
REACHED_DAYS = 14
OVERDUE_AFTER_DAYS = 2
SHORT_REASONS = ("determinate_short",)
SYNC_FIELDS = ("prisoner_id", "inside_omic_policy", "reason", "handover_date", "prisoner__prison_id")
COM_FIELD = "prisoner__case_information__com_id"


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def alerts_due(*, inside: bool, reason: str, handover_date: dt.date | None, has_com: bool, today: dt.date) -> dict:
    """Kind -> (message, due date) for every alert whose condition holds today. Pure."""
    due = {}
    if not inside:
        return due
    if reason in SHORT_REASONS and not has_com:
        due[SHORT_NEEDS_COM] = ("Short sentence: the COM is responsible from the start and no COM is allocated", None)
    if handover_date is None:
        return due
    days_to_go = (handover_date - today).days
    when = long_date(handover_date)
    if 0 < days_to_go <= UPCOMING_DAYS and not has_com:
        due[UPCOMING] = (f"Handover to the COM on {when} and no COM is allocated yet", handover_date)
    if -REACHED_DAYS < days_to_go <= 0:
        com = "" if has_com else ", but no COM is allocated yet"
        due[DATE_REACHED] = (f"The handover date ({when}) has been reached: the COM is responsible{com}", handover_date)
    if days_to_go <= -OVERDUE_AFTER_DAYS and not has_com:
        overdue_since = handover_date + dt.timedelta(days=OVERDUE_AFTER_DAYS)
        due[COM_OVERDUE] = (
            f"COM allocation overdue: the handover date was {when} and no COM is allocated",
            overdue_since,
        )
    return due


@dataclass
class AlertCounts:
    raised: int = 0
    resolved: int = 0


def alerts_sync(
    *, today: dt.date, prisoner_ids=None, prison_code: str | None = None, numbers_between: tuple[str, str] | None = None
) -> AlertCounts:
    """Raise the handover alerts that hold and resolve those that no longer do, for some prisoners or a prison.

    ``numbers_between`` (first, last prison number, inclusive) narrows to a range, as the sweep's chunks are.
    """
    stored = CalculatedHandover.objects.all()
    alerts = Alert.objects.filter(kind__in=KINDS, status=Alert.Status.OPEN)
    if prisoner_ids is not None:
        prisoner_ids = list(prisoner_ids)
        stored = stored.filter(prisoner_id__in=prisoner_ids)
        alerts = alerts.filter(prisoner_id__in=prisoner_ids)
    if prison_code is not None:
        stored = stored.filter(prisoner__prison_id=prison_code)
        alerts = alerts.filter(prisoner__prison_id=prison_code)
    if numbers_between is not None:
        stored = stored.filter(prisoner__prison_number__range=numbers_between)
        alerts = alerts.filter(prisoner__prison_number__range=numbers_between)
    wanted = {}
    for row in stored.values(*SYNC_FIELDS, COM_FIELD):
        due = alerts_due(
            inside=row["inside_omic_policy"],
            reason=row["reason"],
            handover_date=row["handover_date"],
            has_com=row[COM_FIELD] is not None,
            today=today,
        )
        for kind, (message, due_date) in due.items():
            wanted[(row["prisoner_id"], kind)] = (message, due_date, row["prisoner__prison_id"])
    counts = AlertCounts()
    if not any(_differences(_by_key(alerts), wanted)):  # most nights: nothing to raise, resolve or reword, no lock
        return counts
    with transaction.atomic():
        gone, new, changed = _differences(_by_key(alerts.select_for_update()), wanted)  # again, under the lock
        if gone:
            counts.resolved = Alert.objects.filter(pk__in=gone).update(status=Alert.Status.RESOLVED, resolved_on=today)
        Alert.objects.bulk_create(
            [
                Alert(prisoner_id=p, prison_id=prison, kind=kind, message=message, due_date=due, raised_on=today)
                for (p, kind), (message, due, prison) in new
            ],
            batch_size=1000,
        )
        Alert.objects.bulk_update(changed, ["message", "due_date", "prison_id"], batch_size=500)
        counts.raised = len(new)
    return counts


def _by_key(alerts) -> dict:
    return {(a.prisoner_id, a.kind): a for a in alerts}


def _differences(open_alerts: dict, wanted: dict) -> tuple[list, list, list]:
    """(pks of open alerts no longer wanted, wanted alerts not open as (key, value) pairs, open alerts reworded)."""
    gone = [a.pk for key, a in open_alerts.items() if key not in wanted]
    new, changed = [], []
    for key, (message, due_date, prison_id) in wanted.items():
        alert = open_alerts.get(key)
        if alert is None:
            new.append((key, (message, due_date, prison_id)))
        elif (alert.message, alert.due_date, alert.prison_id) != (message, due_date, prison_id):
            alert.message, alert.due_date, alert.prison_id = message, due_date, prison_id
            changed.append(alert)
    return gone, new, changed
