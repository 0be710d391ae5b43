"""core.batch on PostgreSQL: a batch is one round trip (psycopg's pipeline when the statements are prepared, one
message when not), it reads and fails as Django's cursor would, and the clock-in's statements are prepared on the
connection (parsed and planned once, not on every request) while the ORM's are not."""

import tempfile

import pytest
from django.db import DataError, IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from attendance.models import ClockEvent
from core import batch
from org.models import AccessToken, Department
from tests.approvals.conftest import postgres_only
from tests.factories import EmployeeFactory

pytestmark = [postgres_only, pytest.mark.django_db]


def test_a_batch_is_one_round_trip_seen_once_by_the_query_log_and_the_execute_wrappers():
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append((sql, list(params)))
        return execute(sql, params, many, context)

    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(wrapper):
        results = batch.run(
            [("SELECT %s::int, %s::text", [1, "一"]), ("SELECT %s::int", [2]), ("SELECT 3 WHERE false", [])]
        )

    assert results == [[(1, "一")], [(2,)], []]
    [logged] = captured.captured_queries  # one round trip, one query (the SQL as the binding shows it)
    assert logged["sql"].count("; ") == 2
    assert seen == [("SELECT %s::int, %s::text; SELECT %s::int; SELECT 3 WHERE false", [1, "一", 2])]


def _server_round_trips(run) -> int:
    """How many times the server said it was ready for the next query while `run()` ran (libpq's trace)."""
    from psycopg import pq

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")  # the transaction's BEGIN is behind us: it is not the batch's
    pgconn = connection.connection.pgconn
    with tempfile.TemporaryFile("w+") as trace:
        pgconn.trace(trace.fileno())
        pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        try:
            run()
        finally:
            pgconn.untrace()
        trace.seek(0)
        return sum(line.startswith("B") and "ReadyForQuery" in line for line in trace)


def test_a_batch_waits_for_the_server_once():
    """A second Sync on leaving psycopg's pipeline cost the clock-in two more round trips."""
    statements = [("SELECT %s::int", [1]), ("SELECT %s::int", [2]), ("SELECT %s::text", ["三"])]

    assert _server_round_trips(lambda: batch.run(statements)) == 1
    assert _server_round_trips(lambda: batch.run(statements[:1])) == 1


def test_a_failing_statement_of_a_batch_raises_djangos_error_and_nothing_of_the_batch_stays():
    department = Department.objects.create(code="batch", name="一括課", short_name="一")
    table = connection.ops.quote_name(Department._meta.db_table)
    rename = (f"UPDATE {table} SET name = %s WHERE id = %s", ["改名課", department.pk])

    with pytest.raises(DataError), transaction.atomic():
        batch.run([rename, ("SELECT 1 / %s::int", [0])])
    with pytest.raises(IntegrityError), transaction.atomic():
        batch.run([rename, (f"UPDATE {table} SET code = NULL WHERE id = %s", [department.pk])])

    department.refresh_from_db()  # the connection is usable again, and the first statement was rolled back
    assert department.name == "一括課"


@pytest.mark.skipif(
    not batch.prepares_statements(), reason="DJANGO_DB_PREPARED_STATEMENTS=0: nothing is prepared"
)
def test_the_clock_ins_statements_are_prepared_on_the_connection(department):
    employees = EmployeeFactory.create_batch(7, department=department)
    for employee in employees:
        client = APIClient()
        client.credentials(
            HTTP_AUTHORIZATION=f"Token {AccessToken.objects.create(user=employee, name='t')[1]}"
        )
        assert (
            client.post(
                "/api/v1/attendance/clock/", {"kind": "in", "location": "office"}, format="json"
            ).status_code
            == 201
        )

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        prepared = dict(cursor.fetchall())
    uses = {
        name: next((count for sql, count in prepared.items() if marker in sql), 0)
        for name, marker in [
            ("the token", 'FROM "org_accesstoken"'),
            ("the lock", "FOR NO KEY UPDATE"),
            ("the event's insert", 'INSERT INTO "attendance_clockevent"'),
            ("the day's snapshot", 'INSERT INTO "attendance_daysummary"'),
        ]
    }
    assert all(count >= 7 for count in uses.values()), uses  # prepared at the first use, then reused
    assert not any('INSERT INTO "org_employee"' in sql for sql in prepared)  # the ORM's: Django's binding
    assert ClockEvent.objects.filter(work_date=timezone.localdate()).count() == 7
