"""Statements sent together and prepared: the hand-written statements of the hot paths (the token's look-up, the
clock-in, the inbox's principals), in one round trip where the database allows it.

On PostgreSQL each statement of a batch is still a statement of its own: under READ COMMITTED each takes its
own snapshot, so a SELECT placed after a `FOR NO KEY UPDATE` in the same batch sees what the previous holder of
that lock committed. With prepared statements on (`DJANGO_DB_PREPARED_STATEMENTS`, the default) the statements
are bound on the server and prepared on the connection at their first use (PostgreSQL then parses and plans
each once per connection, not on every request), and a batch goes through psycopg's pipeline mode with one
Sync (in a transaction psycopg sends its BEGIN ahead, with a Sync of its own, before the batch's first
statement). The ORM's own statements keep Django's client-side binding and are never prepared. With prepared
statements off the statements of a batch travel in one message. Either way a batch is one entry of
`connection.queries`, as it is one round trip. SQLite runs in the process (no round trip to save): the
statements run one by one.

Hot paths build their INSERTs here by hand from the models' fields (the values through each field's own
`pre_save` and `get_db_prep_save`, as the ORM does), so that the ORM's compilation is not paid per request.
"""

import functools
import time
from collections.abc import Sequence
from functools import cache

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

Statement = tuple[str, list]


def batches_statements() -> bool:
    """Whether the database takes several statements in one round trip (PostgreSQL)."""
    return connection.vendor == "postgresql"


def prepares_statements(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether the statements run here are prepared on the connection (PostgreSQL, `prepare_threshold` set)."""
    db = connections[using]
    return (
        db.vendor == "postgresql" and db.settings_dict.get("OPTIONS", {}).get("prepare_threshold") is not None
    )


def run(statements: Sequence[Statement], *, using: str = DEFAULT_DB_ALIAS) -> list[list[tuple]]:
    """Runs the statements in order, in one round trip where the database allows it; the rows of each (an empty
    list for a statement that returns none)."""
    db = connections[using]
    if prepares_statements(using):
        return _prepared(db, statements)
    results: list[list[tuple]] = []
    with db.cursor() as cursor:
        if db.vendor == "postgresql" and len(statements) > 1:
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


def _prepared(db, statements: Sequence[Statement]) -> list[list[tuple]]:
    """The statements bound on the server and prepared, several through psycopg's pipeline (one sync). Around
    them what Django's cursor does for one statement (its checks, its error classes, the execute wrappers, the
    query log), for the batch as one: Django's cursor would count each statement as a query of its own."""
    import psycopg  # only PostgreSQL comes here

    TUPLES_OK = psycopg.pq.ExecStatus.TUPLES_OK

    db.ensure_connection()
    db.validate_no_broken_transaction()
    sql = "; ".join(sql for sql, _params in statements)
    results: list[list[tuple]] = []

    def execute(_sql, _params, _many, _context):
        raw = db.connection
        cursors = [psycopg.Cursor(raw) for _statement in statements]
        with db.wrap_database_errors:
            if len(statements) == 1:
                [(statement_sql, params)], [cursor] = statements, cursors
                cursor.execute(statement_sql, params, prepare=True)
            else:
                with raw.pipeline():  # one Sync, sent and awaited on leaving the pipeline
                    for cursor, (statement_sql, params) in zip(cursors, statements, strict=True):
                        cursor.execute(statement_sql, params, prepare=True)
            # the result's status, not `description`: that builds an object for each column
            results.extend(
                cursor.fetchall() if cursor.pgresult.status == TUPLES_OK else [] for cursor in cursors
            )

    executor = execute
    for wrapper in reversed(db.execute_wrappers):
        executor = functools.partial(wrapper, executor)
    started = time.monotonic()
    executor(sql, [p for _s, ps in statements for p in ps], False, {"connection": db, "cursor": None})
    if db.queries_logged:
        db.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
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
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself: `connection` is a proxy, a look-up per use
    sql, fields = _insert_template(type(instance), db.vendor, conflict)
    params = [f.get_db_prep_save(f.pre_save(instance, add=True), db) for f in fields]
    return sql, params


def inserted(instance: models.Model, rows: list[tuple]) -> models.Model:
    """The instance once its INSERT ran: its primary key set, saved in the database."""
    [(pk,)] = rows
    instance.pk = pk
    instance._state.adding = False
    instance._state.db = connection.alias
    return instance
