"""The three allocation lists of a prison: To allocate, Missing details and Allocated.

Every person held in the prison is in exactly one of them:
- **Allocated**: has an active primary POM.
- **Missing details**: no primary POM, and no case information or no tier (in the women's estate, no complexity of
  need), or sentenced or recalled with no sentence recorded. These cannot be allocated until filled in.
- **To allocate**: no primary POM and nothing missing: ready. Remand and civil cases may be allocated (D-13).

Each list is one queryset (plus one prefetch of the POMs on the Allocated list), filtered, searched and sorted in
the database, so a page costs the same number of queries whatever the caseload.
"""

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest, TruncDate

from cases.models import PomAllocation, Prison, Prisoner
from cases.selectors import missing_details_filter
from handover.selectors import effective_responsibility, override_active

TO_ALLOCATE, MISSING_DETAILS, ALLOCATED = "to_allocate", "missing_details", "allocated"
LISTS = {
    TO_ALLOCATE: "To allocate",
    MISSING_DETAILS: "Missing details",
    ALLOCATED: "Allocated",
}

# Sort key -> (label, order_by). "waiting" sorts the longest wait first.
SORTS = {
    TO_ALLOCATE: {
        "waiting": ("Days waiting", [F("waiting_since").asc(nulls_last=True), "prison_number"]),
        "name": ("Name", ["last_name", "first_name", "prison_number"]),
        "tier": ("Tier", ["case_information__tier", "last_name", "prison_number"]),
        "release": ("Earliest release", [F("calculated_handover__earliest_release_date").asc(nulls_last=True)]),
        "handover": ("Handover date", [F("calculated_handover__handover_date").asc(nulls_last=True)]),
    },
    MISSING_DETAILS: {
        "waiting": ("Days waiting", [F("waiting_since").asc(nulls_last=True), "prison_number"]),
        "name": ("Name", ["last_name", "first_name", "prison_number"]),
        "number": ("Prison number", ["prison_number"]),
    },
    ALLOCATED: {
        "name": ("Name", ["last_name", "first_name", "prison_number"]),
        "tier": ("Tier", ["case_information__tier", "last_name", "prison_number"]),
        "pom": ("POM", ["primary_pom_last_name", "primary_pom_first_name", "last_name", "prison_number"]),
        "allocated": ("Allocated on", [F("primary_allocated_at").desc(), "prison_number"]),
        "handover": ("Handover date", [F("calculated_handover__handover_date").asc(nulls_last=True)]),
    },
}
NO_SENTENCE_STATUSES = (Prisoner.LegalStatus.SENTENCED, Prisoner.LegalStatus.RECALL)


def _active_primary():
    return PomAllocation.objects.filter(prisoner=OuterRef("pk"), role=PomAllocation.Role.PRIMARY, ended_at__isnull=True)


def missing_filter(*, prison: Prison) -> Q:
    """What stops a case being allocated: the records layer's missing details, or a sentenced case without a
    sentence recorded."""
    no_sentence = Q(sentence__isnull=True) & Q(legal_status__in=NO_SENTENCE_STATUSES)
    return missing_details_filter(prison=prison) | no_sentence


def _base(*, prison: Prison) -> QuerySet[Prisoner]:
    return (
        Prisoner.objects.filter(prison=prison)
        .select_related("sentence", "case_information", "calculated_handover")
        .annotate(has_primary=Exists(_active_primary()))
    )


def with_responsibility(qs: QuerySet[Prisoner]) -> QuerySet[Prisoner]:
    """Annotate ``responsibility_overridden`` and ``effective_responsibility``: the responsibility to show,
    "Community" while an override is active (D-06), else the handover engine's stored value (None if not calculated)."""
    return qs.annotate(responsibility_overridden=override_active(prisoner_ref="pk")).annotate(
        effective_responsibility=effective_responsibility(
            stored="calculated_handover__responsibility", overridden="responsibility_overridden"
        )
    )


def _with_waiting(qs: QuerySet[Prisoner]) -> QuerySet[Prisoner]:
    """Annotate ``last_deallocated`` (the day the last primary POM here ended) and ``waiting_since``: the later of
    that and the arrival date (the earlier date sorts first, so the longest wait comes first)."""
    last_end = (
        PomAllocation.objects.filter(
            prisoner=OuterRef("pk"),
            role=PomAllocation.Role.PRIMARY,
            ended_at__isnull=False,
            pom__prison=OuterRef("prison"),
        )
        .order_by("-ended_at")
        .annotate(day=TruncDate("ended_at"))
        .values("day")[:1]
    )
    qs = qs.annotate(last_deallocated=Subquery(last_end))
    return qs.annotate(
        waiting_since=Greatest(
            Coalesce("prison_arrival_date", "last_deallocated"), Coalesce("last_deallocated", "prison_arrival_date")
        )
    )


def _search(qs: QuerySet[Prisoner], term: str) -> QuerySet[Prisoner]:
    term = term.strip()
    if not term:
        return qs
    name_query = Q()
    for word in term.split():
        name_query &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    return qs.filter(Q(prison_number__iexact=term) | name_query)


def allocation_list(
    *, prison: Prison, which: str, search: str = "", tier: str = "", pom_id: int | None = None, sort: str = ""
) -> QuerySet[Prisoner]:
    """One of the three lists (``which``), searched by name or number, filtered by tier (and POM on the Allocated
    list) and sorted by a key of ``SORTS[which]`` (unknown keys take the first)."""
    qs = _base(prison=prison)
    missing = missing_filter(prison=prison)
    if which == ALLOCATED:
        primary = _active_primary()
        qs = with_responsibility(qs.filter(has_primary=True)).annotate(
            primary_pom_last_name=Subquery(primary.values("pom__user__last_name")[:1]),
            primary_pom_first_name=Subquery(primary.values("pom__user__first_name")[:1]),
            primary_allocated_at=Subquery(primary.values("allocated_at")[:1]),
        )
        active = PomAllocation.objects.filter(ended_at__isnull=True).select_related("pom__user").order_by("role")
        qs = qs.prefetch_related(Prefetch("pom_allocations", queryset=active, to_attr="active_allocations"))
        if pom_id:
            qs = qs.filter(
                pom_allocations__pom_id=pom_id, pom_allocations__ended_at__isnull=True
            )  # primary or co-working
    else:
        qs = _with_waiting(qs.filter(has_primary=False))
        qs = qs.filter(missing) if which == MISSING_DETAILS else qs.exclude(missing)
    if tier:
        qs = qs.filter(case_information__tier="" if tier == "none" else tier)
    qs = _search(qs, search)
    sorts = SORTS[which]
    key = sort if sort in sorts else next(iter(sorts))
    return qs.order_by(*sorts[key][1])


def allocation_list_counts(*, prison: Prison) -> dict[str, int]:
    """How many cases are on each list, in one query (for the tabs and the home page).

    The lists' own test, "has an active primary POM", is a join here rather than ``_base``'s EXISTS: an aggregate
    repeats an annotated EXISTS for every count that reads it, and a case has at most one active primary
    (``allocation_one_active_per_role``), so the join neither loses nor doubles a case."""
    missing = missing_filter(prison=prison)
    primary = FilteredRelation(
        "pom_allocations",
        condition=Q(pom_allocations__role=PomAllocation.Role.PRIMARY, pom_allocations__ended_at__isnull=True),
    )
    has_primary = Q(active_primary__isnull=False)
    return (
        Prisoner.objects.filter(prison=prison)
        .annotate(active_primary=primary)
        .aggregate(
            **{
                ALLOCATED: Count("pk", filter=has_primary),
                MISSING_DETAILS: Count("pk", filter=~has_primary & missing),
                TO_ALLOCATE: Count("pk", filter=~has_primary & ~missing),
            }
        )
    )


def missing_items(prisoner: Prisoner, *, prison: Prison) -> list[str]:
    """What a case on the Missing details list lacks, in words (from the row already loaded: no query)."""
    case = getattr(prisoner, "case_information", None)
    items = []
    if case is None:
        items.append("Case information")
    elif not case.tier:
        items.append("Tier")
    if prison.estate == Prison.Estate.WOMENS and (case is None or not case.womens_complexity):
        items.append("Complexity of need")
    if getattr(prisoner, "sentence", None) is None and prisoner.legal_status in NO_SENTENCE_STATUSES:
        items.append("Sentence")
    return items
