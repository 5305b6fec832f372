"""Reads of the tiering engine: a case's current tier record, its history and inputs, and the recommended POM type."""

from django.conf import settings

from cases.models import Prison, Prisoner
from tiering.calculations.pom_type import PomTypeInput, recommend_pom_type, tier_letter
from tiering.models import TierInputs, TierRecord


def tier_record_current(*, prisoner: Prisoner) -> TierRecord | None:
    return TierRecord.objects.filter(prisoner=prisoner, current=True).first()


def tier_record_history(*, prisoner: Prisoner, limit: int = 100) -> list[TierRecord]:
    """Every tier the case has had, newest first (the current one included)."""
    return list(TierRecord.objects.filter(prisoner=prisoner).order_by("-recorded_at", "-id")[:limit])


def tier_inputs_get(*, prisoner: Prisoner) -> TierInputs | None:
    return TierInputs.objects.filter(prisoner=prisoner).first()


def recommended_pom_type(
    *, tier: str | None, pom_responsible: bool, immigration_case: bool, rosh_level: str | None = None
) -> tuple[str, str]:
    """The recommended POM type ("probation", "prison" or "none") and the reason to show, by the configured strategy
    (settings.POM_TYPE_STRATEGY: "tier" by default (D-08, D-21), or "rosh").

    ``tier`` is a letter A–G (a V2 score such as "B2S" is read by its letter), blank or None when not known.
    ``rosh_level`` is a RoSH level in either case ("high", "VERY_HIGH"), blank or None when not known.
    """
    try:
        letter = tier_letter(tier or None)
    except ValueError:
        letter = None
    rosh = (rosh_level or "").upper() or None
    recommendation = recommend_pom_type(
        PomTypeInput(
            tier=letter,
            pom_responsible=pom_responsible,
            immigration_case=immigration_case,
            rosh_level=rosh if rosh in ("VERY_HIGH", "HIGH", "MEDIUM", "LOW") else None,
        ),
        strategy=settings.POM_TYPE_STRATEGY,
    )
    return recommendation.pom_type, recommendation.reason


def tier_inputs_count(*, prison: Prison | None = None) -> int:
    """How many cases have tier inputs (in one prison, or everywhere): what a full recalculation checks."""
    qs = TierInputs.objects.all()
    return (qs.filter(prisoner__prison=prison) if prison is not None else qs).count()
