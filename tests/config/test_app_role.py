"""The application's PostgreSQL role (`manage.py grant_app_role`): web, worker and beat insert and change the
ordinary rows, append to the audit tables, and can neither rewrite nor empty an audit table, nor ALTER one."""

import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg import errors, sql

from core.management.commands.grant_app_role import append_only_tables
from org.models import SecurityEvent
from tests.factories import EmployeeFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="roles are PostgreSQL's"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def app_role(monkeypatch):
    """A role of this test's own (roles are cluster-wide), dropped afterwards."""
    role = f"w2_security_app_{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("TEST_APP_ROLE_PASSWORD", "app-role-password-for-tests")
    yield role
    with connection.cursor() as cursor:
        for statement in ("DROP OWNED BY {role}", "DROP ROLE IF EXISTS {role}"):
            cursor.execute(sql.SQL(statement).format(role=sql.Identifier(role)).as_string(cursor.connection))


def connect_as(role: str) -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=role,
        password="app-role-password-for-tests",
        autocommit=True,
    )


def refused(conn: psycopg.Connection, statement: str, *params) -> bool:
    try:
        conn.execute(statement, params or None)
    except errors.InsufficientPrivilege:
        return True
    return False


def test_the_app_role_appends_to_audit_tables_but_cannot_rewrite_empty_or_alter_them(app_role):
    # given the grants, run twice (idempotent), and an employee the events name
    call_command("grant_app_role", app_role, "--password-env", "TEST_APP_ROLE_PASSWORD", verbosity=0)
    call_command("grant_app_role", app_role, "--password-env", "TEST_APP_ROLE_PASSWORD", verbosity=0)
    employee = EmployeeFactory(username="tanaka")
    with connect_as(app_role) as conn:
        # when the role appends a security event and changes an ordinary row
        conn.execute(
            "INSERT INTO org_securityevent (at, action, actor_username, subject_id, subject_username, address, data)"
            " VALUES (now(), 'password_changed', 'tanaka', %s, 'tanaka', '', '{}')",
            (employee.pk,),
        )
        conn.execute("UPDATE org_employee SET name = 'x' WHERE id = %s", (employee.pk,))
        # then the insert and the update went through
        assert SecurityEvent.objects.filter(subject=employee).count() == 1
        employee.refresh_from_db()
        assert employee.name == "x"
        # and every audit table refuses UPDATE, DELETE and TRUNCATE, and no table can be altered or created
        assert "approvals_auditevent" in append_only_tables()
        assert "org_securityevent" in append_only_tables()
        for table in append_only_tables():
            assert refused(conn, f"UPDATE {table} SET id = id"), table
            assert refused(conn, f"DELETE FROM {table}"), table
            assert refused(conn, f"TRUNCATE {table}"), table
        assert refused(conn, "ALTER TABLE org_securityevent ADD COLUMN tampered boolean")
        assert refused(conn, "ALTER TABLE org_employee DROP COLUMN name")
        assert refused(conn, "CREATE TABLE org_intruder (id int)")
        assert refused(conn, "DELETE FROM django_migrations")
    assert SecurityEvent.objects.filter(subject=employee).count() == 1


def test_the_owner_is_never_made_the_app_role(db):
    from django.core.management.base import CommandError

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (owner,) = cursor.fetchone()
    with pytest.raises(CommandError, match="must not be the owner"):
        call_command("grant_app_role", owner, verbosity=0)
