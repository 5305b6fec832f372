"""Parsing ids from query strings and forms: what every page that reads ``?pom=<id>`` and the like uses.

``"²".isdigit()`` is true but ``int("²")`` fails, and a twenty-digit number overflows the database's integer, so ids
are read by one rule here: one to nine ASCII digits, else not an id.
"""

import re

_ID = re.compile(r"[0-9]{1,9}")


def positive_id(value) -> int | None:
    """The id in ``value`` (a string of 1 to 9 ASCII digits, or an int in that range) if it is one above 0, else
    None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= 999_999_999 else None
    if not isinstance(value, str) or not _ID.fullmatch(value):
        return None
    return int(value) or None


def positive_ids(values) -> list[int]:
    """The ids among ``values`` (for example ``request.GET.getlist("pom")``), in order, skipping anything else."""
    return [i for i in (positive_id(v) for v in values) if i is not None]
