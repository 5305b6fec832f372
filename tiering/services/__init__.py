"""Writes of the tiering engine (see each module): one case at a time, and the bulk recalculation."""

from tiering.services.bulk import tier_recalculate_all
from tiering.services.case import tier_inputs_update, tier_recalculate, tier_set_by_hand

__all__ = ["tier_inputs_update", "tier_recalculate", "tier_recalculate_all", "tier_set_by_hand"]
