"""The handover checklist's tasks by handover type (DECISIONS.md D-07). Pure: no ORM, no clock.

Enhanced: review OASys, contact the COM, hold a handover meeting (within 4 weeks of COM allocation).
Standard: contact the COM, send the handover report. Care-experienced people under 25 always get a handover meeting.
No handover (short sentences) or a type not known yet: no checklist.
"""

import datetime as dt

from dateutil.relativedelta import relativedelta

TASK_LABELS = {
    "reviewed_oasys": "Review OASys",
    "contacted_com": "Contact the COM",
    "attended_handover_meeting": "Hold a handover meeting",
    "sent_handover_report": "Send the handover report",
}
TASK_HINTS = {
    "attended_handover_meeting": "within 4 weeks of the COM being allocated",
}
ENHANCED_TASKS = ("reviewed_oasys", "contacted_com", "attended_handover_meeting")
STANDARD_TASKS = ("contacted_com", "sent_handover_report")
CARE_LEAVER_AGE = 25


def is_care_experienced_under_25(*, care_experienced: bool, date_of_birth: dt.date | None, today: dt.date) -> bool:
    """D-07: a care-experienced person who is not yet 25 on ``today``. An unknown date of birth does not count."""
    if not care_experienced or date_of_birth is None:
        return False
    return date_of_birth > today - relativedelta(years=CARE_LEAVER_AGE)


def checklist_tasks(*, handover_type: str, care_experienced_under_25: bool) -> tuple[str, ...]:
    """The checklist's task names (HandoverChecklist field names) for a handover type, in the order they are done."""
    if handover_type == "enhanced":
        return ENHANCED_TASKS
    if handover_type == "standard":
        return (*STANDARD_TASKS, "attended_handover_meeting") if care_experienced_under_25 else STANDARD_TASKS
    return ()
