"""Lock order on PostgreSQL: a decision on X's application and X's own new filing, forced to interleave, never
deadlock (domain rows first, the audit chain head last: approvals/lock_objects.py).

The first transaction stops at a hook after its first row lock and waits there until the second one is blocked
by it or has finished. With the head taken before the kind's handler (the old order) the two then wait for each
other and PostgreSQL aborts one with `deadlock detected`; so it does when the employee's row is locked FOR
UPDATE, which a committing decision's foreign-key check (FOR KEY SHARE) on that employee has to wait for.
"""

import threading
from datetime import date, datetime, time
from functools import partial

import pytest
from django.db import connection, transaction

from approvals import audit, lock_objects, registry
from approvals import services as approvals
from approvals.models import DocumentStatus
from approvals.models_record import AuditEvent
from attendance import lock_objects as attendance_locks
from attendance import services as attendance
from attendance.models import CorrectionRequest, CorrectionStatus, MonthClosing, MonthStatus
from core.errors import Conflict, DomainError
from telework import services as telework
from telework.models import RequestStatus, TeleworkRequest
from tests.telework.town import TOKYO, Clock, build_town, postgres_only

FRIDAY, THURSDAY = date(2026, 11, 13), date(2026, 11, 12)
TUESDAY, WEDNESDAY = date(2026, 11, 17), date(2026, 11, 18)
WAIT_SECONDS = 30


def event(day: date, hh: int, mm: int, kind: str) -> dict:
    return {"kind": kind, "at": datetime.combine(day, time(hh, mm), tzinfo=TOKYO), "location": "office"}


def file_correction(employee, day: date = THURSDAY) -> CorrectionRequest:
    return attendance.correction_request(
        employee=employee,
        day=day,
        events=[event(day, 8, 30, "in"), event(day, 17, 15, "out")],
        reason="打刻忘れ",
    )


# The timesheet filed is October's: a month is submitted only once its last working day is over (issue 12).
TIMESHEET_MONTH = date(2026, 10, 1)


def file_timesheet(employee) -> MonthClosing:
    return attendance.timesheet_submit(employee=employee, month=TIMESHEET_MONTH)


def file_telework(employee, day: date = TUESDAY) -> TeleworkRequest:
    return telework.telework_request_create(
        employee=employee, dates=[day], location="home", work_plan="資料作成"
    )


# What happens meanwhile: a filing (its hook follows its first row lock, the filer's employee row) and the state
# it leaves. "telework_step" is the chief's first-step approval of another telework request of X.
OTHERS = {
    "correction": (file_correction, attendance_locks, "employee_lock"),
    "timesheet": (file_timesheet, attendance_locks, "employee_lock"),
    "telework": (file_telework, telework, "rule_context"),
}


def filed(kind: str, employee) -> str:
    if kind == "correction":
        return CorrectionRequest.objects.get(employee=employee, date=THURSDAY).status
    if kind == "timesheet":
        return MonthClosing.objects.get(employee=employee, month=TIMESHEET_MONTH).status
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


def correction_waiting_for_the_director(town, x):
    correction = file_correction(x, FRIDAY)
    return correction.document, lambda: CorrectionRequest.objects.get(pk=correction.pk).status


def telework_waiting_for_the_director(town, x):
    request = file_telework(x, WEDNESDAY)
    approvals.document_approve(document=request.document, actor=town.chief)
    return request.document, lambda: TeleworkRequest.objects.get(pk=request.pk).status


DECISIONS = {
    "correction": (correction_waiting_for_the_director, CorrectionStatus.APPROVED),
    "telework": (telework_waiting_for_the_director, RequestStatus.APPROVED),
}


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("decided", "other", "by", "first"),
    [
        # X files while the director approves X's application (the reviewer's deadlock, both ways round)
        ("correction", "correction", "x", "filer"),
        ("correction", "correction", "x", "approver"),
        ("correction", "timesheet", "x", "filer"),
        ("correction", "timesheet", "x", "approver"),
        ("correction", "telework", "x", "filer"),
        ("correction", "telework", "x", "approver"),
        ("telework", "correction", "x", "filer"),
        ("telework", "timesheet", "x", "filer"),
        # a colleague files while the director approves X's telework (their documents name the same department)
        ("telework", "correction", "colleague", "approver"),
        ("telework", "telework", "colleague", "approver"),
    ],
)
def test_a_decision_and_a_filing_in_the_same_department_both_commit(monkeypatch, decided, other, by, first):
    # given X's application waiting for the director's final decision
    Clock()
    town = build_town()
    x, filer = town.staff[0], town.staff[0] if by == "x" else town.staff[1]
    prepare, approved_status = DECISIONS[decided]
    document, decided_status = prepare(town, x)
    file, module, hooked_name = OTHERS[other]
    interleaving = Interleaving()
    if first == "filer":
        monkeypatch.setattr(module, hooked_name, interleaving.hook(getattr(module, hooked_name)))
    else:
        # the decision stops where the kind's handler is about to lock its rows (the head already held before)
        monkeypatch.setattr(registry, "run_handler", interleaving.hook(registry.run_handler, before=True))
    decide = partial(approvals.document_approve, document=document, actor=town.director)
    apply = partial(file, filer)

    # when the director decides while the filer files, the first one holding its locks until the other waits
    outcomes = interleaving.run(*((apply, decide) if first == "filer" else (decide, apply)))

    # then both commit, and the audit chain is whole
    assert interleaving.hooked
    assert outcomes == {"first": "ok", "second": "ok"}
    document.refresh_from_db()
    assert document.status == DocumentStatus.APPROVED
    assert decided_status() == approved_status
    assert filed(other, filer) == MonthStatus.SUBMITTED
    assert_chain_whole()


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_decision_holding_xs_row_and_another_step_telling_x_both_commit(monkeypatch):
    # given X's correction waiting for the director and X's telework request waiting for the chief
    Clock()
    town = build_town()
    x = town.staff[0]
    document, decided_status = correction_waiting_for_the_director(town, x)
    request = file_telework(x)
    interleaving = Interleaving()
    # the decision stops once its handler holds X's row (and the correction's)
    monkeypatch.setattr(registry, "run_handler", interleaving.hook(registry.run_handler))
    decide = partial(approvals.document_approve, document=document, actor=town.director)
    # the chief's approval notifies X: its commit checks that foreign key (FOR KEY SHARE of X's row)
    step = partial(approvals.document_approve, document=request.document, actor=town.chief)

    # when both run, the decision holding X's row until the chief's approval waits for it or ends
    outcomes = interleaving.run(decide, step)

    # then both commit, and the audit chain is whole
    assert interleaving.hooked
    assert outcomes == {"first": "ok", "second": "ok"}
    assert decided_status() == CorrectionStatus.APPROVED
    assert request.document.steps.get(order=1).status == "approved"
    assert_chain_whole()


def assert_chain_whole() -> None:
    status = audit.verify_chain()
    assert status.valid, status
    assert status.checked == AuditEvent.objects.count()


# --- the order itself, on any database ------------------------------------------------------------------------


def record_locks(monkeypatch, targets: dict[str, tuple[object, str]]) -> list[str]:
    """Each named function, when called, appends its name to the returned list."""
    taken: list[str] = []
    for name, (module, attribute) in targets.items():
        original = getattr(module, attribute)

        def wrapper(*args, _name=name, _original=original, **kwargs):
            taken.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, attribute, wrapper)
    return taken


@pytest.mark.django_db
def test_a_final_decision_locks_the_kinds_rows_then_the_counter_then_the_audit_head_once(monkeypatch):
    # given X's telework request waiting for the director
    Clock()
    town = build_town()
    document, _status = telework_waiting_for_the_director(town, town.staff[0])
    taken = record_locks(
        monkeypatch,
        {
            "department days": (telework, "_ensure_department_days"),
            "counter": (lock_objects, "number_counter_for_update"),
            "head": (lock_objects, "audit_chain_head_for_update"),
        },
    )
    before = AuditEvent.objects.count()

    # when the director decides
    approvals.document_approve(document=document, actor=town.director)

    # then the head comes last, once, and takes both events (approve, decide) in order
    assert taken == ["department days", "counter", "head"]
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True)[before:])
    assert actions == ["approve", "decide"]
    assert_chain_whole()


@pytest.mark.django_db
def test_a_filing_locks_the_employee_first_and_the_audit_head_once_at_its_end(monkeypatch):
    # given X
    Clock()
    town = build_town()
    taken = record_locks(
        monkeypatch,
        {
            "employee": (attendance_locks, "employee_lock"),
            "head": (lock_objects, "audit_chain_head_for_update"),
        },
    )

    # when X files a correction (a document created and submitted inside the filing's transaction)
    correction = file_correction(town.staff[0])

    # then the head is taken once, after the employee, for both events
    assert taken == ["employee", "head"]
    actions = list(AuditEvent.objects.filter(document=correction.document).values_list("action", flat=True))
    assert actions == ["create", "submit"]
    assert_chain_whole()


@pytest.mark.django_db
def test_a_failing_nested_batch_drops_only_its_own_events(monkeypatch):
    # given an employee
    Clock()
    town = build_town()
    actor = town.staff[0]

    def refused_service() -> None:
        with transaction.atomic(), audit.audit_batch():
            audit.audit_append(document=None, action="comment", actor=actor, data={"n": 2})
            raise Conflict(code="refused")

    # when a batch queues an event, a nested one fails after queuing another, and the outer one goes on
    with transaction.atomic(), audit.audit_batch():
        audit.audit_append(document=None, action="comment", actor=actor, data={"n": 1})
        with pytest.raises(Conflict):
            refused_service()
        audit.audit_append(document=None, action="comment", actor=actor, data={"n": 3})

    # then the chain holds the first and the third, gapless
    assert [event.data["n"] for event in AuditEvent.objects.filter(action="comment").order_by("seq")] == [
        1,
        3,
    ]
    assert_chain_whole()
