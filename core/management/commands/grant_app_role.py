"""`manage.py grant_app_role ROLE`: the PostgreSQL role that web, worker and beat run as, which owns nothing.

Run it as the owner of the tables (the role that runs `migrate`), after every `migrate`; it is idempotent.
The application role gets:
- CONNECT on the database and USAGE on the schema, never CREATE: it cannot add, ALTER or DROP a table;
- SELECT, INSERT, UPDATE, DELETE on the tables, and USAGE, SELECT on their sequences;
- on the append-only tables (every model built on `core.querysets.AppendOnlyModel`: the approvals audit chain,
  clock events, PC logs, the security event log) SELECT and INSERT only: no UPDATE, DELETE or TRUNCATE;
- on `django_migrations` SELECT only;
- TRUNCATE on nothing; ALTER DEFAULT PRIVILEGES gives tables that later migrations create the plain grants
  (run the command again after such a migration, so a new append-only table loses UPDATE and DELETE).

With `--password-env NAME` the role is created (LOGIN) when missing and its password set from that variable.
On SQLite there are no roles: the command says so and does nothing.
"""

import os

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg import sql

from core.querysets import AppendOnlyModel

PLAIN = "SELECT, INSERT, UPDATE, DELETE"
APPEND_ONLY = "SELECT, INSERT"
READ_ONLY_TABLES = ("django_migrations",)


def append_only_tables() -> list[str]:
    """The tables of every concrete append-only model, sorted."""
    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        if issubclass(model, AppendOnlyModel) and not model._meta.abstract
    )


class Command(BaseCommand):
    help = "Grants the application's PostgreSQL role what web, worker and beat need, and nothing they must not have."

    def add_arguments(self, parser):
        parser.add_argument("role", help="the role web, worker and beat connect as (not the tables' owner)")
        parser.add_argument(
            "--password-env",
            metavar="NAME",
            help="create the role (LOGIN) if missing and set its password from this environment variable",
        )

    def handle(self, *args, role: str, password_env: str | None = None, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("grant_app_role: not PostgreSQL, nothing to grant")
            return
        password = None
        if password_env:
            password = os.environ.get(password_env, "")
            if not password:
                raise CommandError(f"{password_env} is empty: the role's password must be set")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_database(), current_schema()")
            owner, database, schema = cursor.fetchone()
            if role == owner:
                raise CommandError("the application role must not be the owner of the tables")
            self._ensure_role(cursor, role, password)
            self._grant(cursor, role=role, owner=owner, database=database, schema=schema)
        tables = append_only_tables()
        self.stdout.write(
            f"grant_app_role: {role} granted on {database}.{schema}; append-only: {', '.join(tables)}"
        )

    def _ensure_role(self, cursor, role: str, password: str | None) -> None:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        exists = cursor.fetchone() is not None
        if not exists and password is None:
            raise CommandError(f"role {role} does not exist: create it, or pass --password-env")
        if password is not None:
            verb = "ALTER" if exists else "CREATE"
            cursor.execute(
                sql.SQL("{} ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD {}")
                .format(sql.SQL(verb), sql.Identifier(role), sql.Literal(password))
                .as_string(cursor.connection)
            )

    def _grant(self, cursor, *, role: str, owner: str, database: str, schema: str) -> None:
        def run(statement: str, **names) -> None:
            identifiers = {key: sql.Identifier(value) for key, value in names.items()}
            cursor.execute(sql.SQL(statement).format(**identifiers).as_string(cursor.connection))

        names = {"role": role, "owner": owner, "schema": schema}
        run("GRANT CONNECT ON DATABASE {database} TO {role}", database=database, role=role)
        run("REVOKE CREATE ON SCHEMA {schema} FROM {role}", **names)
        run("GRANT USAGE ON SCHEMA {schema} TO {role}", **names)
        run("REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}", **names)
        run(f"GRANT {PLAIN} ON ALL TABLES IN SCHEMA {{schema}} TO {{role}}", **names)
        run("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}", **names)
        for table in (*append_only_tables(), *READ_ONLY_TABLES):
            granted = "SELECT" if table in READ_ONLY_TABLES else APPEND_ONLY
            run("REVOKE ALL ON TABLE {schema}.{table} FROM {role}", table=table, **names)
            run(f"GRANT {granted} ON TABLE {{schema}}.{{table}} TO {{role}}", table=table, **names)
        run(
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {{owner}} IN SCHEMA {{schema}} GRANT {PLAIN} ON TABLES TO {{role}}",
            **names,
        )
        run(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {role}",
            **names,
        )
