"""hypothesis-jsonschema 0.23.1 (what schemathesis 3 generates JSON objects with) calls ``many.more()``, which
Hypothesis removed in 6.17x when ``many`` became a context manager. Without this, every operation with an object
body fails inside the generator (``'many' object has no attribute 'more'``) before a request is made.

``install()`` gives hypothesis-jsonschema, and only it, a ``many`` with the old ``more()``/``reject()`` protocol,
built on the new class's own steps (the same spans and choices as its iterator). Remove this module once
hypothesis-jsonschema or schemathesis 4 is in use.
"""

import types

from hypothesis.internal.conjecture import utils as cu


class LegacyMany(cu.many):
    def __init__(self, data, min_size, max_size, average_size, **kwargs):
        super().__init__(data, min_size, max_size, average_size, **kwargs)
        self._depth = data.depth

    def more(self) -> bool:
        """One step of ``many._iterate``: close the previous element's span, then decide on another."""
        self._finish_element()
        if not self._decide():
            return False
        self.count += 1
        self._in_element = True
        self._rejected = False
        return True


def install() -> None:
    from hypothesis_jsonschema import _from_schema

    if not hasattr(cu.many, "more") and not isinstance(_from_schema.cu, types.SimpleNamespace):
        _from_schema.cu = types.SimpleNamespace(**{**vars(cu), "many": LegacyMany})
