"""Writes behind the ingest API (PUT a prisoner, PUT a case's case information) and the event handlers.

Both hand over to the services that own the data (``cases.services.prisoner_upsert``, the tiering engine's
``tier_inputs_update``), which compare and write only what differs: the same PUT twice changes nothing the second
time. The data is ``validated_data`` of ``integration.payloads`` (model field names).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.models import Prisoner
from cases.services import CREATED, UNCHANGED, UPDATED, prisoner_upsert
from tiering.selectors import tier_inputs_get
from tiering.services import tier_inputs_update


class PrisonerNotFound(Exception):
    """The prisoner is not known here yet: PUT /api/v1/prisoners/{prisonNumber} first."""


def prisoner_find(*, prison_number: str) -> Prisoner | None:
    return Prisoner.objects.select_related("prison").filter(pk=prison_number).first()


@transaction.atomic
def prisoner_put(*, prison_number: str, data: dict, actor_label: str, actor=None) -> str:
    """Create or update a prisoner and (when sent) their current sentence; "created", "updated" or "unchanged"."""
    return prisoner_upsert(
        data={
            "prisoner": {"prison_number": prison_number, **data["prisoner"]},
            "sentence": data.get("sentence"),
            "case_information": None,
            "com": None,
        },
        actor_label=actor_label,
        actor=actor,
        reason="Sent through the API",
    )


def _tier_inputs_values(prisoner: Prisoner) -> tuple | None:
    stored = tier_inputs_get(prisoner=prisoner)
    return None if stored is None else (stored.model, stored.inputs, stored.source)


@transaction.atomic
def case_information_put(*, prison_number: str, data: dict, actor_label: str, today: dt.date, actor=None) -> str:
    """Store what probation holds about a case (CRN, RoSH, MAPPA, delivery unit, COM) and, when sent, its tier
    inputs, recalculating the tier. Raises PrisonerNotFound for an unknown prisoner, ValidationError naming the field
    for bad input (then nothing is saved). Returns "created", "updated" or "unchanged"."""
    prisoner = prisoner_find(prison_number=prison_number)
    if prisoner is None:
        raise PrisonerNotFound(prison_number)
    outcome = prisoner_upsert(
        data={
            "prisoner": {"prison_number": prison_number},
            "sentence": None,
            "case_information": data["case_information"],
            "com": data.get("com"),
        },
        actor_label=actor_label,
        actor=actor,
        reason="Sent through the API",
    )
    if data.get("tier_inputs") is not None:
        before = _tier_inputs_values(prisoner)
        try:
            tier_inputs_update(
                prisoner,
                data["tier_inputs"],
                "probation",
                actor,
                today=today,
                actor_label=actor_label,
                model=data.get("tier_model"),
            )
        except ValidationError as error:
            raise ValidationError({"tier_inputs": error.messages}) from error
        if outcome == UNCHANGED and _tier_inputs_values(prisoner) != before:
            outcome = UPDATED
    return outcome


__all__ = ["CREATED", "UNCHANGED", "UPDATED", "PrisonerNotFound", "case_information_put", "prisoner_put"]
