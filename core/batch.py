"""Statements sent together: several SQL statements in one round trip to the database where it allows it.

On PostgreSQL (psycopg's client-side binding, Django's default) the statements of a batch travel in one
message and each is still a statement of its own: under READ COMMITTED each takes its own snapshot, so a
SELECT placed after a `FOR NO KEY UPDATE` in the same batch sees what the previous holder of that lock
committed. SQLite runs in the process (no round trip to save): the statements run one by one.

Hot paths build their INSERTs here by hand from the models' fields (the values through each field's own
`pre_save` and `get_db_prep_save`, as the ORM does), so that the ORM's compilation is not paid per request.
"""

from collections.abc import Sequence
from functools import cache

from django.db import connection, models

Statement = tuple[str, list]


def batches_statements() -> bool:
    """Whether the database takes several statements in one round trip (PostgreSQL without server-side
    binding)."""
    return connection.vendor == "postgresql" and not connection.settings_dict.get("OPTIONS", {}).get(
        "server_side_binding"
    )


def run(statements: Sequence[Statement]) -> list[list[tuple]]:
    """Runs the statements in order, in one round trip where the database allows it; the rows of each (an empty
    list for a statement that returns none)."""
    results: list[list[tuple]] = []
    with connection.cursor() as cursor:
        if batches_statements() and len(statements) > 1:
            cursor.execute(
                "; ".join(sql for sql, _params in statements), [p for _s, ps in statements for p in ps]
            )
            while True:
                results.append(cursor.fetchall() if cursor.description is not None else [])
                if not cursor.nextset():
                    break
        else:
            for sql, params in statements:
                cursor.execute(sql, params)
                results.append(cursor.fetchall() if cursor.description is not None else [])
    return results


@cache
def _insert_template(model: type[models.Model], vendor: str, conflict: tuple | None) -> tuple[str, list]:
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.has_default()]
    columns = ", ".join(quote(f.column) for f in fields)
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    if conflict is not None:
        unique, updated = conflict
        targets = ", ".join(quote(model._meta.get_field(name).column) for name in unique)
        sets = ", ".join(
            f"{quote(column)} = EXCLUDED.{quote(column)}"
            for column in (model._meta.get_field(name).column for name in updated)
        )
        sql += f" ON CONFLICT ({targets}) DO UPDATE SET {sets}"
    return f"{sql} RETURNING {quote(model._meta.pk.column)}", fields


def insert(instance: models.Model, *, upsert_on: Sequence[str] = (), update: Sequence[str] = ()) -> Statement:
    """The INSERT of one new instance, RETURNING its primary key (`upsert_on` and `update`: ON CONFLICT on
    those unique fields DO UPDATE those fields). Set the key on the instance with `inserted`."""
    conflict = (tuple(upsert_on), tuple(update)) if upsert_on else None
    sql, fields = _insert_template(type(instance), connection.vendor, conflict)
    params = [f.get_db_prep_save(f.pre_save(instance, add=True), connection) for f in fields]
    return sql, params


def inserted(instance: models.Model, rows: list[tuple]) -> models.Model:
    """The instance once its INSERT ran: its primary key set, saved in the database."""
    [(pk,)] = rows
    instance.pk = pk
    instance._state.adding = False
    instance._state.db = connection.alias
    return instance
