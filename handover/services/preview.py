"""The policy preview: which stored results a chosen policy version would change, and how. Reads only.

For a prison or everywhere, every stored handover is recalculated from today's facts under the chosen policy
(``calculate(facts, today, policy=...)``) and compared with what is stored. Each case that would change is one
PreviewRow listing the fields that differ, stored value and previewed value. The reads are chunked like the sweep:
a few queries per 2,000 cases. A case whose calculation fails is listed with the error instead.
"""

import datetime as dt
from dataclasses import dataclass, field

from handover.calculations import calculate
from handover.facts import fact_rows, facts_from_row
from handover.models import CalculatedHandover
from handover.services import stored

CHUNK_SIZE = 2000
SHOWN = {
    "inside_omic_policy": "Inside OMiC",
    "responsibility": "Responsibility",
    "handover_start_date": "Handover start date",
    "handover_date": "Handover date",
    "reason": "Reason",
    "handover_type": "Handover type",
    "earliest_release_type": "Release date used",
    "earliest_release_date": "Earliest release date",
}


@dataclass(frozen=True)
class Difference:
    field: str
    label: str
    stored: object
    preview: object


@dataclass(frozen=True)
class PreviewRow:
    prison_number: str
    name: str
    prison_code: str
    stored_policy: str
    preview_policy: str
    differences: tuple[Difference, ...] = field(default_factory=tuple)
    error: str = ""


def _stored_rows(prison_code: str | None):
    rows = CalculatedHandover.objects.select_related("prisoner").order_by("prisoner_id")
    return rows.filter(prisoner__prison_id=prison_code) if prison_code else rows


def policy_preview(*, policy: str, today: dt.date, prison_code: str | None = None, chunk_size: int = CHUNK_SIZE):
    """The cases with a stored result that would change under ``policy`` on ``today``, by prison number."""
    out = []
    last = ""
    while True:
        handovers = list(_stored_rows(prison_code).filter(prisoner_id__gt=last)[:chunk_size])
        if not handovers:
            return out
        last = handovers[-1].prisoner_id
        facts_by_number = {
            r["prison_number"]: r for r in fact_rows().filter(prison_number__in=[h.prisoner_id for h in handovers])
        }
        for handover in handovers:
            prisoner = handover.prisoner
            common = {
                "prison_number": prisoner.pk,
                "name": prisoner.list_name,
                "prison_code": prisoner.prison_id,
                "stored_policy": handover.policy,
                "preview_policy": policy,
            }
            try:
                facts = facts_from_row(facts_by_number[prisoner.pk], today)
                after = stored.result_values(facts, calculate(facts, today, policy=policy))
            except Exception as error:  # noqa: BLE001 - one case's failure is shown, never stops the preview
                out.append(PreviewRow(**common, error=f"{type(error).__name__}: {error}"))
                continue
            before = stored.stored_values(handover)
            differences = tuple(
                Difference(name, label, before[name], after[name])
                for name, label in SHOWN.items()
                if before[name] != after[name]
            )
            if differences:
                out.append(PreviewRow(**common, differences=differences))
        if len(handovers) < chunk_size:
            return out
