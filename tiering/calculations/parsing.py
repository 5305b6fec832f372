"""Reading a calculation's input object: each reader names the bad field, so every error says which field is wrong.

Inputs arrive as JSON (the `tier_calc` command, probation data stored on a case). An omitted field takes its
documented default (keywork-tier-reference.md section 3); a field that is present but of the wrong type, outside its
allowed values or a malformed date is an `InputError` naming the field.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

MISSING = object()


class InputError(ValueError):
    """A request or input that cannot be computed. ``field`` is the dotted path of the bad field."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _get(data: dict, name: str, default):
    value = data.get(name, MISSING)
    return default if value is MISSING else value


def read_object(data, field: str) -> dict:
    if not isinstance(data, dict):
        raise InputError(field, "must be an object")
    return data


def read_bool(data: dict, name: str, default: bool, *, path: str = "") -> bool:
    value = _get(data, name, default)
    if not isinstance(value, bool):
        raise InputError(path + name, "must be true or false")
    return value


def read_number(data: dict, name: str, default, *, path: str = "", nullable: bool = False) -> Decimal | None:
    """A number as an exact Decimal (so 6.99 and 7.00 compare as written), or None where null is allowed."""
    value = _get(data, name, default)
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise InputError(path + name, "must be a number" + (" or null" if nullable else ""))
    try:
        number = Decimal(str(value))
    except InvalidOperation as error:  # pragma: no cover - str() of int/float is always a valid Decimal
        raise InputError(path + name, "must be a number") from error
    if not number.is_finite():
        raise InputError(path + name, "must be a finite number")
    return number


def read_integer(data: dict, name: str, default, *, path: str = "", nullable: bool = False) -> int | None:
    value = _get(data, name, default)
    if value is None and nullable:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(path + name, "must be a whole number" + (" or null" if nullable else ""))
    return value


def read_choice(data: dict, name: str, choices, default, *, path: str = "", nullable: bool = False):
    value = _get(data, name, default)
    if value is None and nullable:
        return None
    if not isinstance(value, str) or value not in choices:
        allowed = ", ".join(f'"{c}"' for c in choices) + (" or null" if nullable else "")
        raise InputError(path + name, f"must be one of {allowed}")
    return value


def read_string(data: dict, name: str, default, *, path: str = "") -> str:
    value = _get(data, name, default)
    if not isinstance(value, str):
        raise InputError(path + name, "must be a string")
    return value


def read_list(data: dict, name: str, default, *, path: str = "") -> list:
    value = _get(data, name, default)
    if not isinstance(value, list):
        raise InputError(path + name, "must be a list")
    return value


def read_date(data: dict, name: str, default, *, path: str = "", nullable: bool = False) -> dt.date | None:
    value = _get(data, name, default)
    if value is None and nullable:
        return None
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise InputError(path + name, "must be a date written YYYY-MM-DD" + (" or null" if nullable else ""))
    try:
        if len(value) != 10:
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise InputError(path + name, f"is not a date written YYYY-MM-DD: {value!r}") from error
