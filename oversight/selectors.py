"""Reads for management oversight. Every read is scoped to one prison; a POM's reads to their own audits."""

import datetime as dt

from django.db.models import Count, Prefetch, Q

from cases.models import PomAllocation, PomProfile, Prison, Prisoner
from cases.params import positive_id
from oversight.calculations import QuestionResult, audit_score, months_back, question_results, sum_results
from oversight.models import (
    ANSWER_FIELDS,
    DEFAULT_SAMPLE_SIZE,
    OversightAction,
    OversightAudit,
    OversightSample,
    OversightSettings,
)

# A case audited in this many months before the current one is chosen again only when a POM has too few others.
RECENT_MONTHS = 6


def sample_size_for_prison(*, prison: Prison) -> int:
    settings = OversightSettings.objects.filter(prison=prison).first()
    return settings.sample_size if settings is not None else DEFAULT_SAMPLE_SIZE


def caseloads_for_prison(*, prison: Prison) -> dict[int, list[str]]:
    """Each POM's cases at the prison: POM profile id -> prison numbers of their active primary allocations of people
    held here. One query."""
    rows = PomAllocation.objects.filter(
        pom__prison=prison,
        prisoner__prison=prison,
        role=PomAllocation.Role.PRIMARY,
        ended_at__isnull=True,
    ).values_list("pom_id", "prisoner_id")
    caseloads: dict[int, list[str]] = {}
    for pom_id, prison_number in rows:
        caseloads.setdefault(pom_id, []).append(prison_number)
    return caseloads


def recently_audited(*, prison: Prison, month: dt.date) -> set[str]:
    """Prison numbers of the cases in an audit at the prison in the ``RECENT_MONTHS`` before ``month``."""
    return set(
        OversightAudit.objects.filter(
            prison=prison, month__gte=months_back(month, RECENT_MONTHS), month__lt=month
        ).values_list("prisoner_id", flat=True)
    )


def sampled_pom_ids(*, prison: Prison, month: dt.date) -> set[int]:
    return set(OversightSample.objects.filter(prison=prison, month=month).values_list("pom_id", flat=True))


def case_primary_pom(*, prison: Prison, prison_number: str) -> tuple[Prisoner, PomProfile | None] | None:
    """A person held at the prison and their primary POM now (None if unallocated), or None if not held here."""
    prisoner = Prisoner.objects.filter(prison=prison, prison_number=prison_number.strip().upper()).first()
    if prisoner is None:
        return None
    allocation = (
        PomAllocation.objects.filter(
            prisoner=prisoner, role=PomAllocation.Role.PRIMARY, ended_at__isnull=True, pom__prison=prison
        )
        .select_related("pom__user")
        .first()
    )
    return prisoner, allocation.pom if allocation else None


def pom_names_for(*, pom_ids) -> dict[int, str]:
    """POM profile id -> the POM's full name (or username)."""
    return {p.pk: _pom_name(p) for p in PomProfile.objects.filter(pk__in=pom_ids).select_related("user")}


def _pom_name(profile: PomProfile) -> str:
    return profile.user.get_full_name() or profile.user.get_username()


def month_overview(*, prison: Prison, month: dt.date) -> list[dict]:
    """The month's audits per POM at the prison, by surname: every POM with a caseload, a sample or an audit that
    month, their caseload, whether a sample was drawn, and each audit with its status. Four queries, whatever the
    number of POMs or audits."""
    caseloads = caseloads_for_prison(prison=prison)
    samples = {s.pom_id: s for s in OversightSample.objects.filter(prison=prison, month=month)}
    audits = list(
        OversightAudit.objects.filter(prison=prison, month=month)
        .select_related("prisoner")
        .annotate(open_actions=Count("actions", filter=Q(actions__done_at__isnull=True)))
        .order_by("prisoner__last_name", "prisoner__first_name", "prisoner_id")
    )
    by_pom: dict[int, list[OversightAudit]] = {}
    for audit in audits:
        by_pom.setdefault(audit.pom_id, []).append(audit)
    pom_ids = set(caseloads) | set(samples) | set(by_pom)
    poms = PomProfile.objects.filter(pk__in=pom_ids).select_related("user")
    rows = []
    for pom in sorted(poms, key=lambda p: (p.user.last_name, p.user.first_name, p.pk)):
        pom_audits = by_pom.get(pom.pk, [])
        rows.append(
            {
                "pom": pom,
                "name": _pom_name(pom),
                "case_count": len(caseloads.get(pom.pk, [])),
                "sample": samples.get(pom.pk),
                "audits": pom_audits,
                "completed": sum(1 for a in pom_audits if a.is_completed),
            }
        )
    return rows


def results_by_pom(*, prison: Prison, first_month: dt.date, last_month: dt.date) -> list[dict]:
    """The completed audits' results per POM over whole months, in one query: audits completed, overall judged
    sufficient, each question's yes/partly/no counts, and the mean score. By surname."""
    completed = OversightAudit.objects.filter(
        prison=prison, month__range=(first_month, last_month), completed_at__isnull=False
    )
    rows = completed.values("pom_id", "pom__user__first_name", "pom__user__last_name", *ANSWER_FIELDS).order_by()
    grouped: dict[int, dict] = {}
    for row in rows:
        entry = grouped.setdefault(
            row["pom_id"],
            {
                "pom_id": row["pom_id"],
                "name": f"{row['pom__user__first_name']} {row['pom__user__last_name']}".strip(),
                "last_name": row["pom__user__last_name"],
                "first_name": row["pom__user__first_name"],
                "answers": [],
            },
        )
        entry["answers"].append({name: row[name] for name in ANSWER_FIELDS})
    results = []
    for entry in sorted(grouped.values(), key=lambda e: (e["last_name"], e["first_name"], e["pom_id"])):
        answers = entry.pop("answers")
        questions = [name for name, _ in OversightAudit.QUESTIONS]
        scores = [s for s in (audit_score({q: a[q] for q in questions}) for a in answers) if s is not None]
        overall = question_results(answers, questions=[OversightAudit.OVERALL[0]])[0]
        entry.update(
            {
                "completed": len(answers),
                "questions": question_results(answers, questions=questions),
                "overall": overall,
                "mean_score": round(sum(scores) / len(scores)) if scores else None,
            }
        )
        results.append(entry)
    return results


def results_by_question(results: list[dict]) -> list[QuestionResult]:
    """The per-POM results added up per question, the overall judgement last."""
    return sum_results([*r["questions"], r["overall"]] for r in results)


def audit_get(*, prison: Prison, audit_id) -> OversightAudit | None:
    """One audit at the prison, with its case, POM and actions; None for another prison's or a bad id."""
    audit_id = positive_id(audit_id)
    if audit_id is None:
        return None
    return (
        OversightAudit.objects.filter(pk=audit_id, prison=prison)
        .select_related("prisoner", "pom__user", "auditor", "sample")
        .prefetch_related(Prefetch("actions", queryset=OversightAction.objects.order_by("due_date", "pk")))
        .first()
    )


def audits_for_pom(*, user, prison: Prison, limit: int = 50) -> list[OversightAudit]:
    """The user's completed audits at the prison (as the audited POM), newest month first, with their actions.
    Two queries."""
    return list(
        OversightAudit.objects.filter(prison=prison, pom__user=user, completed_at__isnull=False)
        .select_related("prisoner", "auditor")
        .prefetch_related(Prefetch("actions", queryset=OversightAction.objects.order_by("due_date", "pk")))
        .order_by("-month", "-completed_at", "-pk")[:limit]
    )


def action_get_for_pom(*, user, prison: Prison, action_id) -> OversightAction | None:
    """One action on a completed audit of the user's own cases at the prison; None otherwise."""
    action_id = positive_id(action_id)
    if action_id is None:
        return None
    return (
        OversightAction.objects.filter(
            pk=action_id, audit__prison=prison, audit__pom__user=user, audit__completed_at__isnull=False
        )
        .select_related("audit__prisoner", "audit__pom")
        .first()
    )
