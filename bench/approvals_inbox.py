"""Benchmark: a busy director's inbox and a busy drafter's document list under concurrent load.

Creates its own PostgreSQL database, migrates, bulk-loads a town (employees, documents with their routes and
view permissions), starts gunicorn on a free loopback port, and loads four endpoints in turn with threads on
http.client: the two API pages and their floor (the same page from one hand-written SQL query in a bare
Django view, see approvals_floor.py). Prints throughput, p50/p95/p99, queries per request and the ratios.

    .venv/bin/python bench/approvals_inbox.py --employees 1000 --documents 20000 --duration 20 --concurrency 16
"""

import argparse
import json
import os
import random
import secrets
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent

API_INBOX = "/api/v1/approvals/inbox/"
API_DOCUMENTS = "/api/v1/approvals/documents/?mine=true"
FLOOR_INBOX = "/bench/floor/inbox/"
FLOOR_DOCUMENTS = "/bench/floor/documents/"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--employees", type=int, default=1000)
    parser.add_argument("--documents", type=int, default=20000)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load per endpoint")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of unmeasured load per endpoint")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=4, help="slices per endpoint, taken in turn")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL"
    )
    parser.add_argument("--database", default="bench_approvals")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database at the end")
    parser.add_argument("--reuse-db", action="store_true", help="reuse a loaded database (skip the load)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", help="py-spy each API endpoint alone afterwards, into FILE.<endpoint>")
    parser.add_argument("--smoke", action="store_true", help="a few seconds: a small town, short loads")
    args = parser.parse_args()
    if args.smoke:
        args.employees, args.documents, args.concurrency = 150, 800, 4
        args.duration, args.warmup, args.rounds = 2.0, 0.5, 1
    return args


# --- environment and database -------------------------------------------------------------------------


def bench_environment(args: argparse.Namespace) -> dict[str, str]:
    """Production-like settings (DEBUG off) on the bench database; throttling out of the way."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"{args.server}/{args.database}",
        DJANGO_SETTINGS_MODULE="approvals_bench_settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(48),
        AUDIT_HMAC_KEY=secrets.token_urlsafe(32),
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        API_THROTTLE_USER="100000000/min",
        DJANGO_LOG_LEVEL="WARNING",
        PYTHONPATH=os.pathsep.join([str(BENCH), str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    )
    env.pop("REDIS_URL", None)
    return env


def recreate_database(args: argparse.Namespace) -> None:
    import psycopg

    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.database}"')


def drop_database(args: argparse.Namespace) -> None:
    import psycopg

    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    for path in (str(ROOT), str(BENCH)):
        if path not in sys.path:
            sys.path.insert(0, path)
    import django

    django.setup()


# --- data ------------------------------------------------------------------------------------------------


@dataclass
class Town:
    director_id: int
    drafter_id: int
    director_token: str
    drafter_token: str
    delegate_token: str
    counts: dict = field(default_factory=dict)


def load_town(args: argparse.Namespace) -> Town:
    """Bulk-loads departments, employees, documents, steps, approvers and view permissions."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from approvals.models import (
        Decision,
        Delegation,
        Document,
        DocumentStatus,
        DocumentUserObjectPermission,
        Step,
        StepApprover,
        StepKind,
        StepStatus,
    )
    from org.calendar import fiscal_year, fiscal_year_end
    from org.models import AccessToken, Department, Employee, Position, Role

    rng = random.Random(args.seed)
    now = timezone.now()
    password = make_password("bench-password-not-secret")
    departments_total = max(4, args.employees // 50)

    with transaction.atomic():
        executive = Department.objects.create(code="bench-exec", name="町長室", short_name="南富町")
        departments = Department.objects.bulk_create(
            [
                Department(
                    code=f"bench{i:02d}", name=f"第{i + 1}課", short_name=f"南富{i + 1}", sort_order=i + 1
                )
                for i in range(departments_total)
            ]
        )
        people: list[Employee] = [
            Employee(username="mayor", name="町長", department=executive, position=Position.MAYOR),
            Employee(
                username="deputy_mayor", name="副町長", department=executive, position=Position.DEPUTY_MAYOR
            ),
        ]
        layout = [Position.DIRECTOR, Position.ASSISTANT_DIRECTOR, Position.CHIEF, Position.CHIEF]
        per_department = max(len(layout) + 1, (args.employees - 2) // departments_total)
        for index, department in enumerate(departments):
            for n in range(per_department):
                position = layout[n] if n < len(layout) else Position.STAFF
                people.append(
                    Employee(
                        username=f"e{index:02d}-{n:03d}",
                        name=f"職員{index:02d}-{n:03d}",
                        department=department,
                        position=position,
                    )
                )
        for person in people:
            person.password = password
            person.email = f"{person.username}@bench.example"
        people = Employee.objects.bulk_create(people, batch_size=2000)
        roles = {role.code: role for role in Role.objects.all()}
        through = Employee.roles.through
        links = [through(employee_id=p.id, role_id=roles["staff"].code) for p in people]
        links += [
            through(employee_id=p.id, role_id=roles["manager"].code)
            for p in people
            if p.position != Position.STAFF
        ]
        through.objects.bulk_create(links, batch_size=5000)

        by_department: dict[int, dict[str, list[Employee]]] = {}
        for person in people:
            slot = by_department.setdefault(person.department_id, {})
            slot.setdefault(person.position, []).append(person)
        busy_department = departments[0]
        director = by_department[busy_department.id][Position.DIRECTOR][0]
        busy_drafter = by_department[busy_department.id][Position.STAFF][0]

        # Documents: a tenth more in the busy department, a busy drafter with 2.5 % of all of them.
        statuses = (
            [DocumentStatus.IN_REVIEW] * 35
            + [DocumentStatus.APPROVED] * 45
            + [DocumentStatus.DRAFT] * 8
            + [DocumentStatus.RETURNED] * 5
            + [DocumentStatus.REJECTED] * 4
            + [DocumentStatus.WITHDRAWN] * 3
        )
        documents: list[Document] = []
        plans: list[tuple[Employee, Employee, Employee | None, str, int]] = []
        numbers: dict[tuple[int, int], int] = {}
        for n in range(args.documents):
            if n < args.documents // 40:
                drafter = busy_drafter
            else:
                department = busy_department if rng.random() < 0.10 else rng.choice(departments)
                drafter = rng.choice(by_department[department.id][Position.STAFF])
            home = by_department[drafter.department_id]
            status = rng.choice(statuses)
            created = now - timedelta(days=rng.uniform(0, 365))
            chief = rng.choice(home[Position.CHIEF])
            consult = None
            if rng.random() < 0.10:
                other = rng.choice([d for d in departments if d.id != drafter.department_id])
                consult = by_department[other.id][Position.DIRECTOR][0]
            # half of the documents in review wait at the chief, half further on
            stage = rng.choice([1, 2]) if status == DocumentStatus.IN_REVIEW else 0
            submitted = None if status == DocumentStatus.DRAFT else created + timedelta(hours=1)
            document = Document(
                kind="general",
                title=f"起案 {n:05d} 物品購入について",
                body="本文",
                category="物品",
                amount=rng.choice([None, 30_000, 80_000]),
                retention_years=rng.choice([1, 3, 5, 10, 30, None]),
                status=status,
                drafter=drafter,
                department_id=drafter.department_id,
                round=0 if status == DocumentStatus.DRAFT else 1,
                submitted_at=submitted,
                created_at=created,
            )
            if status in (DocumentStatus.APPROVED, DocumentStatus.REJECTED):
                document.decided_at = created + timedelta(days=2)
            if status == DocumentStatus.APPROVED:
                fy = fiscal_year(timezone.localdate(document.decided_at))
                key = (drafter.department_id, fy)
                numbers[key] = numbers.get(key, 0) + 1
                department = next(d for d in departments if d.id == drafter.department_id)
                document.fiscal_year = fy
                document.number_seq = numbers[key]
                document.number = f"{department.short_name}第{numbers[key]}号"
                if document.retention_years:
                    document.disposal_date = fiscal_year_end(fy + document.retention_years)
            documents.append(document)
            plans.append((drafter, chief, consult, status, stage))
        documents = Document.objects.bulk_create(documents, batch_size=2000)

        steps: list[Step] = []
        step_people: list[list[Employee]] = []
        for document, (drafter, chief, consult, status, stage) in zip(documents, plans, strict=True):
            if status == DocumentStatus.DRAFT:
                continue
            route = [(StepKind.REVIEW, chief)]
            if consult is not None:
                route.append((StepKind.CONSULT, consult))
            route.append((StepKind.FINAL, by_department[drafter.department_id][Position.DIRECTOR][0]))
            waiting_at = {1: 1, 2: len(route)}.get(stage) if status == DocumentStatus.IN_REVIEW else None
            for order, (kind, approver) in enumerate(route, start=1):
                if status == DocumentStatus.APPROVED or (waiting_at and order < waiting_at):
                    step_status = StepStatus.APPROVED
                elif waiting_at == order:
                    step_status = StepStatus.WAITING
                elif status == DocumentStatus.REJECTED and order == len(route):
                    step_status = StepStatus.REJECTED
                elif status == DocumentStatus.RETURNED and order == 1:
                    step_status = StepStatus.RETURNED
                elif status in (DocumentStatus.REJECTED,) and order < len(route):
                    step_status = StepStatus.APPROVED
                else:
                    step_status = StepStatus.PENDING
                opened = (
                    document.submitted_at + timedelta(minutes=order)
                    if step_status != StepStatus.PENDING
                    else None
                )
                steps.append(
                    Step(
                        document=document,
                        round=1,
                        order=order,
                        kind=kind,
                        status=step_status,
                        opened_at=opened,
                        decided_at=opened + timedelta(hours=1)
                        if step_status not in (StepStatus.WAITING, StepStatus.PENDING)
                        else None,
                    )
                )
                step_people.append([approver])
            if waiting_at:
                document.current_step_order = waiting_at
        Document.objects.bulk_update(
            [d for d in documents if d.current_step_order], ["current_step_order"], batch_size=2000
        )
        steps = Step.objects.bulk_create(steps, batch_size=2000)
        decisions = {
            StepStatus.APPROVED: Decision.APPROVED,
            StepStatus.REJECTED: Decision.REJECTED,
            StepStatus.RETURNED: Decision.RETURNED,
        }
        approvers = []
        for step, (approver,) in zip(steps, step_people, strict=True):
            decision = decisions.get(step.status, Decision.PENDING)
            decided = decision != Decision.PENDING
            approvers.append(
                StepApprover(
                    step=step,
                    approver=approver,
                    decision=decision,
                    decided_by=approver if decided else None,
                    acted_as="self" if decided else "",
                    decided_at=step.decided_at,
                )
            )
        StepApprover.objects.bulk_create(approvers, batch_size=5000)

        permission = Permission.objects.get(
            content_type=ContentType.objects.get_for_model(Document), codename="view_document"
        )
        seen: set[tuple[int, int]] = {(d.id, d.drafter_id) for d in documents}
        seen |= {(step.document_id, people_[0].id) for step, people_ in zip(steps, step_people, strict=True)}
        DocumentUserObjectPermission.objects.bulk_create(
            [
                DocumentUserObjectPermission(content_object_id=doc_id, user_id=user_id, permission=permission)
                for doc_id, user_id in seen
            ],
            batch_size=5000,
        )
        # 委任: the busy director's 課長補佐 decides for them today, every kind
        delegate = by_department[busy_department.id][Position.ASSISTANT_DIRECTOR][0]
        today = timezone.localdate()
        Delegation.objects.create(
            delegator=director, delegate=delegate, start=today, end=today + timedelta(days=30), kinds=[]
        )
        director_token = AccessToken.objects.create(user=director, name="bench")[1]
        drafter_token = AccessToken.objects.create(user=busy_drafter, name="bench")[1]
        delegate_token = AccessToken.objects.create(user=delegate, name="bench")[1]
    with transaction.atomic():
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Town(
        director_id=director.id,
        drafter_id=busy_drafter.id,
        director_token=director_token,
        drafter_token=drafter_token,
        delegate_token=delegate_token,
        counts={
            "departments": len(departments) + 1,
            "employees": len(people),
            "documents": len(documents),
            "steps": len(steps),
            "view_permissions": len(seen),
        },
    )


def existing_town() -> Town:
    from approvals.models import Document
    from org.models import AccessToken, Employee, Position

    director = Employee.objects.filter(department__code="bench00", position=Position.DIRECTOR).order_by("id")[
        0
    ]
    drafter = Employee.objects.filter(department__code="bench00", position=Position.STAFF).order_by("id")[0]
    delegate = Employee.objects.filter(
        department__code="bench00", position=Position.ASSISTANT_DIRECTOR
    ).order_by("id")[0]
    return Town(
        director_id=director.id,
        drafter_id=drafter.id,
        director_token=AccessToken.objects.create(user=director, name="bench")[1],
        drafter_token=AccessToken.objects.create(user=drafter, name="bench")[1],
        delegate_token=AccessToken.objects.create(user=delegate, name="bench")[1],
        counts={"employees": Employee.objects.count(), "documents": Document.objects.count()},
    )


# --- in-process checks: same page, query counts ----------------------------------------------------------


def _normalised(body: bytes) -> dict:
    data = json.loads(body)
    for name in ("next", "previous"):
        if data.get(name):
            parts = urlsplit(data[name])
            data[name] = urlunsplit(("", "", "", parts.query, ""))
    return data


def scenarios(town: Town) -> list[tuple[str, str, str, str]]:
    """(key, name, path, token) of each endpoint loaded, an API page then its floor."""
    return [
        ("inbox", "inbox (busy director)", API_INBOX, town.director_token),
        ("inbox_floor", "inbox floor (1 SQL query)", FLOOR_INBOX, town.director_token),
        ("delegate", "inbox (the director's delegate)", API_INBOX, town.delegate_token),
        ("delegate_floor", "delegate's inbox floor (1 SQL query)", FLOOR_INBOX, town.delegate_token),
        ("documents", "documents?mine=true (busy drafter)", API_DOCUMENTS, town.drafter_token),
        ("documents_floor", "documents floor (1 SQL query)", FLOOR_DOCUMENTS, town.drafter_token),
    ]


PAIRS = (("inbox", "inbox"), ("delegate", "delegate inbox"), ("documents", "document list"))


def check_pages(town: Town) -> dict[str, int]:
    """Each API page equals its floor page (so the comparison is fair); returns queries per request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    queries: dict[str, int] = {}
    pages: dict[str, dict] = {}
    for key, _name, path, token in scenarios(town):
        client = Client(HTTP_AUTHORIZATION=f"Token {token}")
        client.get(path)  # warm caches (content types, permissions)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}: {response.content[:300]!r}")
        queries[key] = len(captured.captured_queries)
        pages[key] = _normalised(response.content)
    for api, _label in PAIRS:
        a, f = pages[api], pages[f"{api}_floor"]
        a_next = (a["next"] or "").replace("mine=true&", "").replace("&mine=true", "")
        if (a["count"], a["results"], bool(a_next)) != (f["count"], f["results"], bool(f["next"])):
            raise SystemExit(f"{api} and its floor do not return the same page: {a['count']} vs {f['count']}")
    print(
        f"pages checked: inbox {pages['inbox']['count']} items (page of {len(pages['inbox']['results'])}), "
        f"the delegate's {pages['delegate']['count']}, documents {pages['documents']['count']} "
        f"(page of {len(pages['documents']['results'])}); API page == floor page"
    )
    return queries


# --- gunicorn and load ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--log-level",
        "warning",
        "--timeout",
        "60",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}")
        try:
            conn = HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 30 s")


@dataclass
class Result:
    name: str
    latencies: list[float]
    errors: int
    seconds: float

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def load(port: int, path: str, token: str, *, seconds: float, concurrency: int) -> tuple[list[float], int]:
    stop = time.monotonic() + seconds
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}

    def worker(index: int) -> None:
        mine = latencies[index]
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                conn = HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status == 200:
                    mine.append(time.perf_counter() - started)
                else:
                    errors[index] += 1
            except OSError:
                errors[index] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [value for chunk in latencies for value in chunk], sum(errors)


def run_scenarios(
    loads: list[tuple[str, str, str, str]], port: int, args: argparse.Namespace
) -> dict[str, Result]:
    """Warm each endpoint up, then load them in turn in `rounds` slices, so that a change in the machine's
    background load touches the API and its floor alike."""
    results = {key: Result(name, [], 0, 0.0) for key, name, _path, _token in loads}
    for _key, _name, path, token in loads:
        load(port, path, token, seconds=args.warmup, concurrency=args.concurrency)
    for _round in range(args.rounds):
        for key, _name, path, token in loads:
            started = time.monotonic()
            latencies, errors = load(
                port, path, token, seconds=args.duration / args.rounds, concurrency=args.concurrency
            )
            result = results[key]
            result.latencies += latencies
            result.errors += errors
            result.seconds += time.monotonic() - started
    return results


def report(results: dict[str, Result], queries: dict[str, int], args: argparse.Namespace, town: Town) -> None:
    print()
    print(
        f"approvals inbox benchmark: {town.counts}, gunicorn {args.workers} sync workers, "
        f"{args.concurrency} client threads, {args.duration:g} s per endpoint in {args.rounds} slices, "
        f"{os.cpu_count()} CPUs"
    )
    header = f"{'endpoint':<40}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}{'queries':>9}"
    print(header)
    print("-" * len(header))
    for key, result in results.items():
        print(
            f"{result.name:<40}{result.throughput:>9.1f}{result.percentile(50):>9.1f}"
            f"{result.percentile(95):>9.1f}{result.percentile(99):>9.1f}{result.errors:>8}{queries[key]:>9}"
        )
    print()
    for api, label in PAIRS:
        a, f = results[api], results[f"{api}_floor"]
        print(
            f"{label:<15} API/floor: throughput {a.throughput / f.throughput:.2f}x, "
            f"p50 {a.percentile(50) / f.percentile(50):.2f}x, p95 {a.percentile(95) / f.percentile(95):.2f}x, "
            f"queries {queries[api]} vs {queries[f'{api}_floor']}"
        )
    print("(throughput ratio below 1 = the API serves that fraction of the floor's requests per second)")


def profile(server: subprocess.Popen, port: int, town: Town, args: argparse.Namespace) -> None:
    """Each API endpoint alone for `duration` / 2 seconds under py-spy; the summaries."""
    from profiling import print_profile, sampled

    for key, _name, path, token in scenarios(town):
        if key.endswith("_floor"):
            continue
        with sampled(server.pid, f"{args.profile}.{key}"):
            load(port, path, token, seconds=max(2.0, args.duration / 2), concurrency=args.concurrency)
        print_profile(f"{args.profile}.{key}")


def main() -> None:
    args = parse_args()
    env = bench_environment(args)
    began = time.monotonic()
    if not args.reuse_db:
        recreate_database(args)
    server = None
    try:
        setup_django(env)
        from django.core.management import call_command

        if args.reuse_db:
            town = existing_town()
        else:
            call_command("migrate", verbosity=0, interactive=False)
            loading = time.monotonic()
            town = load_town(args)
            print(f"loaded {town.counts} in {time.monotonic() - loading:.1f} s")
        queries = check_pages(town)
        from django.db import connections

        connections.close_all()
        port = free_port()
        server = start_gunicorn(env, port, args.workers)
        load_before = os.getloadavg()[0]
        results = run_scenarios(scenarios(town), port, args)
        report(results, queries, args, town)
        print(f"machine load average (1 min): {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
        if args.profile:
            profile(server, port, town, args)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        if not args.keep_db:
            from django.db import connections

            connections.close_all()
            drop_database(args)
        print(f"total {time.monotonic() - began:.0f} s")


if __name__ == "__main__":
    main()
