"""Reads for the POM staff pages: the POM list in tabs, a POM's profile and their cases.

Every read is scoped to one prison (the view has already checked the user works there) and runs a fixed number of
queries, whatever the number of POMs or cases: caseload counts come from one grouped query.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.db.models import Exists, Max, OuterRef
from django.http import Http404

from allocation.calculations import CO_WORKING, RESPONSIBLE, ROLE_LABELS, SUPPORTING, pom_role_for
from allocation.selectors import PomWorkload, Recommendation, pom_workload_list, recommendation_for
from cases.models import PomAllocation, PomProfile, Prison, Role
from cases.params import positive_id
from handover.selectors import Responsibility, override_active

PAROLE_WINDOW_MONTHS = 10  # MPC "parole cases": a PED or TED within 10 months.
HANDOVER_LOOKAHEAD_DAYS = 56  # MPC "upcoming handovers": a handover date within the next 56 days.
MAIN_TIERS = ("A", "B", "C", "D")
# A POM carrying more than this weighted load per FTE shows as over capacity (about 60 tier C cases full time).
DEFAULT_CAPACITY_PER_FTE = "60"

TABS = {
    "probation": "Probation POMs",
    "prison": "Prison POMs",
    "unavailable": "Unavailable",
    "away": "Away from work",
    "attention": "Attention needed",
}


@dataclass
class PomCaseload:
    """One POM on the staff pages: their workload (allocation.selectors) and when they were last given a case."""

    workload: PomWorkload
    last_allocated_at: dt.datetime | None = None

    @property
    def pom(self) -> PomProfile:
        return self.workload.pom

    @property
    def total(self) -> int:
        return self.workload.total

    @property
    def responsible(self) -> int:
        return self.workload.by_role[RESPONSIBLE]

    @property
    def supporting(self) -> int:
        return self.workload.by_role[SUPPORTING]

    @property
    def co_working(self) -> int:
        return self.workload.by_role[CO_WORKING]

    @property
    def primary(self) -> int:
        return self.responsible + self.supporting

    @property
    def weighted_load(self) -> Decimal:
        return self.workload.load

    @property
    def load_per_fte(self) -> Decimal:
        return self.workload.per_fte

    @property
    def main_tier_counts(self) -> list[int]:
        by_tier = self.workload.by_tier
        return [by_tier.get(t, 0) for t in MAIN_TIERS]

    @property
    def other_tiers(self) -> int:
        """Cases of tiers E-G (the A-G model) or with no tier yet."""
        return sum(n for tier, n in self.workload.by_tier.items() if tier not in MAIN_TIERS)

    @property
    def needs_attention(self) -> bool:
        """Has cases but is no longer an active POM: away from work, or their account is closed."""
        return self.total > 0 and (self.pom.status == PomProfile.Status.AWAY or not self.pom.user.is_active)


def _caseloads(*, prison: Prison, today: dt.date, pom_ids=None) -> list[PomCaseload]:
    """POMs with their workload (two queries, allocation.selectors) and last allocation date (one query)."""
    workloads = pom_workload_list(prison=prison, today=today, pom_ids=pom_ids)
    last = dict(
        PomAllocation.objects.filter(pom__in=[w.pom.pk for w in workloads])
        .values("pom_id")
        .annotate(last=Max("allocated_at"))
        .values_list("pom_id", "last")
        .order_by()
    )
    return [PomCaseload(workload=w, last_allocated_at=last.get(w.pom.pk)) for w in workloads]


def pom_caseload_list_for_prison(*, prison: Prison, today: dt.date) -> list[PomCaseload]:
    """Every POM at the prison with their caseload, by surname, in three queries."""
    return _caseloads(prison=prison, today=today)


def pom_tab_of(caseload: PomCaseload, tab: str) -> bool:
    pom = caseload.pom
    if tab == "attention":
        return caseload.needs_attention
    if tab in ("probation", "prison"):
        return pom.status == PomProfile.Status.ACTIVE and pom.pom_type == tab and pom.user.is_active
    return pom.status == tab


def pom_tabs(caseloads: list[PomCaseload]) -> dict[str, list[PomCaseload]]:
    return {tab: [c for c in caseloads if pom_tab_of(c, tab)] for tab in TABS}


def pom_caseload_get(*, prison: Prison, pom_id: int, today: dt.date) -> PomCaseload:
    """One POM at this prison with their caseload, or 404: a POM of another prison is not visible from here."""
    pom_id = positive_id(pom_id)  # the URL's int converter takes any length of digits
    rows = _caseloads(prison=prison, today=today, pom_ids=[pom_id]) if pom_id is not None else []
    if not rows:
        raise Http404("No such POM in this prison")
    return rows[0]


@dataclass
class PomCase:
    """One of a POM's active cases, for the profile's caseload, handover and parole tabs."""

    allocation: PomAllocation
    role: str
    tier: str
    handover_start_date: dt.date | None
    handover_date: dt.date | None
    parole_date: dt.date | None
    parole_date_kind: str
    responsibility: str = ""  # the stored value, or "Community" while overridden (D-06)
    responsibility_overridden: bool = False
    recommendation: Recommendation | None = None  # set for bulk reallocation

    @property
    def prisoner(self):
        return self.allocation.prisoner

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]


def _parole_date(sentence) -> tuple[dt.date | None, str]:
    """The earlier of the PED (with its override) and the TED, if any: the parole date the POM works towards."""
    if sentence is None:
        return None, ""
    dates = [
        (d, kind)
        for d, kind in (
            (sentence.effective("parole_eligibility_date"), "PED"),
            (sentence.tariff_expiry_date, "TED"),
        )
        if d is not None
    ]
    return min(dates) if dates else (None, "")


def pom_case_list(*, pom: PomProfile) -> list[PomCase]:
    """A POM's active cases (primary and co-working), by prisoner name, in one query."""
    allocations = (
        PomAllocation.objects.filter(pom=pom, ended_at__isnull=True)
        .select_related("prisoner__case_information", "prisoner__sentence", "prisoner__calculated_handover")
        .annotate(responsibility_overridden=override_active())
        .order_by("prisoner__last_name", "prisoner__first_name", "prisoner_id")
    )
    cases = []
    for allocation in allocations:
        prisoner = allocation.prisoner
        handover = getattr(prisoner, "calculated_handover", None)
        case_information = getattr(prisoner, "case_information", None)
        parole_date, parole_kind = _parole_date(getattr(prisoner, "sentence", None))
        overridden = allocation.responsibility_overridden
        prisoner.responsibility_overridden = overridden  # what recommendation_for reads, without a query per case
        responsibility = Responsibility.COMMUNITY if overridden else getattr(handover, "responsibility", "")
        cases.append(
            PomCase(
                allocation=allocation,
                role=pom_role_for(allocation_role=allocation.role, responsibility=responsibility),
                tier=case_information.tier if case_information else "",
                handover_start_date=handover.handover_start_date if handover else None,
                handover_date=handover.handover_date if handover else None,
                parole_date=parole_date,
                parole_date_kind=parole_kind,
                responsibility=responsibility,
                responsibility_overridden=overridden,
            )
        )
    return cases


def in_handover_window(case: PomCase, *, today: dt.date) -> bool:
    """The handover is under way (start reached, handover date not passed) or the handover date is within 56 days."""
    if case.handover_date is None or case.handover_date < today:
        return False
    started = case.handover_start_date is not None and case.handover_start_date <= today
    return started or case.handover_date <= today + dt.timedelta(days=HANDOVER_LOOKAHEAD_DAYS)


def in_parole_window(case: PomCase, *, today: dt.date) -> bool:
    """A PED or TED from today up to 10 months ahead (month steps clamp to the month's end, by relativedelta)."""
    return case.parole_date is not None and today <= case.parole_date <= today + relativedelta(
        months=PAROLE_WINDOW_MONTHS
    )


def primary_case_list_for_reallocation(*, pom: PomProfile) -> list[PomCase]:
    """The cases a bulk reallocation can move: the POM's active primary cases, each with its recommended POM type
    (``recommendation_for``, the rule the case page uses) read from the same one query."""
    cases = [c for c in pom_case_list(pom=pom) if c.allocation.role == PomAllocation.Role.PRIMARY]
    for case in cases:
        case.recommendation = recommendation_for(prisoner=case.prisoner)
    return cases


def pom_target_list(*, prison: Prison, source: PomProfile, today: dt.date) -> list[PomCaseload]:
    """The POMs a bulk reallocation can move cases to: active POMs at the prison other than the source."""
    return [
        c
        for c in pom_caseload_list_for_prison(prison=prison, today=today)
        if c.pom.pk != source.pk and c.pom.status == PomProfile.Status.ACTIVE and c.pom.user.is_active
    ]


def staff_without_pom_profile(*, prison: Prison) -> list:
    """Active staff of the prison who are not yet a POM there: the people who can be added as a POM."""
    user_model = get_user_model()
    has_profile = PomProfile.objects.filter(prison=prison, user=OuterRef("pk"))
    return list(
        user_model.objects.filter(staff_profile__prisons=prison, is_active=True)
        .exclude(Exists(has_profile))
        .exclude(groups__name__in=[Role.NATIONAL_VIEWER, Role.SERVICE_ADMIN])
        .order_by("last_name", "first_name", "username")
        .distinct()
    )


def staff_user_get_for_pom_profile(*, prison: Prison, user_id) -> object | None:
    """One of ``staff_without_pom_profile``, or None."""
    return next((u for u in staff_without_pom_profile(prison=prison) if str(u.pk) == str(user_id)), None)


def pom_attention_counts(*, prison: Prison, today: dt.date) -> dict[str, int]:
    """For the HOMD home page: POMs needing attention, and POMs whose weighted load per FTE is over capacity."""
    caseloads = pom_caseload_list_for_prison(prison=prison, today=today)
    return {
        "attention": sum(1 for c in caseloads if c.needs_attention),
        "over_capacity": sum(1 for c in caseloads if c.load_per_fte > over_capacity_limit()),
    }


def over_capacity_limit() -> Decimal:
    """The weighted load per FTE above which a POM is shown as over capacity (setting POM_CAPACITY_PER_FTE)."""
    from django.conf import settings

    return Decimal(str(getattr(settings, "POM_CAPACITY_PER_FTE", DEFAULT_CAPACITY_PER_FTE)))
