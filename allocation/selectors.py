"""Reads for allocation: POM workloads, the case's allocations and recommendation, and the case timeline.

The three allocation lists (To allocate, Missing details, Allocated) are in ``allocation.list_selectors``.
Every read takes a prison the user was already scoped to (``cases.scoping.prison_page``), so nothing here widens
what a user can see. Query counts are constant: a workload list is 2 queries whatever the caseload.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404

from allocation.calculations import (
    CaseMix,
    PomCandidate,
    WorkloadWeights,
    load_per_fte,
    pom_role_for,
    rank_poms,
    weighted_load,
    workload_weights,
)
from cases.audit import RECORD_VIEWED
from cases.models import AuditEvent, PomAllocation, PomProfile, Prison, Prisoner, SentEmail
from cases.params import positive_id
from casework.early_allocation_selectors import early_allocation_timeline_entry
from handover.selectors import effective_responsibility, override_active, responsibility_override_active
from tiering.selectors import recommended_pom_type

Role = PomAllocation.Role


def workload_weights_configured() -> WorkloadWeights:
    """The weights in force: the documented defaults with the ``ALLOCATION_WORKLOAD_WEIGHTS`` setting laid over."""
    return workload_weights(getattr(settings, "ALLOCATION_WORKLOAD_WEIGHTS", None))


@dataclass
class PomWorkload:
    """A POM with their caseload: the case mix by role and tier, the weighted load and the load per FTE."""

    pom: PomProfile
    mix: CaseMix
    load: Decimal
    per_fte: Decimal
    recent: int  # allocated in the last 7 days

    @property
    def total(self) -> int:
        return self.mix.total

    @property
    def by_role(self) -> dict[str, int]:
        return self.mix.by_role()

    @property
    def by_tier(self) -> dict[str, int]:
        return self.mix.by_tier()

    def candidate(self) -> PomCandidate:
        return PomCandidate(
            pom_id=self.pom.pk,
            name=self.pom.user.get_full_name() or self.pom.user.get_username(),
            pom_type=self.pom.pom_type,
            status=self.pom.status,
            fte=self.pom.working_pattern,
            load=self.load,
        )


def pom_workload_list(
    *, prison: Prison, today: dt.date, pom_ids=None, weights: WorkloadWeights | None = None
) -> list[PomWorkload]:
    """Every POM at the prison (or those in ``pom_ids``) with their caseload, by surname. Two queries."""
    weights = weights or workload_weights_configured()
    poms_qs = PomProfile.objects.filter(prison=prison).select_related("user")
    if pom_ids is not None:
        poms_qs = poms_qs.filter(pk__in=list(pom_ids))
    poms = list(poms_qs.order_by("user__last_name", "user__first_name", "pk"))
    mixes = {p.pk: CaseMix() for p in poms}
    recent = dict.fromkeys(mixes, 0)
    since = today - dt.timedelta(days=7)
    rows = (
        PomAllocation.objects.filter(pom__in=[p.pk for p in poms], ended_at__isnull=True)
        .values(
            "pom_id",
            "role",
            "prisoner__case_information__tier",
            # An active override to the COM makes the POM supporting, as the COM being responsible does (D-06).
            responsibility=effective_responsibility(stored="prisoner__calculated_handover__responsibility"),
        )
        .annotate(n=Count("id"), recent=Count("id", filter=Q(allocated_at__date__gte=since)))
        .order_by()
    )
    for row in rows:
        role = pom_role_for(allocation_role=row["role"], responsibility=row["responsibility"] or "")
        mixes[row["pom_id"]].add(role=role, tier=row["prisoner__case_information__tier"] or "", n=row["n"])
        recent[row["pom_id"]] += row["recent"]
    result = []
    for pom in poms:
        load = weighted_load(mixes[pom.pk], weights=weights)
        result.append(
            PomWorkload(
                pom=pom,
                mix=mixes[pom.pk],
                load=load,
                per_fte=load_per_fte(load, pom.working_pattern),
                recent=recent[pom.pk],
            )
        )
    return result


def pom_workload_get(*, pom: PomProfile, today: dt.date) -> PomWorkload:
    return pom_workload_list(prison=pom.prison, today=today, pom_ids=[pom.pk])[0]


def case_get_for_allocation(*, prison: Prison, prison_number: str) -> Prisoner:
    """A prisoner held in this prison with what the allocation pages show; 404 for anyone held elsewhere."""
    prisoner = (
        Prisoner.objects.filter(prison=prison, prison_number=prison_number.upper())
        .select_related(
            "prison",
            "sentence",
            "case_information__com",
            "case_information__local_delivery_unit",
            "calculated_handover",
        )
        .annotate(responsibility_overridden=override_active(prisoner_ref="pk"))
        .first()
    )
    if prisoner is None:
        raise Http404("No such prisoner in this prison")
    return prisoner


def allocation_list_for_case(*, prisoner: Prisoner) -> list[PomAllocation]:
    """Every allocation of the case, active and ended, newest first, with the POM and who allocated."""
    return list(
        PomAllocation.objects.filter(prisoner=prisoner)
        .select_related("pom__user", "allocated_by", "ended_by")
        .order_by("-allocated_at", "-id")
    )


def active_allocations_for_case(*, prisoner: Prisoner) -> dict[str, PomAllocation]:
    """The case's active allocations by role (``primary``, ``co_working``), with the POMs: one query."""
    rows = PomAllocation.objects.filter(prisoner=prisoner, ended_at__isnull=True).select_related("pom__user")
    return {a.role: a for a in rows}


@dataclass
class CaseAllocations:
    primary: PomAllocation | None
    co_working: PomAllocation | None
    history: list[PomAllocation]

    @property
    def previous(self) -> list[PomAllocation]:
        return [a for a in self.history if not a.is_active]

    @property
    def previous_pom_ids(self) -> set[int]:
        return {a.pom_id for a in self.previous}


def case_allocations(*, prisoner: Prisoner) -> CaseAllocations:
    history = allocation_list_for_case(prisoner=prisoner)
    active = {a.role: a for a in history if a.is_active}
    return CaseAllocations(primary=active.get(Role.PRIMARY), co_working=active.get(Role.CO_WORKING), history=history)


def handover_for(prisoner: Prisoner):
    """The handover engine's stored result for the case, or None (a reverse one-to-one that may be missing)."""
    return getattr(prisoner, "calculated_handover", None)


def responsibility_overridden(prisoner: Prisoner) -> bool:
    """Whether the case has an active override to the COM (D-06): the annotation ``case_get_for_allocation`` made,
    else one query."""
    overridden = getattr(prisoner, "responsibility_overridden", None)
    if overridden is None:
        overridden = responsibility_override_active(prisoner=prisoner) is not None
    return bool(overridden)


def case_for_recommendation(*, prisoner_number: str) -> Prisoner:
    """The case with what ``recommendation_for`` reads (case information, stored handover, override): one query."""
    return (
        Prisoner.objects.select_related("case_information", "calculated_handover")
        .annotate(responsibility_overridden=override_active(prisoner_ref="pk"))
        .get(pk=prisoner_number)
    )


def pom_responsible_for(prisoner: Prisoner) -> bool:
    """Whether the POM is responsible: not while the COM is, by the stored result or an active override (D-06),
    and taken as yes while responsibility is not yet calculated."""
    if responsibility_overridden(prisoner):
        return False
    handover = handover_for(prisoner)
    return handover is None or handover.responsibility != "Community"


def is_immigration_case(prisoner: Prisoner) -> bool:
    """D-19: an immigration detainee, or imprisonment status DET."""
    return prisoner.legal_status == Prisoner.LegalStatus.IMMIGRATION_DETAINEE or prisoner.imprisonment_status == "DET"


@dataclass(frozen=True)
class Recommendation:
    pom_type: str  # "probation" | "prison" | "none"
    reason: str
    pom_responsible: bool
    tier: str
    tier_a_warning: bool

    @property
    def label(self) -> str:
        return {"probation": "Probation POM", "prison": "Prison POM"}.get(self.pom_type, "No recommendation")


def recommendation_for(*, prisoner: Prisoner) -> Recommendation:
    """The recommended POM type (DECISIONS.md D-08, D-21) for the case, from the tiering engine (the one place that
    asks it), with the tier-A-with-the-POM-responsible warning. Responsibility is the effective one: a case
    overridden to the COM is COM-responsible here too, so it gets a prison POM (D-06, D-08)."""
    case = getattr(prisoner, "case_information", None)
    tier = getattr(case, "tier", "") or ""
    rosh = getattr(case, "rosh_level", "") or ""
    pom_responsible = pom_responsible_for(prisoner)
    pom_type, reason = recommended_pom_type(
        tier=tier or None,
        pom_responsible=pom_responsible,
        immigration_case=is_immigration_case(prisoner),
        rosh_level=rosh or None,
    )
    pom_type = str(getattr(pom_type, "value", pom_type) or "none")
    return Recommendation(
        pom_type=pom_type,
        reason=str(reason),
        pom_responsible=pom_responsible,
        tier=tier,
        tier_a_warning=tier == "A" and pom_responsible,
    )


def pom_suggestions(*, workloads: list[PomWorkload], recommendation: Recommendation, previous_pom_ids, limit=5):
    """The ranked POM suggestion "beyond the anchors", best first, with the reasons for each rank."""
    by_id = {w.pom.pk: w for w in workloads}
    ranked = rank_poms(
        [w.candidate() for w in workloads],
        recommended_type=recommendation.pom_type,
        previous_pom_ids=previous_pom_ids,
    )
    return [(r, by_id[r.candidate.pom_id]) for r in ranked[:limit]]


def pom_get_for_prison(*, prison: Prison, pom_id) -> PomProfile:
    pom = PomProfile.objects.select_related("user").filter(prison=prison, pk=positive_id(pom_id)).first()
    if pom is None:
        raise Http404("No such POM in this prison")
    return pom


@dataclass(frozen=True)
class TimelineEntry:
    when: dt.datetime
    kind: str  # "allocation", "deallocation", "tier", "override", "email", "change"
    title: str
    detail: str
    by: str


def _allocation_entries(allocations: list[PomAllocation]) -> list[TimelineEntry]:
    entries = []
    for a in allocations:
        name = a.pom.user.get_full_name() or a.pom.user.get_username()
        what = "Co-working POM" if a.role == Role.CO_WORKING else "Primary POM"
        detail = f"{name} ({a.pom.get_pom_type_display()})"
        if a.recommended_pom_type:
            detail += f"; recommended type: {a.recommended_pom_type}"
        entries.append(
            TimelineEntry(
                a.allocated_at, "allocation", f"{what} allocated", detail, getattr(a.allocated_by, "username", "")
            )
        )
        if a.override_reason:
            text = a.get_override_reason_display() + (f": {a.override_detail}" if a.override_detail else "")
            entries.append(
                TimelineEntry(
                    a.allocated_at,
                    "override",
                    "POM type recommendation overridden",
                    text,
                    getattr(a.allocated_by, "username", ""),
                )
            )
        if a.ended_at:
            entries.append(
                TimelineEntry(
                    a.ended_at,
                    "deallocation",
                    f"{what} deallocated",
                    f"{name}: {a.get_end_trigger_display()}",
                    getattr(a.ended_by, "username", "") or "system",
                )
            )
    return entries


def _event_entry(event: AuditEvent) -> TimelineEntry | None:
    after = event.after or {}
    if event.object_type == "cases.EarlyAllocation":  # assessments, referrals, approvals, community decisions
        early = early_allocation_timeline_entry(event)
        if early is not None:
            return TimelineEntry(event.created_at, "early_allocation", early[0], early[1], event.actor_label)
    if event.object_type == "cases.CaseInformation" and "tier" in after:
        before = (event.before or {}).get("tier") or "none"
        return TimelineEntry(
            event.created_at, "tier", "Tier changed", f"{before} → {after['tier'] or 'none'}", event.actor_label
        )
    if event.object_type == "cases.PomAllocation":
        return None  # the allocation rows tell these, with their triggers
    if event.object_type == "tiering.TierRecord":
        title = "Tier entered by hand" if event.action == "tier_set_by_hand" else "Tier record: " + event.action
        detail = f"Tier {after.get('tier') or 'none'}" + (f". Reason: {event.reason}" if event.reason else "")
        return TimelineEntry(event.created_at, "tier", title, detail, event.actor_label)
    changed = "; ".join(f"{k} → {v if v not in (None, '') else 'blank'}" for k, v in after.items())
    changed += f". Reason: {event.reason}" if event.reason else ""
    label = event.object_type.split(".")[-1]
    return TimelineEntry(
        event.created_at, "change", f"{event.action.capitalize()}: {label}", changed, event.actor_label
    )


def case_timeline(*, prisoner: Prisoner, allocations: list[PomAllocation] | None = None) -> list[TimelineEntry]:
    """The full case timeline, newest first: allocations and deallocations with their triggers, overrides, tier and
    other changes from the audit trail, and every email sent about the case. Three queries."""
    allocations = allocation_list_for_case(prisoner=prisoner) if allocations is None else allocations
    entries = _allocation_entries(allocations)
    # Reads of the record (record_viewed) are on the audit search page, not the case's timeline of changes.
    events = AuditEvent.objects.filter(prison_number=prisoner.prison_number).exclude(action=RECORD_VIEWED)
    for event in events.order_by("-created_at", "-id")[:500]:
        entry = _event_entry(event)
        if entry is not None:
            entries.append(entry)
    for email in SentEmail.objects.filter(prisoner=prisoner).order_by("-sent_at", "-id")[:200]:
        entries.append(TimelineEntry(email.sent_at, "email", "Email sent", f"{email.subject} (to {email.to})", ""))
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def pom_profile_choices(*, prison: Prison) -> list[tuple[int, str]]:
    """(id, name) of every POM at the prison, by surname: for filters. One query."""
    rows = (
        PomProfile.objects.filter(prison=prison)
        .order_by("user__last_name", "user__first_name", "pk")
        .values_list("pk", "user__first_name", "user__last_name")
    )
    return [(pk, f"{first} {last}".strip()) for pk, first, last in rows]
