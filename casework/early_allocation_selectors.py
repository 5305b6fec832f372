"""Reads about early allocation assessments. CONTRACT used by dashboards and the API (implement these first)."""

from collections.abc import Iterable


def early_allocation_latest_for(*, prison_numbers: Iterable[str]) -> dict:
    """{prison_number: the latest EarlyAllocation} for those that have one, in one query."""
    raise NotImplementedError


def early_allocation_status(assessment) -> tuple[str, str]:
    """(code, label) for a case's latest assessment (None: not assessed). Codes are stable API values."""
    raise NotImplementedError


def early_allocation_pending_list(*, prison):
    """Assessments in this prison waiting for the HOMD's approval or the community decision (the HOMD's list)."""
    raise NotImplementedError
