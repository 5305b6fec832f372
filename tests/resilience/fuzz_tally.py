"""The number of fuzz cases run, for the closing note: each fuzz test adds its cases; the total is printed at the end
of the session (``pytest -s`` or the terminal summary) and written to FUZZ_TALLY_FILE if that is set."""

import os
from collections import Counter

TALLY: Counter = Counter()


def count(name: str, cases: int = 1) -> None:
    TALLY[name] += cases


def report() -> str:
    lines = [f"fuzz cases run: {sum(TALLY.values())}"] + [f"  {name}: {n}" for name, n in sorted(TALLY.items())]
    text = "\n".join(lines)
    path = os.environ.get("FUZZ_TALLY_FILE")
    if path and TALLY:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text + "\n")
    return text
