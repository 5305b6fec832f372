"""Filling in a case's missing details by hand, so that it can be allocated.

The tier goes through the tiering engine (``tiering.services.tier_set_by_hand``, which keeps a tier record with the
source and the reason, and copies the tier onto the case information); the other case information goes through the
records layer's ``cases.services.prisoner_upsert``, which saves only what changed and writes the audit trail.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.models import Prisoner
from cases.services import prisoner_upsert
from tiering.services import tier_set_by_hand


@transaction.atomic
def missing_details_fill(
    prisoner: Prisoner, *, values: dict, tier: str = "", tier_reason: str = "", actor, today: dt.date
) -> None:
    """Save the case information ``values`` (RoSH, MAPPA, enhanced resourcing, complexity) and, if given, the tier
    entered by hand with its reason. Creates the case information when the case has none."""
    prisoner_upsert(
        data={"prisoner": {"prison_number": prisoner.prison_number}, "case_information": values},
        actor=actor,
        actor_label=actor.get_username(),
        reason="Missing details entered by hand",
    )
    if tier:
        try:
            tier_set_by_hand(prisoner, tier, tier_reason, actor, today=today)
        except ValidationError as error:
            # The engine names its fields tier and reason; the form calls the reason tier_reason.
            raise ValidationError(
                {
                    "tier_reason" if field == "reason" else field: messages
                    for field, messages in error.message_dict.items()
                }
            ) from error
