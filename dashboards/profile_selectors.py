"""Reads for the prisoner profile: one page for the whole case, one selector call (mostly one query) per section.

Each section comes from its owner's selectors: the handover engine (panel, override), allocation (POMs and the
timeline), tiering (the current tier record), casework (early allocation, parole reviews, tasks, service level) and
key work (key worker, sessions, POM contacts). The query count is fixed whatever the size of the case or caseload.
"""

import contextlib
import datetime as dt
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from allocation.selectors import allocation_list_for_case, case_timeline
from cases.models import Alert, Prisoner
from casework.early_allocation_selectors import early_allocation_latest_for, early_allocation_status
from casework.parole_selectors import parole_reviews_for
from casework.task_selectors import service_level_for, task_list_for_prisoner
from handover.panel import explanation, next_step
from handover.selectors import HandoverPanel, handover_panel_for_prisoner
from keywork.recording_selectors import CaseKeyWork, case_key_work
from tiering.selectors import tier_record_current

SENTENCE_DATES = (
    "sentence_start_date",
    "conditional_release_date",
    "automatic_release_date",
    "parole_eligibility_date",
    "tariff_expiry_date",
    "home_detention_curfew_eligibility_date",
    "home_detention_curfew_actual_date",
    "post_recall_release_date",
    "release_date",
    "licence_expiry_date",
    "sentence_expiry_date",
)
OPEN_TASK = "due"


def sentence_dates(sentence) -> list[dict]:
    """Each sentence date in force (the sentence calculation's override where there is one), labelled."""
    if sentence is None:
        return []
    rows = []
    for name in SENTENCE_DATES:
        value = sentence.effective(name)
        overridden = name in sentence.OVERRIDABLE and getattr(sentence, f"{name}_override") is not None
        label = sentence._meta.get_field(name).verbose_name
        rows.append({"label": label[:1].upper() + label[1:], "value": value, "overridden": overridden})
    return rows


def tier_breakdown(record) -> list[dict]:
    """The points (V2: protect and change) or steps (V3) that gave the tier, grouped for display."""
    if record is None or not record.breakdown:
        return []
    if record.model == "v3":
        return [{"title": "Steps that gave the tier", "unit": "Tier", "rows": list(record.breakdown)}]
    sections: dict[str, list] = {}
    for factor, points in record.breakdown:
        title, _, text = str(factor).partition(": ")
        sections.setdefault(title, []).append((text or title, points))
    return [
        {"title": f"{title} points", "unit": "Points", "rows": rows, "total": sum(p for _, p in rows)}
        for title, rows in sections.items()
    ]


def case_links(*, prison_code: str, prison_number: str) -> dict[str, str]:
    """Where each part of the case is changed. A page another helper has not wired up yet is left out (no link
    rather than a broken one)."""
    kwargs = {"prison_code": prison_code, "prison_number": prison_number}
    names = {
        "allocation": "allocation_review",
        "choose_pom": "allocation_choose",
        "co_worker": "allocation_co_worker",
        "timeline": "allocation_timeline",
        "tier": "tier_detail",
        "handover_checklist": "handover_checklist",
        "override": "handover_override_create",
        "override_remove": "handover_override_remove",
        "key_work": "keywork_case",
        "key_worker": "keywork_prisoner",
        "early_allocation": "early_allocation_case",
        "early_allocation_start": "early_allocation_start",
        "parole": "parole_case",
        "recall_placement": "recall_placement",
        "case_tasks": "case_tasks",
    }
    links = {}
    for key, name in names.items():
        try:
            links[key] = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    with contextlib.suppress(NoReverseMatch):
        links["missing_details"] = reverse("allocation_missing_details", kwargs={"prison_code": prison_code})
    links["alerts"] = "#alerts"
    return links


@dataclass
class Profile:
    prisoner: Prisoner
    panel: HandoverPanel
    allocations: list
    timeline: list
    tier_record: object | None
    early_allocation: object | None
    early_allocation_status: tuple[str, str]
    parole_reviews: list
    tasks: list
    service_level: object | None
    key_work: CaseKeyWork
    alerts: list[Alert]
    explanation: dict | None = None
    handover_next_step: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def primary(self):
        return next((a for a in self.allocations if a.is_active and a.role == "primary"), None)

    @property
    def co_working(self):
        return next((a for a in self.allocations if a.is_active and a.role == "co_working"), None)

    @property
    def open_tasks(self) -> list:
        return [t for t in self.tasks if t.status == OPEN_TASK]


def profile_for(*, prisoner: Prisoner, user, today: dt.date) -> Profile:
    """Every section of the profile of one case (the prisoner comes with its sentence and case information)."""
    panel = handover_panel_for_prisoner(prisoner=prisoner, today=today)
    allocations = allocation_list_for_case(prisoner=prisoner)
    latest = early_allocation_latest_for(prison_numbers=[prisoner.prison_number]).get(prisoner.prison_number)
    case_information = getattr(prisoner, "case_information", None)
    has_com = case_information is not None and case_information.com_id is not None
    return Profile(
        prisoner=prisoner,
        panel=panel,
        allocations=allocations,
        timeline=case_timeline(prisoner=prisoner, allocations=allocations),
        tier_record=tier_record_current(prisoner=prisoner),
        early_allocation=latest,
        early_allocation_status=early_allocation_status(latest),
        parole_reviews=parole_reviews_for(prisoner=prisoner),
        tasks=task_list_for_prisoner(prisoner=prisoner),
        service_level=service_level_for(prisoner=prisoner, today=today),
        key_work=case_key_work(prisoner=prisoner, user=user),
        alerts=list(Alert.objects.filter(prisoner=prisoner, status=Alert.Status.OPEN).order_by("due_date", "id")),
        explanation=explanation(panel.calculated) if panel.calculated else None,
        handover_next_step=next_step(panel=panel, has_com=has_com, today=today),
    )
