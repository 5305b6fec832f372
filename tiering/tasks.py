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
