"""Reads of the records layer. Every list is scoped to the prisons the user works in (DECISIONS.md D-17)."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from cases.models import AuditEvent, PomProfile, Prison, Prisoner, Role


def user_roles(*, user) -> set[str]:
    """The role names (group names) a user holds; cached on the user object for the request."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_omic_roles", None)
    if cached is None:
        valid = set(Role.values)
        cached = {name for name in user.groups.values_list("name", flat=True) if name in valid}
        user._omic_roles = cached
    return cached


def prison_list_for_user(*, user) -> list[Prison]:
    """The prisons a user works in, by name; cached on the user object for the request, like ``user_roles``.

    National viewers and service admins work in none: they see aggregates.
    """
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_omic_prisons", None)
    if cached is None:
        cached = list(Prison.objects.filter(staff__user=user).order_by("name"))
        user._omic_prisons = cached
    return cached


def prison_get_for_user(*, user, code: str) -> Prison:
    """The prison with this code, if the user works there; otherwise 404, whether or not the prison exists."""
    prison = next((p for p in prison_list_for_user(user=user) if p.code == code), None)
    if prison is None:
        raise Http404("No such prison for this user")
    return prison


def prison_active_for_user(*, user, code: str | None) -> Prison | None:
    """The prison the user is working in: the one with this code (from their session) if it is theirs, else their
    first prison, else None."""
    prisons = prison_list_for_user(user=user)
    return next((p for p in prisons if p.code == code), prisons[0] if prisons else None)


def prisoner_list_for_prison(*, prison: Prison, search: str = "") -> QuerySet[Prisoner]:
    """The people held in a prison, with their sentence and case information, optionally searched by name or number."""
    qs = Prisoner.objects.filter(prison=prison).select_related("sentence", "case_information")
    term = search.strip()
    if term:
        words = term.split()
        query = Q(prison_number__iexact=term)
        name_query = Q()
        for word in words:
            name_query &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        qs = qs.filter(query | name_query)
    return qs.order_by("last_name", "first_name", "prison_number")


def prisoner_get_for_prison(*, prison: Prison, prison_number: str) -> Prisoner:
    """One prisoner held in this prison, or 404: a prisoner held elsewhere is not visible from here."""
    prisoner = (
        Prisoner.objects.filter(prison=prison, prison_number=prison_number.upper())
        .select_related("prison", "sentence", "case_information__local_delivery_unit", "case_information__com")
        .first()
    )
    if prisoner is None:
        raise Http404("No such prisoner in this prison")
    return prisoner


def missing_details_filter(*, prison: Prison) -> Q:
    """Cases that cannot be allocated yet: no case information or no tier; in the women's estate, no complexity."""
    missing = Q(case_information__isnull=True) | Q(case_information__tier="")
    if prison.estate == Prison.Estate.WOMENS:
        missing |= Q(case_information__womens_complexity="")
    return missing


def prison_summary(*, prison: Prison) -> dict[str, int]:
    """Headline counts for a prison's home pages, in one query."""
    return Prisoner.objects.filter(prison=prison).aggregate(
        prisoners=Count("pk"),
        sentenced=Count("pk", filter=Q(legal_status__in=[Prisoner.LegalStatus.SENTENCED, Prisoner.LegalStatus.RECALL])),
        remand=Count("pk", filter=Q(legal_status=Prisoner.LegalStatus.REMAND)),
        missing_details=Count("pk", filter=missing_details_filter(prison=prison)),
    )


def pom_profile_list_for_prison(*, prison: Prison) -> QuerySet[PomProfile]:
    return (
        PomProfile.objects.filter(prison=prison).select_related("user").order_by("user__last_name", "user__first_name")
    )


def pom_profile_for_user(*, user, prison: Prison) -> PomProfile | None:
    return PomProfile.objects.filter(user=user, prison=prison).first()


def key_worker_count_for_prison(*, prison: Prison) -> int:
    return prison.staff.filter(user__groups__name=Role.KEY_WORKER, user__is_active=True).count()


def prison_overview_list() -> QuerySet[Prison]:
    """Every prison with its population and POM numbers, for national and regional viewers (aggregates only)."""
    return Prison.objects.annotate(
        prisoner_count=Count("prisoners", distinct=True),
        pom_count=Count("pom_profiles", filter=Q(pom_profiles__status=PomProfile.Status.ACTIVE), distinct=True),
    ).order_by("name")


def audit_event_list_for_prisoner(*, prisoner: Prisoner, limit: int = 50) -> list[AuditEvent]:
    """The latest changes to a case, newest first, for its timeline."""
    events = AuditEvent.objects.filter(prison_number=prisoner.prison_number).exclude(action="record_viewed")
    return list(events.order_by("-created_at", "-id")[:limit])
