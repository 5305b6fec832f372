"""What happens next on a case and who must do it: the first thing on the prisoner profile.

Pure: no ORM, no clock. The view gathers plain values from each section's selector and passes ``today`` in. The
inspection found handover dates hidden and cases drifting (omic-requirements.md 4.1 F-01, F-02, F-07), so the page
opens with the actions due, soonest first, each naming who acts and linking to where it is done.
"""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class NextAction:
    who: str
    what: str
    due: dt.date | None = None
    link: str = ""  # a key of the profile's links (allocation, handover_checklist, case_tasks, ...)

    def overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today


@dataclass(frozen=True)
class CaseState:
    pom_name: str  # the primary POM's name, "" when none
    missing_details: bool  # no case information or no tier: it cannot be allocated
    handover_next_step: str  # handover.panel.next_step's words, "" when nothing is due
    next_task_what: str = ""
    next_task_due: dt.date | None = None
    next_task_owner: str = ""  # "pom" or "com"
    early_allocation_code: str = ""
    alerts: tuple[tuple[str, dt.date | None], ...] = ()  # (message, due date) of each open alert
    inside_omic: bool = True


_FAR = dt.date.max


def next_actions(state: CaseState, *, today: dt.date) -> list[NextAction]:
    """The actions due on the case, overdue and soonest first; empty when nothing is due."""
    pom = f"POM ({state.pom_name})" if state.pom_name else "POM"
    actions: list[NextAction] = []
    if state.missing_details:
        actions.append(
            NextAction(
                "Case administrator or HOMD",
                "Add the missing case details (tier and probation details) so the case can be allocated.",
                link="missing_details",
            )
        )
    elif not state.pom_name and state.inside_omic:
        actions.append(NextAction("HOMD", "Allocate a POM to this case.", link="allocation"))
    if state.handover_next_step:
        actions.append(NextAction(pom, state.handover_next_step, link="handover_checklist"))
    if state.next_task_what:
        who = "COM" if state.next_task_owner == "com" else pom
        actions.append(NextAction(who, state.next_task_what + ".", due=state.next_task_due, link="case_tasks"))
    if state.early_allocation_code == "awaiting_approval":
        actions.append(
            NextAction(
                "HOMD", "Approve or reject the discretionary early allocation referral.", link="early_allocation"
            )
        )
    elif state.early_allocation_code == "awaiting_community_decision":
        actions.append(
            NextAction(
                pom, "Record the community's early allocation decision when it arrives.", link="early_allocation"
            )
        )
    for message, due in state.alerts:
        actions.append(NextAction(pom, message, due=due, link="alerts"))
    # Undated actions (allocation, missing details) come first: nothing else can happen until they are done.
    return sorted(actions, key=lambda a: (a.due is not None, a.due or _FAR))
