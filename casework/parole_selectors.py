"""Reads about parole. CONTRACT used by dashboards and the API (``parole_approaching_list``, ``parole_reviews_for``).

The target hearing date is read as the handover engine reads it (manage-pom-cases-reference.md 3.4): that of the
latest review for this sentence (THD on or after the sentence start; latest by THD, falling back to the custody report
due date). The PED is the sentence calculation's override where there is one.
"""

import datetime as dt

from django.db.models import Case, CharField, Exists, F, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Least

from cases.models import ParoleReview, PomAllocation, Prison, Prisoner
from casework.calculations.parole import parole_window_end
from handover.facts import PAROLE_AND_EARLY_ALLOCATION, facts_for
from handover.selectors import effective_responsibility, override_active

FAR_FUTURE = dt.date(9999, 12, 31)
PAROLE_DATES = (
    ("TED", "sentence__tariff_expiry_date"),
    ("PED", "parole_ped"),
    ("THD", "parole_thd"),
)
# Sort key -> (label, order_by). The first is the default.
SORTS = {
    "parole_date": ("Parole date", ["parole_date", "last_name", "prison_number"]),
    "name": ("Name", ["last_name", "first_name", "prison_number"]),
    "pom": ("POM", ["pom_last_name", "pom_first_name", "parole_date", "prison_number"]),
}


def _pom_id(pom) -> int | None:
    return None if pom is None else getattr(pom, "pk", pom)


def _thd_subquery() -> Subquery:
    """The engine's own THD reading (one subquery), never a copy of it."""
    return PAROLE_AND_EARLY_ALLOCATION["parole_target_hearing_date"]


def _primary(field: str) -> Subquery:
    return Subquery(
        PomAllocation.objects.filter(
            prisoner=OuterRef("pk"), role=PomAllocation.Role.PRIMARY, ended_at__isnull=True
        ).values(field)[:1]
    )


def parole_approaching_list(*, prison: Prison, today: dt.date, pom=None, sort: str = "parole_date") -> QuerySet:
    """Allocated cases in the prison (or the POM's own) with a TED, PED or THD from today to today + 10 months
    inclusive, annotated ``parole_date`` (the nearest such date) and ordered by it. One query.

    ``pom`` is a PomProfile (or its id): that POM's cases, primary or co-working. Rows also carry
    ``parole_date_type`` ("TED", "PED" or "THD"; TED first on a tie), ``parole_ped``, ``parole_thd``,
    ``pom_first_name``/``pom_last_name`` (the primary POM), ``responsibility_overridden`` and
    ``effective_responsibility`` (the stored handover's, "Community" while overridden, D-06).
    ``sort`` is a key of ``SORTS`` (unknown keys take the parole date).
    """
    end = parole_window_end(today)
    qs = (
        Prisoner.objects.filter(prison=prison)
        .filter(Exists(PomAllocation.objects.filter(prisoner=OuterRef("pk"), role="primary", ended_at__isnull=True)))
        .select_related("sentence", "calculated_handover")
        .annotate(
            parole_ped=Coalesce("sentence__parole_eligibility_date_override", "sentence__parole_eligibility_date"),
            parole_thd=_thd_subquery(),
        )
    )
    pom_id = _pom_id(pom)
    if pom_id is not None:
        qs = qs.filter(
            Exists(PomAllocation.objects.filter(prisoner=OuterRef("pk"), pom_id=pom_id, ended_at__isnull=True))
        )
    windowed = {
        kind: Case(When(**{f"{field}__gte": today, f"{field}__lte": end}, then=F(field)), default=Value(FAR_FUTURE))
        for kind, field in PAROLE_DATES
    }
    qs = qs.annotate(**{f"parole_{kind.lower()}_in_window": expr for kind, expr in windowed.items()})
    qs = qs.annotate(parole_date=Least(*(F(f"parole_{kind.lower()}_in_window") for kind, _ in PAROLE_DATES)))
    qs = qs.filter(parole_date__lte=end).annotate(
        parole_date_type=Case(
            *(When(**{f"parole_{k.lower()}_in_window": F("parole_date")}, then=Value(k)) for k, _ in PAROLE_DATES),
            output_field=CharField(),
        ),
        pom_first_name=_primary("pom__user__first_name"),
        pom_last_name=_primary("pom__user__last_name"),
        responsibility_overridden=override_active(prisoner_ref="pk"),
    )
    qs = qs.annotate(
        effective_responsibility=effective_responsibility(
            stored="calculated_handover__responsibility", overridden="responsibility_overridden"
        )
    )
    return qs.order_by(*SORTS.get(sort, SORTS["parole_date"])[1])


def parole_reviews_for(*, prisoner) -> list:
    """The case's parole reviews, newest first (by THD, falling back to the custody report due date; undated last)."""
    return list(
        ParoleReview.objects.filter(prisoner=prisoner)
        .annotate(sortable_date=Coalesce("target_hearing_date", "custody_report_due"))
        .order_by(F("sortable_date").desc(nulls_last=True), "-id")
    )


def parole_review_get(*, prisoner, review_pk) -> ParoleReview | None:
    return ParoleReview.objects.filter(prisoner=prisoner, pk=review_pk).first()


def parole_facts_for(*, prisoner, today: dt.date):
    """The handover engine's facts for the case today (THD, latest outcome, MAPPA, recall...): one query."""
    return facts_for(prisoner.pk, today)
