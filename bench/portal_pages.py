"""Benchmark: the portal's home page and approvals inbox page of the busy director and of their delegate.

Skips cleanly (exit 0) when the portal app is not installed or its pages do not reverse. Otherwise loads the
approvals bench's town (approvals_inbox.py's `load_town`) into its own PostgreSQL database, logs in with a
session (Django's test client, in process, DEBUG off) and times each page: the SQL queries of one request, then
the median and p95 of `--requests` requests.

    .venv/bin/python bench/portal_pages.py --employees 1000 --documents 20000 --requests 50
"""

import argparse
import statistics
import sys
import time

import approvals_inbox

PAGES = (("home", "portal:home"), ("inbox", "portal:approvals:inbox"))


class QueryCounter:
    """An execute wrapper that counts the statements one request sends (the debug cursor's log can be full)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--employees", type=int, default=1000)
    parser.add_argument("--documents", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="bench_portal")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--smoke", action="store_true", help="a few seconds: a small town, a few requests")
    args = parser.parse_args()
    if args.smoke:
        args.employees, args.documents, args.requests = 150, 800, 5

    approvals_inbox.setup_django(approvals_inbox.bench_environment(args))
    from django.apps import apps
    from django.urls import NoReverseMatch, reverse

    try:
        if not apps.is_installed("portal"):
            raise LookupError("the portal app is not installed")
        paths = {name: reverse(url_name) for name, url_name in PAGES}
    except (LookupError, NoReverseMatch) as reason:
        print(f"portal pages benchmark skipped: {reason}")
        return

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from approvals.models import Delegation
    from org.models import Employee

    approvals_inbox.recreate_database(args)
    try:
        call_command("migrate", verbosity=0, interactive=False)
        town = approvals_inbox.load_town(args)
        delegate_id = Delegation.objects.get(delegator_id=town.director_id).delegate_id
        print(f"loaded {town.counts}")
        print(f"{'page':<34}{'queries':>8}{'p50 ms':>9}{'p95 ms':>9}")
        for who, employee_id in (("busy director", town.director_id), ("their delegate", delegate_id)):
            client = Client()
            client.force_login(Employee.objects.get(pk=employee_id))
            for name, path in paths.items():
                client.get(path)  # warm caches
                executed = QueryCounter()
                with connection.execute_wrapper(executed):
                    response = client.get(path)
                if response.status_code != 200:
                    raise SystemExit(f"{path} answered {response.status_code}")
                timings = []
                for _n in range(args.requests):
                    began = time.perf_counter()
                    client.get(path)
                    timings.append((time.perf_counter() - began) * 1000)
                p95 = sorted(timings)[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
                print(
                    f"{name + ' (' + who + ')':<34}{executed.count:>8}"
                    f"{statistics.median(timings):>9.1f}{p95:>9.1f}"
                )
    finally:
        from django.db import connections

        connections.close_all()
        approvals_inbox.drop_database(args)


if __name__ == "__main__":
    sys.exit(main())
