"""Races for the PostgreSQL tests: calls run in threads released together, each answering its result or the
domain error it raised."""

import threading

from django.db import connection

from approvals.models import Document
from core.errors import DomainError


def race(*calls):
    """Run the calls in threads released by one barrier; each call's result or the DomainError it raised."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except DomainError as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def outcome(results):
    """The sorted outcomes of a race of decisions: "ok" for a document, else the error's code."""
    return sorted("ok" if isinstance(r, Document) else r.code for r in results)
