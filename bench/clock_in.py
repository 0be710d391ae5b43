"""Benchmark: a burst of clock-ins by 5,000 distinct employees against gunicorn (2 workers) on PostgreSQL.

Prints the SQL queries of one clock-in (counted in process), then throughput and p50/p95 latency of
`POST /api/v1/attendance/clock/`, beside two floors measured in the same run under the same load: a bare Django view
(no DRF, no checks) that inserts the same row, served by the same gunicorn, and the same number of single-row
INSERTs through psycopg at the same concurrency. Then the ratios.

    .venv/bin/python bench/clock_in.py [--employees 5000] [--concurrency 16,32] [--database bench_clock]
        [--pg postgres://postgres@127.0.0.1:5432] [--profile var/clock.raw] [--smoke]

It owns the database `bench_clock` (`--database`; dropped and recreated each run) and a free port on 127.0.0.1. When gunicorn
imports this module (BENCH_CLOCK_SERVER=1) it is also the server's URL module: the project's URLs plus
`/bench/floor/clock/`.
"""

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "AUDIT_HMAC_KEY": "bench-only-audit-key",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "API_THROTTLE_USER": "1000000/min",
    "DJANGO_LOG_LEVEL": "WARNING",
}
REQUEST_TIMEOUT = 30


# --- the server side (imported by gunicorn) ---------------------------------------------------------------

if os.environ.get("BENCH_CLOCK_SERVER") == "1":
    import django
    from django.conf import settings

    settings.ROOT_URLCONF = __name__
    django.setup()

    from django.db import connection
    from django.http import JsonResponse
    from django.urls import include, path
    from django.utils import timezone
    from django.views.decorators.csrf import csrf_exempt

    from config.wsgi import application  # noqa: F401  (gunicorn serves this)

    INSERT = (
        "INSERT INTO attendance_clockevent (employee_id, kind, at, work_date, location, source, recorded_at) "
        "VALUES (%s, 'in', %s, %s, 'office', 'web', %s) RETURNING id"
    )

    @csrf_exempt
    def floor_clock(request):
        """The floor: the same row, inserted by a bare view with no authentication, checks or recomputation."""
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(INSERT, [int(request.GET["employee"]), now, timezone.localdate(now), now])
            (event_id,) = cursor.fetchone()
        return JsonResponse({"id": event_id}, status=201)

    urlpatterns = [
        path("bench/floor/clock/", floor_clock),
        path("", include("config.urls")),
    ]


# --- the driver -------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_django(database_url: str, code: str) -> str:
    env = {**os.environ, **SERVER_ENV, "DATABASE_URL": database_url}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"setup failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


SETUP = """
import django, json
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from knox.models import get_digest_token
from knox.settings import CONSTANTS, knox_settings
from org.models import AccessToken, Department, Employee
department = Department.objects.create(code="bench", name="ベンチ課", short_name="ベ")
password = make_password("bench-password-unused")
Employee.objects.bulk_create(
    Employee(username=f"bench{n:05d}", name=f"職員{n}", department=department, password=password)
    for n in range(%(count)d)
)
employees = list(Employee.objects.order_by("id").values_list("id", flat=True))
keys, expiry = [], timezone.now() + knox_settings.TOKEN_TTL
rows = []
for pk in employees:  # knox tokens: only the digest is stored, the key is printed once here
    digest, key = get_digest_token()
    keys.append((pk, key))
    rows.append(AccessToken(token_key=key[:CONSTANTS.TOKEN_KEY_LENGTH], digest=digest, user_id=pk, expiry=expiry, name="bench"))
AccessToken.objects.bulk_create(rows)
print(json.dumps(keys))
"""


# The SQL of one clock-in, and the times the worker waited for PostgreSQL (its ReadyForQuery messages in
# libpq's trace): the statements' round trips plus Django's health check, BEGIN and COMMIT.
QUERY_COUNT = """
import django, json, tempfile
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from psycopg import pq
client = Client(HTTP_AUTHORIZATION="Token %(key)s", HTTP_HOST="127.0.0.1")
connection.ensure_connection()
pgconn = connection.connection.pgconn
with tempfile.TemporaryFile("w+") as trace, CaptureQueriesContext(connection) as queries:
    pgconn.trace(trace.fileno())
    pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
    response = client.post("/api/v1/attendance/clock/", {"kind": "in", "location": "office"}, "application/json")
    pgconn.untrace()
    trace.seek(0)
    waits = sum(line.startswith("B") and "ReadyForQuery" in line for line in trace)
assert response.status_code == 201, response.content
print(json.dumps({"queries": [query["sql"] for query in queries.captured_queries], "waits": waits}))
"""


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def burst(jobs: list, concurrency: int, send) -> dict:
    """Run `send(job)` for every job from `concurrency` threads at once; wall time, latencies, failures."""
    latencies: list[float] = []
    failures: list[str] = []
    lock, cursor = threading.Lock(), iter(jobs)
    start_gate = threading.Barrier(concurrency + 1)

    def worker():
        start_gate.wait()
        while True:
            with lock:
                job = next(cursor, None)
            if job is None:
                return
            began = time.perf_counter()
            try:
                outcome = send(job)
            except Exception as error:  # a bench reports failures, it does not stop on them
                outcome = repr(error)
            elapsed = time.perf_counter() - began
            with lock:
                latencies.append(elapsed)
                if outcome is not None:
                    failures.append(str(outcome))

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    start_gate.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    return {
        "n": len(latencies),
        "wall": wall,
        "rps": len(latencies) / wall,
        "p50": percentile(latencies, 0.50) * 1000,
        "p95": percentile(latencies, 0.95) * 1000,
        "failures": failures,
        "latencies": latencies,
    }


def merged(parts: list[dict]) -> dict:
    """One result from the slices of a burst."""
    latencies = [value for part in parts for value in part["latencies"]]
    wall = sum(part["wall"] for part in parts)
    return {
        "n": len(latencies),
        "wall": wall,
        "rps": len(latencies) / wall,
        "p50": percentile(latencies, 0.50) * 1000,
        "p95": percentile(latencies, 0.95) * 1000,
        "failures": [failure for part in parts for failure in part["failures"]],
        "latencies": latencies,
    }


def http_post(port: int, path: str, headers: dict, body: bytes, expect: int = 201) -> str | None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request("POST", path, body=body, headers={"Content-Type": "application/json", **headers})
        response = conn.getresponse()
        payload = response.read()
        return None if response.status == expect else f"{response.status} {payload[:200]!r}"
    finally:
        conn.close()


def wait_until_up(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not come up")


def report(name: str, result: dict) -> None:
    failed = len(result["failures"])
    print(
        f"{name:<34} {result['n']:>6} req  {result['wall']:7.2f} s  {result['rps']:8.1f} req/s  "
        f"p50 {result['p50']:7.2f} ms  p95 {result['p95']:7.2f} ms  failures {failed}"
    )
    if failed:
        print(f"    first failure: {result['failures'][0]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=5000, help="distinct employees per burst")
    parser.add_argument(
        "--concurrency", default="16,32", help="client threads; a comma list runs one burst each"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="bench_clock")
    parser.add_argument("--rounds", type=int, default=4, help="slices of each burst, API and floor in turn")
    parser.add_argument("--profile", help="py-spy the workers during the API bursts into this raw file")
    parser.add_argument(
        "--on-cpu", action="store_true", help="profile only the samples on the CPU (no waits)"
    )
    parser.add_argument("--smoke", action="store_true", help="a few seconds: 200 employees, 4 clients")
    args = parser.parse_args()
    if args.smoke:
        args.employees, args.concurrency, args.rounds = 200, "4", 1
    levels = [int(level) for level in args.concurrency.split(",")]
    db_name = args.database

    import psycopg
    from profiling import CpuAccount, merge_profiles, print_profile, sampled

    admin_url = f"{args.pg}/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {db_name}")
    database_url = f"{args.pg}/{db_name}"
    warmup = 50
    count = args.employees * len(levels) + warmup + 1
    print(f"setting up {db_name}: migrate, {count} employees and tokens ...", flush=True)
    tokens = json.loads(run_django(database_url, SETUP % {"count": count}).splitlines()[-1])
    (_probe_id, probe_key), warm_tokens, tokens = tokens[0], tokens[1 : warmup + 1], tokens[warmup + 1 :]
    probe = json.loads(run_django(database_url, QUERY_COUNT % {"key": probe_key}).splitlines()[-1])
    statements = [sql for sql in probe["queries"] if sql not in {"BEGIN", "COMMIT"}]
    print(
        f"one clock-in in process: {len(statements)} SQL round trips (+ BEGIN/COMMIT); the worker waited for"
        f" PostgreSQL {probe['waits']} times (with Django's health check, BEGIN and COMMIT)",
        flush=True,
    )
    for sql in statements:
        print(f"    {' '.join(sql.split())[:150]}")

    port = free_port()
    env = {**os.environ, **SERVER_ENV, "DATABASE_URL": database_url, "BENCH_CLOCK_SERVER": "1"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "bench.clock_in",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
    )
    results = []
    try:
        wait_until_up(port, time.monotonic() + 60)
        clock_body = json.dumps({"kind": "in", "location": "office"}).encode()

        def clock(job):
            _user_id, key = job
            return http_post(port, "/api/v1/attendance/clock/", {"Authorization": f"Token {key}"}, clock_body)

        def floor(job):
            user_id, _key = job
            return http_post(port, f"/bench/floor/clock/?employee={user_id}", {}, b"")

        burst(warm_tokens, min(max(levels), warmup), clock)  # warm both workers' connections and imports
        burst(warm_tokens, min(max(levels), warmup), floor)
        for index, level in enumerate(levels):
            jobs = tokens[index * args.employees : (index + 1) * args.employees]
            print(
                f"\n{args.employees} distinct employees, {level} concurrent clients, "
                f"gunicorn {args.workers} sync workers, PostgreSQL {db_name}\n"
            )
            # in slices taken in turn, so that a change in the machine's background load falls on both alike
            slices = [jobs[n :: args.rounds] for n in range(args.rounds)]
            api_parts, view_parts = [], []
            api_cpu, view_cpu = CpuAccount(server.pid), CpuAccount(server.pid)
            for part in slices:
                profile = args.profile and f"{args.profile}.{level}.{len(api_parts)}"
                with sampled(server.pid, profile, on_cpu=args.on_cpu), api_cpu.measuring():
                    api_parts.append(burst(part, level, clock))
                with view_cpu.measuring():
                    view_parts.append(burst(part, level, floor))
            api, view = merged(api_parts), merged(view_parts)
            report("POST /api/v1/attendance/clock/", api)
            print(f"    {api_cpu.per_request(api['n'])}")
            report("floor: bare Django view INSERT", view)
            print(f"    {view_cpu.per_request(view['n'])}")
            results.append((level, api, view))
    finally:
        server.terminate()
        server.wait(timeout=30)

    local = threading.local()
    connections = []

    def insert(job):
        user_id, _key = job
        if not hasattr(local, "conn"):
            local.conn = psycopg.connect(database_url, autocommit=True)
            connections.append(local.conn)
        local.conn.execute(
            "INSERT INTO attendance_clockevent (employee_id, kind, at, work_date, location, source, recorded_at) "
            "VALUES (%s, 'in', now(), current_date, 'office', 'web', now())",
            (user_id,),
        )

    burst(warm_tokens, min(levels[-1], warmup), insert)
    raw = burst(tokens[: args.employees], levels[-1], insert)
    for conn in connections:
        conn.close()
    report(f"floor: psycopg single-row INSERT ({levels[-1]} clients)", raw)

    print()
    for level, api, view in results:
        print(
            f"ratios at {level:>2} clients  API/view throughput {api['rps'] / view['rps']:.2f}   "
            f"API/psycopg {api['rps'] / raw['rps']:.2f}   API/view p50 {api['p50'] / view['p50']:.2f}x   "
            f"API p95 {api['p95']:.1f} ms   {args.employees} clock-ins absorbed in {api['wall']:.1f} s"
        )
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")
    if args.profile:
        for level, _api, _view in results:
            merge_profiles(
                [f"{args.profile}.{level}.{n}" for n in range(args.rounds)], f"{args.profile}.{level}"
            )
            print_profile(f"{args.profile}.{level}")


if __name__ == "__main__":
    main()
