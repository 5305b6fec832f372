"""Search for a prisoner by name or prison number across the prisons the user works in (D-17).

manage-pom-cases-reference.md 1.2 "Search": a POM with cases sees their own cases first, separately. Two queries for
a page of results (the count and the rows), whatever the number of prisons or matches.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from cases.models import PomAllocation, Prison, Prisoner
from handover.selectors import effective_responsibility, override_active

MIN_LENGTH = 2
MAX_LENGTH = 100


def search_filter(term: str) -> Q:
    """A prison number (or the start of one), or every word of the term in the first or last name, ignoring case."""
    term = term.strip()
    query = Q(prison_number__istartswith=term)
    name_query = Q()
    for word in term.split():
        name_query &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    return query | name_query


def prisoner_search(*, user, prisons: list[Prison], term: str) -> QuerySet[Prisoner]:
    """The matching prisoners in ``prisons``, the user's own cases (primary or co-working POM) first, then by name.

    Each row is annotated ``is_mine``, ``pom_first_name``/``pom_last_name`` (the primary POM) and ``responsibility``
    (the override shows, D-06)."""
    mine = PomAllocation.objects.filter(prisoner=OuterRef("pk"), ended_at__isnull=True, pom__user=user)
    primary = PomAllocation.objects.filter(
        prisoner=OuterRef("pk"), ended_at__isnull=True, role=PomAllocation.Role.PRIMARY
    )
    return (
        Prisoner.objects.filter(prison__in=prisons)
        .filter(search_filter(term))
        .select_related("prison", "case_information", "calculated_handover")
        .annotate(
            is_mine=Exists(mine),
            pom_first_name=Subquery(primary.values("pom__user__first_name")[:1]),
            pom_last_name=Subquery(primary.values("pom__user__last_name")[:1]),
            overridden=override_active(prisoner_ref="pk"),
        )
        .annotate(
            responsibility=effective_responsibility(
                stored="calculated_handover__responsibility", overridden="overridden"
            ),
        )
        .order_by("-is_mine", "last_name", "first_name", "prison_number")
    )
