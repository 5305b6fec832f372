"""JSON bodies with only finite numbers: ``1e400`` (infinity), ``NaN`` and ``Infinity`` are a 400 problem naming the
field, never stored (a database refuses them in JSON, and they are not JSON at all) nor a 500."""

import codecs
import json
import math

from rest_framework import exceptions
from rest_framework.parsers import JSONParser

NOT_FINITE = "Enter a finite number"


def first_non_finite(value, path: str = "") -> str | None:
    """The dotted path (list items by index) of the first number that is infinite or not a number, else None."""
    if isinstance(value, float) and not math.isfinite(value):
        return path or "body"
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = first_non_finite(item, f"{path}.{key}" if path else str(key))
        if found:
            return found
    return None


class FiniteJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding") or "utf-8"
        try:
            # NaN and Infinity are read (then refused naming their field) rather than a parse error naming none.
            data = json.load(codecs.getreader(encoding)(stream), parse_constant=float)
        except ValueError as exc:
            raise exceptions.ParseError(f"JSON parse error - {exc}") from None
        path = first_non_finite(data)
        if path:
            raise exceptions.ValidationError({path: [NOT_FINITE]})
        return data
