"""Pure rules of the POM caseload ("Your cases"): which tab a case is on, its parole date, and sorting.

No ORM, no clock: ``today`` is passed in. The tabs follow the reference service's caseload
(manage-pom-cases-reference.md 1.2 "POM caseload"), with the issue's handover and task tabs:

- **new**: allocated to this POM in the last 7 days (today and the 6 days before);
- **releases**: the earliest release date (D-05, as the handover engine stored it) from today to today + 4 weeks;
- **parole**: a TED, PED or target hearing date from today to today + 10 months inclusive (the reference service's
  "parole cases"), the nearest one shown;
- **handovers**: on the handover lists: the COM responsible (or overridden to the COM) with a handover date, the COM
  supporting the POM, or the POM responsible with the handover date in the next 56 days;
- **tasks**: the next open task is overdue or due in the next 4 weeks.
"""

import datetime as dt
from dataclasses import dataclass

from casework.calculations.parole import approaching_parole_date

NEW_DAYS = 7
RELEASE_DAYS = 28
HANDOVER_WINDOW_DAYS = 56
TASK_WINDOW_DAYS = 28

TABS = {
    "all": "All cases",
    "new": "New cases",
    "releases": "Releases in the next 4 weeks",
    "parole": "Parole",
    "handovers": "Handovers",
    "tasks": "Tasks",
}
TAB_HELP = {
    "all": "Every case allocated to this POM, as the primary or co-working POM.",
    "new": "Allocated in the last 7 days.",
    "releases": "The earliest release date is in the next 4 weeks.",
    "parole": "A tariff expiry, parole eligibility or target hearing date in the next 10 months.",
    "handovers": "The COM is responsible or supporting, or the handover date is in the next 56 days.",
    "tasks": "A task is overdue or due in the next 4 weeks.",
}

RESPONSIBLE, SUPPORTING, CO_WORKING = "responsible", "supporting", "co_working"
ROLE_LABELS = {RESPONSIBLE: "Responsible", SUPPORTING: "Supporting", CO_WORKING: "Co-working"}
ROLE_FILTERS = {"": "Any role", **ROLE_LABELS}


@dataclass(frozen=True)
class CaseFacts:
    """What the tab rules read about one case, as plain values."""

    allocated_on: dt.date
    responsibility: str  # the effective one: "Community" while overridden (D-06)
    handover_date: dt.date | None
    earliest_release_date: dt.date | None
    parole_date: dt.date | None
    next_task_due: dt.date | None


def parole_date(
    *, today: dt.date, ted: dt.date | None, ped: dt.date | None, thd: dt.date | None
) -> tuple[dt.date | None, str]:
    """The nearest of the TED, PED and target hearing date from today to today + 10 months inclusive, with its kind:
    the approaching-parole rule itself (``casework.calculations.parole``), so the tab and the list never disagree."""
    found = approaching_parole_date(tariff_expiry=ted, parole_eligibility=ped, target_hearing=thd, today=today)
    return (None, "") if found is None else (found[1], found[0])


def tabs_of(facts: CaseFacts, *, today: dt.date) -> set[str]:
    """The tabs a case is on ("all" always)."""
    tabs = {"all"}
    if 0 <= (today - facts.allocated_on).days < NEW_DAYS:
        tabs.add("new")
    release = facts.earliest_release_date
    if release is not None and today <= release <= today + dt.timedelta(days=RELEASE_DAYS):
        tabs.add("releases")
    if facts.parole_date is not None:
        tabs.add("parole")
    handover = facts.handover_date
    if (
        (facts.responsibility == "Community" and handover is not None)
        or facts.responsibility == "CustodyWithCom"
        or (
            facts.responsibility == "CustodyOnly"
            and handover is not None
            and today <= handover <= today + dt.timedelta(days=HANDOVER_WINDOW_DAYS)
        )
    ):
        tabs.add("handovers")
    if facts.next_task_due is not None and facts.next_task_due <= today + dt.timedelta(days=TASK_WINDOW_DAYS):
        tabs.add("tasks")
    return tabs


def matches_search(*, term: str, prison_number: str, first_name: str, last_name: str) -> bool:
    """A prison number (or its start), or every word found in the first or last name, ignoring case."""
    term = term.strip().casefold()
    if not term:
        return True
    if prison_number.casefold().startswith(term):
        return True
    names = (first_name.casefold(), last_name.casefold())
    return all(any(word in name for name in names) for word in term.split())


_FAR = dt.date.max


def _date_key(day: dt.date | None) -> dt.date:
    return day if day is not None else _FAR


SORTS = {
    "name": "Name",
    "tier": "Tier",
    "role": "Role",
    "handover": "Handover date",
    "release": "Earliest release",
    "task": "Next task due",
    "alerts": "Alerts",
}


def sort_key(sort: str):
    """A key function for rows with ``prisoner``, ``tier``, ``role``, ``handover_date``, ``earliest_release_date``,
    ``next_task_due`` and ``alerts``. Blank values go last; the prison number breaks ties."""

    def name(row):
        return (row.prisoner.last_name.casefold(), row.prisoner.first_name.casefold(), row.prisoner.prison_number)

    keys = {
        "name": name,
        "tier": lambda r: (r.tier or "~", *name(r)),
        "role": lambda r: ((RESPONSIBLE, SUPPORTING, CO_WORKING).index(r.role), *name(r)),
        "handover": lambda r: (_date_key(r.handover_date), *name(r)),
        "release": lambda r: (_date_key(r.earliest_release_date), *name(r)),
        "task": lambda r: (_date_key(r.next_task_due), *name(r)),
        "alerts": lambda r: (-len(r.alerts), *name(r)),
    }
    return keys.get(sort, name)
