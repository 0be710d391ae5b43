"""Lock order on PostgreSQL: a decision on X's application and X's own new filing, forced to interleave, never
deadlock (domain rows first, the audit chain head last: approvals/services.py).

The first transaction stops at a hook after its first row lock and waits there until the second one is blocked
by it or has finished. With the head taken before the kind's handler (the old order) the two then wait for each
other and PostgreSQL aborts one with `deadlock detected`; so it does when the employee's row is locked FOR
UPDATE, which a committing decision's foreign-key check (FOR KEY SHARE) on that employee has to wait for.
"""

import threading
from datetime import date, datetime, time
from functools import partial

import pytest
from django.db import connection

from approvals import audit
from approvals import services as approvals
from approvals.models import DocumentStatus
from approvals.models_record import AuditEvent
from attendance import services as attendance
from attendance.models import CorrectionRequest, CorrectionStatus, MonthClosing, MonthStatus
from org.errors import DomainError
from telework import services as telework
from telework.models import RequestStatus, TeleworkRequest
from tests.telework.town import MONDAY, TOKYO, Clock, build_town, postgres_only

pytestmark = [pytest.mark.postgres, postgres_only, pytest.mark.django_db(transaction=True)]

FRIDAY, THURSDAY, TUESDAY = date(2026, 11, 13), date(2026, 11, 12), date(2026, 11, 17)
WAIT_SECONDS = 30


def event(day: date, hh: int, mm: int, kind: str) -> dict:
    return {"kind": kind, "at": datetime.combine(day, time(hh, mm), tzinfo=TOKYO), "location": "office"}


def file_correction(employee, day: date) -> CorrectionRequest:
    return attendance.correction_request(
        employee=employee,
        day=day,
        events=[event(day, 8, 30, "in"), event(day, 17, 15, "out")],
        reason="打刻忘れ",
    )


def file_telework(employee) -> TeleworkRequest:
    return telework.telework_request_create(
        employee=employee, dates=[TUESDAY], location="home", work_plan="資料作成"
    )


# What X files, and the hook that follows its first row lock (X's employee row).
FILINGS = {
    "correction": (lambda x: file_correction(x, THURSDAY), attendance, "_lock_employee"),
    "timesheet": (
        lambda x: attendance.timesheet_submit(employee=x, month=MONDAY),
        attendance,
        "_lock_employee",
    ),
    "telework": (file_telework, telework, "rule_context"),
}


def filed(kind: str, employee) -> str:
    if kind == "correction":
        return CorrectionRequest.objects.get(employee=employee, date=THURSDAY).status
    if kind == "timesheet":
        return MonthClosing.objects.get(employee=employee, month=date(2026, 11, 1)).status
    return TeleworkRequest.objects.get(employee=employee, days__date=TUESDAY).status


class Interleaving:
    """Runs `first` until its hook, then `second`; the hook holds `first` until `second` is blocked by it (seen in
    pg_blocking_pids) or has finished. Each call's outcome: "ok", a domain error's code, or the exception."""

    def __init__(self):
        self.barrier = threading.Barrier(2)
        self.pids: dict[str, int] = {}
        self.finished = {"first": threading.Event(), "second": threading.Event()}
        self.hooked = False
        self.outcomes: dict[str, str] = {}

    def hook(self, original, *, before: bool = False):
        """`original` wrapped: in `first`, once, it stops after the call (or `before` it)."""

        def stop() -> None:
            if threading.current_thread().name == "first" and not self.hooked:
                self.hooked = True
                self.barrier.wait(WAIT_SECONDS)
                self._hold_until_second_waits_or_ends()

        def wrapper(*args, **kwargs):
            if before:
                stop()
            result = original(*args, **kwargs)
            stop()
            return result

        return wrapper

    def _hold_until_second_waits_or_ends(self) -> None:
        second = self.finished["second"]
        for _poll in range(WAIT_SECONDS * 100):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT %s = ANY(pg_blocking_pids(%s))", [self.pids["first"], self.pids["second"]]
                )
                if cursor.fetchone()[0]:
                    return
            if second.wait(0.01):
                return
        raise AssertionError("the second transaction neither waited for the first nor finished")

    def _run(self, name: str, call) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pids[name] = cursor.fetchone()[0]
            if name == "second":
                self.barrier.wait(WAIT_SECONDS)  # the first one stands at its hook
            call()
            self.outcomes[name] = "ok"
        except DomainError as error:
            self.outcomes[name] = error.code
        except Exception as error:  # the outcome under test, e.g. OperationalError (deadlock detected)
            self.outcomes[name] = f"{type(error).__name__}: {error}"
        finally:
            self.finished[name].set()
            connection.close()

    def run(self, first, second) -> dict[str, str]:
        threads = [
            threading.Thread(target=self._run, args=(name, call), name=name)
            for name, call in (("first", first), ("second", second))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return self.outcomes


def correction_waiting_for_the_director(town):
    x = town.staff[0]
    correction = file_correction(x, FRIDAY)
    return x, correction.document, lambda: CorrectionRequest.objects.get(pk=correction.pk).status


def telework_waiting_for_the_director(town):
    x = town.staff[0]
    request = file_telework(x)
    approvals.document_approve(document=request.document, actor=town.chief)
    return x, request.document, lambda: TeleworkRequest.objects.get(pk=request.pk).status


DECISIONS = {
    "correction": (correction_waiting_for_the_director, CorrectionStatus.APPROVED),
    "telework": (telework_waiting_for_the_director, RequestStatus.APPROVED),
}


@pytest.mark.parametrize(
    ("decided", "filing", "first"),
    [
        ("correction", "correction", "filer"),
        ("correction", "correction", "approver"),
        ("correction", "timesheet", "filer"),
        ("correction", "timesheet", "approver"),
        ("correction", "telework", "filer"),
        ("correction", "telework", "approver"),
        ("telework", "correction", "filer"),
        ("telework", "timesheet", "filer"),
    ],
)
def test_a_decision_and_the_applicants_new_filing_both_commit(monkeypatch, decided, filing, first):
    # given X's application waiting for the director's final decision
    Clock(monkeypatch)
    town = build_town()
    prepare, approved_status = DECISIONS[decided]
    x, document, decided_status = prepare(town)
    file, module, hooked_name = FILINGS[filing]
    interleaving = Interleaving()
    if first == "filer":
        monkeypatch.setattr(module, hooked_name, interleaving.hook(getattr(module, hooked_name)))
    else:
        # the decision stops where the kind's handler is about to lock X's rows
        monkeypatch.setattr(approvals, "_run_handler", interleaving.hook(approvals._run_handler, before=True))
    decide = partial(approvals.document_approve, document=document, actor=town.director)
    apply = partial(file, x)

    # when the director decides while X files, the first one holding its first lock until the other waits
    calls = (apply, decide) if first == "filer" else (decide, apply)
    outcomes = interleaving.run(*calls)

    # then both commit, and the audit chain is whole
    assert interleaving.hooked
    assert outcomes == {"first": "ok", "second": "ok"}
    document.refresh_from_db()
    assert document.status == DocumentStatus.APPROVED
    assert decided_status() == approved_status
    assert filed(filing, x) == MonthStatus.SUBMITTED
    status = audit.verify_chain()
    assert status.valid, status
    assert status.checked == AuditEvent.objects.count()
