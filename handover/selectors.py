"""Reads for the handover pages: the four handover lists, their counts, the prisoner's handover panel, alerts,
the community pipeline and the POM's email preferences.

The lists (manage-pom-cases-reference.md 1.2 "Handovers" and 3.8, DECISIONS.md D-06 and D-07):

- **upcoming**: POM responsible with no COM supporting yet (CustodyOnly), handover date from today to 56 days ahead,
  and no COM allocated;
- **in progress**: COM responsible (Community) with a handover date, or overridden to the COM; every case in which the
  COM supports the POM (CustodyWithCom, which the reference service left out of both lists, 3.8 item 2); and the
  upcoming cases that already have a COM;
- **overdue checklist tasks**: in progress, with a handover checklist (standard or enhanced) not yet complete;
- **COM allocation overdue**: in progress, no COM, and today is at least 2 days after the handover date.

Effective responsibility is the active ResponsibilityOverride (always to the COM, D-06) where there is one, else the
stored result. Each list is one query for its rows and one for all four counts, whatever the caseload.
"""

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from cases.models import Alert, PomAllocation, PomProfile, Prison, Prisoner
from cases.params import positive_id
from handover.checklist import checklist_tasks, is_care_experienced_under_25
from handover.models import (
    CalculatedHandover,
    HandoverChecklist,
    HandoverEmailPreference,
    HandoverType,
    Responsibility,
    ResponsibilityOverride,
)

UPCOMING_WINDOW_DAYS = 56
COM_ALLOCATION_OVERDUE_DAYS = 2
PIPELINE_MONTHS = 3

TABS = {
    "upcoming": "Upcoming",
    "in_progress": "In progress",
    "overdue_tasks": "Overdue checklist tasks",
    "com_overdue": "COM allocation overdue",
}

# The alert kinds the handover engine raises (handover/services/alerts.py), in the words staff see.
ALERT_KINDS = {
    "handover_upcoming": "Upcoming handover",
    "handover_date_reached": "Handover date reached",
    "com_allocation_overdue": "COM allocation overdue",
    "short_sentence_needs_com": "Short sentence needs a COM",
}


@dataclass(frozen=True)
class HandoverScope:
    """Whose cases a list shows: a POM's own (``user``), one POM's (``pom``, for the HOMD), or the whole prison."""

    prison: Prison
    user: object | None = None
    pom: PomProfile | None = None


def _active_allocation(**filters):
    return PomAllocation.objects.filter(prisoner=OuterRef("prisoner"), ended_at__isnull=True, **filters)


def _primary_pom(field: str) -> Subquery:
    return Subquery(_active_allocation(role=PomAllocation.Role.PRIMARY).values(field)[:1])


def override_active(*, prisoner_ref: str = "prisoner") -> Exists:
    """An expression: the case has an active override to the COM. ``prisoner_ref`` names the prisoner's key in the
    outer query (``"prisoner"`` from a CalculatedHandover, ``"pk"`` from a Prisoner, ``"prisoner_id"`` ...)."""
    return Exists(ResponsibilityOverride.objects.filter(prisoner=OuterRef(prisoner_ref), removed_at__isnull=True))


def effective_responsibility(
    *, prisoner_ref: str = "prisoner", stored: str = "responsibility", overridden: str | None = None
) -> Case:
    """An expression for the responsibility to show: "Community" while overridden (D-06), else the stored value.

    Other pages annotate with it, so that an override shows wherever responsibility is shown, for example
    ``Prisoner.objects.annotate(responsibility=effective_responsibility(prisoner_ref="pk",
    stored="calculated_handover__responsibility"))``. ``overridden`` names an existing annotation to reuse."""
    condition = Q(**{overridden: True}) if overridden else override_active(prisoner_ref=prisoner_ref)
    return Case(When(condition, then=Value(Responsibility.COMMUNITY)), default=F(stored), output_field=CharField())


def responsibility_label(responsibility: str | None, *, overridden: bool = False) -> str:
    """The responsibility in words, for exports and emails: the override to the COM always says so (D-06)."""
    if overridden:
        return f"{Responsibility.COMMUNITY.label} (overridden to the COM)"
    return Responsibility(responsibility).label if responsibility in Responsibility.values else ""


def _handovers(*, scope: HandoverScope) -> QuerySet[CalculatedHandover]:
    qs = CalculatedHandover.objects.filter(prisoner__prison=scope.prison, inside_omic_policy=True)
    if scope.user is not None:
        qs = qs.filter(Exists(_active_allocation(pom__user=scope.user, pom__prison=scope.prison)))
    if scope.pom is not None:
        qs = qs.filter(Exists(_active_allocation(pom=scope.pom)))
    qs = qs.annotate(overridden=override_active()).annotate(
        effective_responsibility=effective_responsibility(overridden="overridden"),
        pom_first_name=_primary_pom("pom__user__first_name"),
        pom_last_name=_primary_pom("pom__user__last_name"),
    )
    if scope.user is not None:
        qs = qs.annotate(
            your_role=Subquery(_active_allocation(pom__user=scope.user, pom__prison=scope.prison).values("role")[:1])
        )
    return qs


def _tab_filters(*, today: dt.date) -> dict[str, Q]:
    has_com = Q(prisoner__case_information__com__isnull=False)
    no_com = Q(prisoner__case_information__com__isnull=True)
    in_window = Q(handover_date__gte=today, handover_date__lte=today + dt.timedelta(days=UPCOMING_WINDOW_DAYS))
    pom_only = Q(effective_responsibility=Responsibility.CUSTODY_ONLY)
    in_progress = (
        (Q(effective_responsibility=Responsibility.COMMUNITY) & (Q(handover_date__isnull=False) | Q(overridden=True)))
        | Q(effective_responsibility=Responsibility.CUSTODY_WITH_COM)
        | (pom_only & in_window & has_com)
    )
    no_checklist = Q(prisoner__handover_checklist__isnull=True)
    checklist = "prisoner__handover_checklist__"
    under_25 = Q(
        prisoner__care_experienced=True,
        prisoner__date_of_birth__gt=today - relativedelta(years=25),
    )
    enhanced_incomplete = Q(handover_type=HandoverType.ENHANCED) & (
        no_checklist
        | Q(**{checklist + "reviewed_oasys": False})
        | Q(**{checklist + "contacted_com": False})
        | Q(**{checklist + "attended_handover_meeting": False})
    )
    standard_incomplete = Q(handover_type=HandoverType.STANDARD) & (
        no_checklist
        | Q(**{checklist + "contacted_com": False})
        | Q(**{checklist + "sent_handover_report": False})
        | (under_25 & Q(**{checklist + "attended_handover_meeting": False}))
    )
    return {
        "upcoming": pom_only & in_window & no_com,
        "in_progress": in_progress,
        "overdue_tasks": in_progress & (enhanced_incomplete | standard_incomplete),
        "com_overdue": in_progress
        & no_com
        & Q(handover_date__lte=today - dt.timedelta(days=COM_ALLOCATION_OVERDUE_DAYS)),
    }


SORTS = {
    "name": ("Name", [F("prisoner__last_name").asc(), F("prisoner__first_name").asc(), F("prisoner_id").asc()]),
    "number": ("Prison number", [F("prisoner_id").asc()]),
    "start": ("Handover start", [F("handover_start_date").asc(nulls_last=True), F("prisoner_id").asc()]),
    "handover": ("Handover date", [F("handover_date").asc(nulls_last=True), F("prisoner_id").asc()]),
    "responsibility": ("Responsibility", [F("effective_responsibility").asc(), F("prisoner_id").asc()]),
    "com": ("COM", [F("prisoner__case_information__com__name").asc(nulls_first=True), F("prisoner_id").asc()]),
    "pom": ("POM", [F("pom_last_name").asc(nulls_first=True), F("pom_first_name").asc(), F("prisoner_id").asc()]),
    "tier": ("Tier", [F("prisoner__case_information__tier").asc(nulls_last=True), F("prisoner_id").asc()]),
}


def handover_counts(*, scope: HandoverScope, today: dt.date) -> dict[str, int]:
    """How many cases each of the four lists holds, in one query."""
    filters = _tab_filters(today=today)
    return _handovers(scope=scope).aggregate(**{tab: Count("pk", filter=q) for tab, q in filters.items()})


def handover_list(*, scope: HandoverScope, tab: str, today: dt.date, sort: str = "handover") -> QuerySet:
    """The cases on one of the four lists, with what each row shows, sorted by one of SORTS."""
    if tab not in TABS:
        raise ValueError(f"unknown handover list {tab!r}")
    order = SORTS.get(sort, SORTS["handover"])[1]
    return (
        _handovers(scope=scope)
        .filter(_tab_filters(today=today)[tab])
        .select_related("prisoner__case_information__com", "prisoner__handover_checklist")
        .order_by(*order)
    )


def pom_profile_list_for_filter(*, prison: Prison) -> list[PomProfile]:
    """The prison's POMs, for the HOMD's POM filter."""
    return list(PomProfile.objects.filter(prison=prison).select_related("user").order_by("user__last_name"))


def pom_profile_get(*, prison: Prison, pom_id) -> PomProfile | None:
    pom_id = positive_id(pom_id)
    if pom_id is None:
        return None
    return PomProfile.objects.select_related("user").filter(prison=prison, pk=pom_id).first()


# The prisoner's handover panel and checklist


@dataclass
class HandoverPanel:
    calculated: CalculatedHandover | None
    override: ResponsibilityOverride | None
    checklist: HandoverChecklist | None
    tasks: tuple[str, ...]

    @property
    def effective_responsibility(self) -> str:
        if self.override is not None:
            return Responsibility.COMMUNITY
        return self.calculated.responsibility if self.calculated else ""

    @property
    def tasks_done(self) -> int:
        return sum(1 for name in self.tasks if self.checklist is not None and getattr(self.checklist, name))


def handover_panel_for_prisoner(*, prisoner: Prisoner, today: dt.date) -> HandoverPanel:
    """The stored calculation, the active override and the checklist of one case: three queries."""
    calculated = CalculatedHandover.objects.filter(prisoner=prisoner).first()
    override = (
        ResponsibilityOverride.objects.filter(prisoner=prisoner, removed_at__isnull=True)
        .select_related("created_by")
        .first()
    )
    checklist = HandoverChecklist.objects.filter(prisoner=prisoner).first()
    tasks = ()
    if calculated is not None:
        tasks = checklist_tasks(
            handover_type=calculated.handover_type,
            care_experienced_under_25=is_care_experienced_under_25(
                care_experienced=prisoner.care_experienced, date_of_birth=prisoner.date_of_birth, today=today
            ),
        )
    return HandoverPanel(calculated=calculated, override=override, checklist=checklist, tasks=tasks)


def responsibility_override_list_for_prisoner(*, prisoner: Prisoner) -> list[ResponsibilityOverride]:
    """Every override of the case, newest first, with who made and removed it."""
    return list(
        ResponsibilityOverride.objects.filter(prisoner=prisoner).select_related("created_by", "removed_by")[:20]
    )


def responsibility_override_active(*, prisoner: Prisoner) -> ResponsibilityOverride | None:
    return ResponsibilityOverride.objects.filter(prisoner=prisoner, removed_at__isnull=True).first()


def pom_is_allocated(*, user, prisoner: Prisoner) -> bool:
    """Whether the user is the case's active primary or co-working POM."""
    return PomAllocation.objects.filter(prisoner=prisoner, ended_at__isnull=True, pom__user=user).exists()


def primary_pom_allocation(*, prisoner: Prisoner) -> PomAllocation | None:
    return (
        PomAllocation.objects.filter(prisoner=prisoner, ended_at__isnull=True, role=PomAllocation.Role.PRIMARY)
        .select_related("pom__user")
        .first()
    )


# Alerts


def alert_list(*, prison: Prison, user=None, kind: str = "") -> QuerySet[Alert]:
    """Open handover alerts in a prison, soonest due first; only the user's own cases when ``user`` is given."""
    qs = Alert.objects.filter(prison=prison, status=Alert.Status.OPEN, kind__in=list(ALERT_KINDS))
    if user is not None:
        qs = qs.filter(
            Exists(PomAllocation.objects.filter(prisoner=OuterRef("prisoner"), ended_at__isnull=True, pom__user=user))
        )
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("prisoner").order_by(F("due_date").asc(nulls_last=True), "raised_on", "id")


def alert_counts(*, prison: Prison) -> dict[str, int]:
    rows = (
        Alert.objects.filter(prison=prison, status=Alert.Status.OPEN, kind__in=list(ALERT_KINDS))
        .values("kind")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(ALERT_KINDS, 0)
    counts.update({row["kind"]: row["n"] for row in rows})
    return counts


# The community pipeline


def _pipeline(*, today: dt.date, prisons: list[Prison] | None) -> QuerySet[CalculatedHandover]:
    qs = CalculatedHandover.objects.filter(
        inside_omic_policy=True,
        handover_start_date__gte=today,
        handover_start_date__lte=today + relativedelta(months=PIPELINE_MONTHS),
    )
    if prisons is not None:
        qs = qs.filter(prisoner__prison__in=prisons)
    return qs


def community_pipeline_summary(*, today: dt.date, prisons: list[Prison] | None) -> dict[str, list[dict]]:
    """How many cases start handover in the next 3 months, per delivery unit and per probation region (2 queries).

    ``prisons`` None means every prison (aggregates for national viewers)."""
    ldu = "prisoner__case_information__local_delivery_unit__"
    qs = _pipeline(today=today, prisons=prisons)
    by_ldu = list(
        qs.values(code=F(ldu + "code"), name=F(ldu + "name"), region=F(ldu + "probation_region"))
        .annotate(cases=Count("pk"))
        .order_by("name")
    )
    by_region = list(qs.values(region=F(ldu + "probation_region")).annotate(cases=Count("pk")).order_by("region"))
    return {"ldus": by_ldu, "regions": by_region}


def community_pipeline_list(
    *, today: dt.date, prisons: list[Prison], ldu_code: str = "", region: str = ""
) -> QuerySet[CalculatedHandover]:
    """The cases in the user's prisons whose handover starts in the next 3 months, for one LDU or one region."""
    qs = _pipeline(today=today, prisons=prisons)
    if ldu_code:
        qs = qs.filter(prisoner__case_information__local_delivery_unit__code=ldu_code)
    if region:
        qs = qs.filter(prisoner__case_information__local_delivery_unit__probation_region=region)
    return qs.select_related(
        "prisoner__prison", "prisoner__case_information__local_delivery_unit", "prisoner__case_information__com"
    ).order_by("handover_start_date", "prisoner_id")


# Email preferences


def email_preference_for_user(*, user) -> HandoverEmailPreference:
    """The POM's stored preferences, or the default (every email wanted) unsaved."""
    return HandoverEmailPreference.objects.filter(user=user).first() or HandoverEmailPreference(user=user)


def prison_choice_list() -> list[Prison]:
    """Every prison, by name, for the service admin's policy preview."""
    return list(Prison.objects.order_by("name"))
