"""The parole review CSV import (the parole system's daily extract, or a file staff were sent).

A header row names the columns: ``prison_number`` and any of the review fields (``review_id``,
``target_hearing_date``, ``custody_report_due``, ``review_type``, ``review_status``, ``hearing_outcome``,
``hearing_outcome_received_on``; dates as YYYY-MM-DD). **All or nothing:** every row is checked and written in one
transaction; if any row is bad, every bad row is reported with its line number and column name, and nothing is
written. Idempotent by review id (a row without one matches the case's review with the same dates), so importing
the same file twice changes nothing the second time. Each change is audited as ``parole_import``; the stored
handovers are recalculated by the on-change job each saved review queues.
"""

import csv
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from casework.calculations.parole import REVIEW_FIELDS
from casework.parole_services import parole_review_upsert_status

ACTOR_LABEL = "parole_import"
COLUMNS = ("prison_number", *REVIEW_FIELDS)
PROGRESS_EVERY = 500


@dataclass
class ImportResult:
    rows: int = 0
    counts: Counter = field(default_factory=Counter)  # created / updated / unchanged
    errors: list[str] = field(default_factory=list)  # "line 3, column target_hearing_date: ..."
    written: bool = False


class _RollBack(Exception):
    pass


def _messages(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"": error.messages}


def parole_csv_import(
    lines: Iterable[str], *, today: dt.date, dry_run: bool = False, progress: Callable[[int], None] | None = None
) -> ImportResult:
    """Import the CSV ``lines``; see the module docstring. ``progress(rows_done)`` is called every 500 rows."""
    result = ImportResult()
    reader = csv.DictReader(lines)
    header = reader.fieldnames or []
    if not header:
        result.errors.append("line 1: the file is empty; expected a header row naming the columns")
        return result
    unknown = [name for name in header if name not in COLUMNS]
    for name in unknown:
        result.errors.append(f"line 1, column {name}: unknown column; expected some of {', '.join(COLUMNS)}")
    if "prison_number" not in header:
        result.errors.append("line 1, column prison_number: the prison_number column is missing")
    if len(set(header)) != len(header):
        result.errors.append("line 1: a column is named twice")
    if result.errors:
        return result
    seen_ids: dict[str, int] = {}
    try:
        with transaction.atomic():
            for row in reader:
                line = reader.line_num
                result.rows += 1
                if None in row or any(value is None for value in row.values()):
                    result.errors.append(f"line {line}: expected {len(header)} values, one for each column")
                    continue
                data = {name: value for name, value in row.items() if name != "prison_number"}
                review_id = (data.get("review_id") or "").strip()
                if review_id and review_id in seen_ids:
                    result.errors.append(
                        f"line {line}, column review_id: review {review_id} is also on line {seen_ids[review_id]}"
                    )
                    continue
                if review_id:
                    seen_ids[review_id] = line
                try:
                    _, status = parole_review_upsert_status(
                        prison_number=row["prison_number"],
                        data=data,
                        actor_label=ACTOR_LABEL,
                        today=today,
                        recalculate_now=False,
                    )
                except ValidationError as error:
                    for column, messages in _messages(error).items():
                        where = f"line {line}, column {column}" if column else f"line {line}"
                        result.errors.extend(f"{where}: {message}" for message in messages)
                    continue
                result.counts[status] += 1
                if progress is not None and result.rows % PROGRESS_EVERY == 0:
                    progress(result.rows)
            if result.errors or dry_run:
                raise _RollBack
    except _RollBack:
        return result
    result.written = True
    return result
