"""Celery tasks: parole (thin; each has a management command).

``casework.parole_import`` imports a parole review CSV that is already on disk (``manage.py parole_import`` does the
same). There is no schedule: where the daily extract arrives is not known yet, so nothing is put in
``omic/schedules.py``.
"""

from celery import shared_task
from django.utils import timezone

__all__ = ["parole_import"]


@shared_task(name="casework.parole_import")
def parole_import(path: str) -> dict:
    """Import one CSV file (all or nothing). Idempotent by review id: running it twice changes nothing more."""
    from casework.parole_imports import parole_csv_import

    with open(path, encoding="utf-8-sig", newline="") as handle:
        result = parole_csv_import(handle, today=timezone.localdate())
    return {"rows": result.rows, "written": result.written, "errors": result.errors[:100], **result.counts}
