"""Celery tasks of the tiering engine: thin, idempotent (a recalculation compares, never increments)."""

from celery import shared_task


@shared_task(name="tiering.tier_recalculate_all", acks_late=True)
def tier_recalculate_all_task(prison_code: str | None = None) -> dict:
    from django.utils import timezone

    from cases.models import Prison
    from tiering.services import tier_recalculate_all

    prison = Prison.objects.filter(code=prison_code).first() if prison_code else None
    if prison_code and prison is None:
        return {"error": f"no prison {prison_code}"}
    return tier_recalculate_all(today=timezone.localdate(), prison=prison, actor_label="tier_recalculate_all task")


@shared_task(name="tiering.tier_recalculate", acks_late=True)
def tier_recalculate_task(prison_number: str) -> str | None:
    from django.utils import timezone

    from cases.models import Prisoner
    from tiering.services import tier_recalculate

    prisoner = Prisoner.objects.filter(pk=prison_number).first()
    if prisoner is None:
        return None
    record = tier_recalculate(prisoner=prisoner, today=timezone.localdate(), actor_label="tier_recalculate task")
    return record.score if record else None


FANOUT_JOB = "tiering.tier_recalculate_all"


@shared_task(name="tiering.tier_recalculate_dispatch")
def tier_recalculate_dispatch() -> dict:
    """Every tier recalculated, fanned out: one ``tiering.tier_recalculate_prison`` per prison on ``recalc``; once a
    day (a second dispatch the same day queues nothing); progress: ``omic.celery.fanout_progress``."""
    from django.utils import timezone

    from omic.celery import fanout_dispatch

    return fanout_dispatch(FANOUT_JOB, tier_recalculate_prison_task, today=timezone.localdate())


@shared_task(name="tiering.tier_recalculate_prison", acks_late=True, soft_time_limit=10 * 60, time_limit=12 * 60)
def tier_recalculate_prison_task(prison_code: str, today_iso: str) -> dict:
    """One prison's tiers (idempotent: a recalculation compares and writes only what changed)."""
    import datetime as dt

    from cases.models import Prison
    from omic.celery import fanout_prison_done
    from tiering.services import tier_recalculate_all

    today = dt.date.fromisoformat(today_iso)
    prison = Prison.objects.filter(code=prison_code).first()
    if prison is None:
        return {"error": f"no prison {prison_code}"}
    counts = tier_recalculate_all(today=today, prison=prison, actor_label="tier_recalculate_prison task")
    fanout_prison_done(FANOUT_JOB, today, prison_code, failed=bool(counts["failed"]))
    return counts
