"""Row counts of every table the service owns: "nothing half-written" is these counts unchanged after a refusal."""

from django.apps import apps
from django.db import connection

OUR_APPS = (
    "omic",
    "cases",
    "handover",
    "tiering",
    "keywork",
    "casework",
    "allocation",
    "dashboards",
    "oversight",
    "integration",
    "api",
)


def our_models() -> list:
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label in OUR_APPS and not m._meta.proxy and m._meta.managed
    ]


def row_counts() -> dict[str, int]:
    """Every table's row count in one query, as a dict label -> rows (history tables included: a half-write shows
    there too)."""
    models = our_models()
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(f"SELECT {i}, COUNT(*) FROM {quote(m._meta.db_table)}" for i, m in enumerate(models))
    with connection.cursor() as cursor:
        cursor.execute(sql)
        found = dict(cursor.fetchall())
    return {m._meta.label: found[i] for i, m in enumerate(models)}


def changed_counts(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {label: (before[label], after[label]) for label in before if before[label] != after[label]}
