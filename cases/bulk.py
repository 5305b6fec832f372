"""Insert many new rows fast: PostgreSQL ``COPY ... FROM STDIN``, or ``bulk_create`` on other databases.

Django's ``bulk_create`` on PostgreSQL quotes every value into the SQL text client-side (arrays of JSON strings for
UNNEST), which costs more than the rest of the sweep put together for rows carrying the inputs snapshot. COPY streams
the same rows with psycopg's dumpers. Rows are dicts of plain values (dates, strings, numbers, JSON-able data); a
missing value takes the field's default, and ``auto_now_add`` fields must be given. Database errors are Django's
(``IntegrityError`` and friends), so callers handle them the same way either way. No ids come back.
"""

import json

from django.db import connections, models

BATCH_SIZE = 1000


def insert_rows(model: type[models.Model], rows: list, using: str = "default") -> int:
    """Insert new rows given as dicts of field attnames (``prisoner_id``, not ``prisoner``) to values, or instances.

    A field missing from a dict takes its default. No model instances are built on PostgreSQL: at sweep sizes the
    instances alone cost more than the COPY.
    """
    if not rows:
        return 0
    connection = connections[using]
    if connection.vendor != "postgresql":
        objs = [row if isinstance(row, models.Model) else model(**row) for row in rows]
        model.objects.using(using).bulk_create(objs, batch_size=BATCH_SIZE)
        return len(rows)
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
    json_fields = {f.attname: f.encoder for f in fields if isinstance(f, models.JSONField)}
    defaults = {f.attname: f.get_default() for f in fields}
    names = [f.attname for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.wrap_database_errors, connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            if isinstance(row, models.Model):
                row = row.__dict__  # noqa: PLW2901 - an instance's values, read the same way
            values = []
            for name in names:
                value = row.get(name, defaults[name])
                if name in json_fields and value is not None:
                    value = json.dumps(value, cls=json_fields[name])
                values.append(value)
            copy.write_row(values)
    return len(rows)
