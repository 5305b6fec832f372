"""The daily handover reminders job: alerts for every case, then the emails that are due."""

import datetime as dt

from handover.services.alerts import alerts_sync
from handover.services.notifications import ldu_assign_com_send, pom_reminders_send


def reminders_run(*, today: dt.date) -> dict:
    alerts = alerts_sync(today=today)
    return {
        "alerts raised": alerts.raised,
        "alerts resolved": alerts.resolved,
        "POM emails": pom_reminders_send(today=today),
        "assign a COM emails": ldu_assign_com_send(today=today),
    }
