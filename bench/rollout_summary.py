"""Rollout benchmark: the nightly adoption snapshot and the fiscal year's summary endpoint, beside the floor.

    .venv/bin/python bench/rollout_summary.py --departments 200 --employees 20000 --days 50

Builds its own PostgreSQL database (`bench_rollout`, dropped at the end unless --keep-db): 200 departments of
100 staff and 1,000,000 days of attendance (the last 50 working days up to 2026-11-27 for every employee),
about a sixth of them away from the office with an approved telework request, in departments whose propensity
goes from none (every tenth department never teleworks) to about a quarter of the days. Then it times

- the nightly snapshot (`snapshot_adoption_nightly`: October and November, the months the data cover most),
  cold (the rows written) and warm (a rerun, which writes nothing);
- `GET /api/v1/telework/rollout/summary/?fiscal_year=2026` as the secretariat (Django's test client, in
  process, DEBUG off), which reads the snapshots;
- the floor: ONE hand-written SQL aggregate that computes the same per-department figures (headcount,
  distinct teleworkers, telework days by form) for the fiscal year straight from the attendance, the
  requests and the assignment history (each person in the department of that day), with nothing else
  around it.

It checks that the API's figures equal the floor's, then prints the timings and the ratios. Today is fixed at
2026-11-27 so the run is reproducible.
"""

import argparse
import os
import secrets
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 27)
FISCAL_YEAR = 2026

FLOOR_SQL = """
WITH months AS (
    SELECT m::date AS first, (m + interval '1 month' - interval '1 day')::date AS last
    FROM generate_series(%(fy_start)s::date, %(last_month)s::date, interval '1 month') AS m
), facts AS (
    SELECT t.employee_id, coalesce(a.department_id, t.department_id) AS department_id, t.date,
           CASE WHEN d.location IN ('home', 'satellite', 'mobile') THEN d.location ELSE t.location END AS form
    FROM telework_teleworkday t
    JOIN attendance_daysummary d ON d.employee_id = t.employee_id AND d.date = t.date
    LEFT JOIN org_assignment a
      ON a.employee_id = t.employee_id AND a.start <= t.date AND (a."end" IS NULL OR a."end" >= t.date)
    WHERE t.status = 'approved' AND t.date BETWEEN %(fy_start)s AND %(last_day)s
      AND d.location IN ('home', 'satellite', 'mobile', 'mixed')
), members AS (
    SELECT a.department_id, mo.first, a.employee_id
    FROM org_assignment a
    JOIN org_employee e ON e.id = a.employee_id
    JOIN months mo ON a.start <= mo.last AND (a."end" IS NULL OR a."end" >= mo.last)
    WHERE (e.hired_on IS NULL OR e.hired_on <= mo.last) AND (e.retired_on IS NULL OR e.retired_on >= mo.last)
      AND a.department_id IS NOT NULL
    UNION
    SELECT f.department_id, date_trunc('month', f.date)::date, f.employee_id FROM facts f
), headcount AS (
    SELECT department_id, max(staff) AS headcount
    FROM (SELECT department_id, first, count(*) AS staff FROM members GROUP BY 1, 2) per_month
    GROUP BY 1
), telework AS (
    SELECT department_id, count(DISTINCT employee_id) AS teleworkers, count(*) AS days,
           count(*) FILTER (WHERE form = 'home') AS home,
           count(*) FILTER (WHERE form = 'satellite') AS satellite,
           count(*) FILTER (WHERE form = 'mobile') AS mobile
    FROM facts GROUP BY 1
)
SELECT dep.code, coalesce(h.headcount, 0), coalesce(t.teleworkers, 0), coalesce(t.days, 0),
       coalesce(round(least(coalesce(t.teleworkers, 0), h.headcount)::numeric / nullif(h.headcount, 0), 4), 0),
       coalesce(t.home, 0), coalesce(t.satellite, 0), coalesce(t.mobile, 0)
FROM org_department dep
LEFT JOIN headcount h ON h.department_id = dep.id
LEFT JOIN telework t ON t.department_id = dep.id
WHERE dep.is_active
ORDER BY dep.sort_order, dep.code
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="bench_rollout")
    parser.add_argument("--departments", type=int, default=200)
    parser.add_argument("--employees", type=int, default=20000)
    parser.add_argument("--days", type=int, default=50, help="working days of attendance per employee")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of the summary and the floor")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--smoke", action="store_true", help="a few seconds: 5 departments of 20, 5 days")
    args = parser.parse_args()
    if args.smoke:
        args.departments, args.employees, args.days, args.repeat = 5, 100, 5, 1
    return args


def setup(args: argparse.Namespace) -> None:
    """Production-like settings (DEBUG off, embedded mode) on a fresh bench database."""
    import psycopg

    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.database}"')
    os.environ.update(
        DATABASE_URL=f"{args.server}/{args.database}",
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(48),
        AUDIT_HMAC_KEY=secrets.token_urlsafe(32),
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS="testserver,localhost",
        API_THROTTLE_USER="100000000/min",
        DJANGO_LOG_LEVEL="WARNING",
        NOTIFICATION_CHANNELS="in_app",
    )
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    original = timezone.localdate
    timezone.localdate = lambda value=None, tz=None: TODAY if value is None else original(value, tz)
    call_command("migrate", verbosity=0)


def load(args: argparse.Namespace) -> int:
    """Departments, staff, attendance days and approved telework days, generated inside PostgreSQL."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from attendance.models import DaySummary
    from org.calendar import business_days_before, working_days
    from org.models import Assignment, Department, Employee, Role

    first_day = business_days_before(TODAY, args.days - 1)
    days = list(working_days(first_day, TODAY))
    assert len(days) == args.days, (len(days), args.days)
    Department.objects.bulk_create(
        Department(code=f"d{i:03d}", name=f"第{i}課", short_name=f"南富{i}", sort_order=i)
        for i in range(args.departments)
    )
    departments = list(Department.objects.order_by("sort_order").values_list("id", flat=True))
    password = make_password("bench-password")
    per_department = args.employees // args.departments
    Employee.objects.bulk_create(
        (
            Employee(
                username=f"e{n:05d}",
                name=f"職員{n}",
                password=password,
                department_id=departments[n // per_department],
                hired_on=date(2015, 4, 1),
            )
            for n in range(per_department * args.departments)
        ),
        batch_size=5000,
    )
    # each person's assignment (配属) since the hire date: the snapshot counts people where they stood that day
    Assignment.objects.bulk_create(
        (
            Assignment(employee_id=pk, start=hired_on, department_id=department_id, position=position)
            for pk, hired_on, department_id, position in Employee.objects.values_list(
                "pk", "hired_on", "department_id", "position"
            )
        ),
        batch_size=5000,
    )
    secretariat = Employee.objects.create(username="dx", name="デジタル推進係", department_id=departments[0])
    secretariat.roles.add(Role.objects.get(code="secretariat"))
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_days (day date PRIMARY KEY)")
        cursor.executemany("INSERT INTO bench_days VALUES (%s)", [(day,) for day in days])
        # Each department's propensity to telework: (sort_order % 10) × 3 % of the days, 0 for every tenth.
        # A day away is home (60 %), satellite (10 %), mobile (20 %) or mixed (10 %).
        # The columns this benchmark sets; every other column of the day snapshot gets its model default.
        columns = ["employee_id", "date", "location", "worked_minutes", "scheduled_minutes", "complete"]
        others = [
            f for f in DaySummary._meta.concrete_fields if not f.primary_key and f.column not in columns
        ]
        defaults = [f.get_db_prep_save(f.get_default(), connection) for f in others]
        cursor.execute(
            f"""
            INSERT INTO attendance_daysummary ({", ".join(columns + [f.column for f in others])})
            SELECT e.id, d.day,
                   CASE WHEN h.r < (dep.sort_order %% 10) * 3 THEN
                       CASE WHEN h.r %% 10 < 6 THEN 'home' WHEN h.r %% 10 = 6 THEN 'satellite'
                            WHEN h.r %% 10 < 9 THEN 'mobile' ELSE 'mixed' END
                   ELSE 'office' END,
                   465, 465, true, {", ".join(["%s"] * len(others))}
            FROM org_employee e
            JOIN org_department dep ON dep.id = e.department_id
            CROSS JOIN bench_days d
            CROSS JOIN LATERAL (SELECT abs(hashint8(e.id * 100003 + (d.day - date '2000-01-01'))) %% 100 AS r) h
            WHERE e.username LIKE 'e%%'
            """,
            defaults,
        )
        # One request per teleworking employee; an approved day for 95 % of the days away (the rest were taken
        # without one) and for 1 % of the office days (approved, then came in).
        cursor.execute(
            """
            INSERT INTO telework_teleworkrequest (employee_id, department_id, location, unit, work_plan, status,
                warnings, after_the_fact, approved_after_the_day, created_at)
            SELECT DISTINCT s.employee_id, e.department_id, 'home', 'day', '資料作成', 'approved', '[]'::jsonb,
                   false, false, now()
            FROM attendance_daysummary s JOIN org_employee e ON e.id = s.employee_id
            WHERE s.location <> 'office'
            """
        )
        cursor.execute(
            """
            INSERT INTO telework_teleworkday (request_id, date, employee_id, department_id, location, unit, status)
            SELECT r.id, s.date, s.employee_id, r.department_id,
                   CASE WHEN s.location IN ('home', 'satellite', 'mobile') THEN s.location ELSE 'home' END,
                   'day', 'approved'
            FROM attendance_daysummary s
            JOIN telework_teleworkrequest r ON r.employee_id = s.employee_id
            WHERE (s.location <> 'office' AND abs(hashint8(s.id)) % 100 < 95)
               OR (s.location = 'office' AND abs(hashint8(s.id)) % 100 = 0)
            """
        )
        cursor.execute("ANALYZE")
        cursor.execute("SELECT count(*) FROM attendance_daysummary")
        (attendance,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM telework_teleworkday")
        (telework_days,) = cursor.fetchone()
    print(f"loaded: {len(departments)} departments, {Employee.objects.count()} employees, ")
    print(
        f"        {attendance} attendance days ({days[0]} – {days[-1]}), {telework_days} approved telework days"
    )
    return secretariat.pk


def timed(function, repeat: int) -> tuple[float, object]:
    """Median seconds over `repeat` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    setup(args)
    from django.db import connection
    from django.test import Client

    from org.calendar import fiscal_year_start
    from org.models import Employee
    from rollout.services import adoption_snapshot
    from rollout.tasks import snapshot_adoption_nightly

    try:
        secretariat_id = load(args)
        for month in range(4, 10):  # April–September: untimed, so the fiscal year has every month
            adoption_snapshot(year=FISCAL_YEAR, month=month)

        start = time.perf_counter()
        written = snapshot_adoption_nightly()
        snapshot_cold = time.perf_counter() - start
        snapshot_warm, rewritten = timed(snapshot_adoption_nightly, 3)
        assert rewritten == 0, "a rerun of the snapshot must write nothing"

        client = Client()
        client.force_login(Employee.objects.get(pk=secretariat_id))
        url = f"/api/v1/telework/rollout/summary/?fiscal_year={FISCAL_YEAR}"
        client.get(url)  # warm-up
        queries = []
        with connection.execute_wrapper(
            lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)
        ):
            client.get(url)
        summary_time, response = timed(lambda: client.get(url), args.repeat)
        assert response.status_code == 200, response.content[:300]
        summary = response.json()

        params = {
            "fy_start": fiscal_year_start(FISCAL_YEAR),
            "last_month": date(TODAY.year, TODAY.month, 1),
            "last_day": TODAY,
        }

        def floor():
            with connection.cursor() as cursor:
                cursor.execute(FLOOR_SQL, params)
                return cursor.fetchall()

        floor()  # warm-up
        floor_time, rows = timed(floor, args.repeat)

        api_rows = [
            (
                d["code"],
                d["headcount"],
                d["teleworkers"],
                d["telework_days"],
                d["adoption_rate"],
                d["days_by_location"].get("home", 0),
                d["days_by_location"].get("satellite", 0),
                d["days_by_location"].get("mobile", 0),
            )
            for d in summary["departments"]
        ]
        floor_rows = [
            (code, hc, tw, days, float(rate), h, s, m) for code, hc, tw, days, rate, h, s, m in rows
        ]
        assert api_rows == floor_rows, f"the API and the floor disagree:\n{api_rows[:4]}\n{floor_rows[:4]}"
        implementing = sum(1 for row in floor_rows if row[3] > 0)
        assert (summary["departments_implementing"], summary["departments_total"]) == (
            implementing,
            len(rows),
        )

        print()
        print(
            f"KPI FY{FISCAL_YEAR}: {implementing} / {len(rows)} departments ({summary['implementing_rate']:.1%});"
        )
        print(f"  teleworkers {sum(r[2] for r in floor_rows)}, telework days {sum(r[3] for r in floor_rows)}")
        print("  API figures == floor figures for every department: yes")
        print()
        print(f"nightly snapshot, cold ({written} rows written)      {snapshot_cold * 1000:9.1f} ms")
        print(
            f"nightly snapshot, warm rerun (0 rows written)   {snapshot_warm * 1000:9.1f} ms  (median of 3)"
        )
        print(
            f"summary endpoint (from snapshots, {len(queries)} queries)  {summary_time * 1000:9.1f} ms"
            f"  (median of {args.repeat})"
        )
        print(
            f"floor: one SQL aggregate over the raw data     {floor_time * 1000:9.1f} ms  (median of {args.repeat})"
        )
        print()
        print(f"ratio summary endpoint / floor   {summary_time / floor_time:8.3f}")
        print(f"ratio nightly snapshot / floor   {snapshot_warm / floor_time:8.3f}  (warm)")
        print(f"ratio nightly snapshot / floor   {snapshot_cold / floor_time:8.3f}  (cold)")
        print(f"total run time {time.perf_counter() - started:.0f} s")
    finally:
        connection.close()
        if not args.keep_db:
            import psycopg

            with psycopg.connect(f"{args.server}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
