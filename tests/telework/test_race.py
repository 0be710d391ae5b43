"""The counter (窓口) under concurrency: two final approvals for the same day cannot together break the minimum.

Only the handler's DepartmentDay lock serialises them (the audit head is taken last, the number counter after the
handler): both decisions are held at the handler's door until both are there, so without that lock both re-checks
run side by side and both approve (checked by removing the lock: the test fails).
"""

import threading
from datetime import date

import pytest
from django.db import connection

from approvals import services as approvals
from approvals.models import DocumentStatus
from core.errors import DomainError
from telework import services
from telework.models import RequestStatus, TeleworkRequest
from tests.telework.town import build_town, postgres_only

TUE = date(2026, 11, 17)


def apply(employee):
    return services.telework_request_create(employee=employee, dates=[TUE], location="home", work_plan="x")


@postgres_only
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_final_approvals_leave_the_counter_minimum(clock, monkeypatch):
    # given 7 staff, a minimum of 4 in the office and two teleworkers approved: room for one more
    town = build_town()
    for person in town.staff[:2]:
        request = apply(person)
        for approver in (town.chief, town.director):
            approvals.document_approve(document=request.document, actor=approver)
    contenders = [apply(person) for person in town.staff[2:4]]
    for request in contenders:
        approvals.document_approve(document=request.document, actor=town.chief)

    # when the director decides both at the same moment from two sessions, both reaching the handler's lock
    barrier, at_the_lock = threading.Barrier(2), threading.Barrier(2)
    ensure_days = services._ensure_department_days

    def meet_at_the_lock(department_id, dates):
        at_the_lock.wait(timeout=10)
        ensure_days(department_id, dates)

    monkeypatch.setattr(services, "_ensure_department_days", meet_at_the_lock)
    outcomes: dict[int, str] = {}

    def decide(request: TeleworkRequest) -> None:
        try:
            barrier.wait()
            approvals.document_approve(document=request.document, actor=town.director)
            outcomes[request.pk] = "approved"
        except DomainError as error:
            outcomes[request.pk] = error.code
        except threading.BrokenBarrierError:
            outcomes[request.pk] = "serialised before the handler's lock"
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(request,)) for request in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then exactly one is approved and the other refused for the counter, its document still waiting
    assert sorted(outcomes.values()) == ["approved", "rule_violation"]
    statuses = sorted(TeleworkRequest.objects.filter(pk__in=outcomes).values_list("status", flat=True))
    assert statuses == [RequestStatus.APPROVED, RequestStatus.SUBMITTED]
    refused = TeleworkRequest.objects.get(pk__in=outcomes, status=RequestStatus.SUBMITTED)
    assert refused.document.status == DocumentStatus.IN_REVIEW
    assert TeleworkRequest.objects.filter(status=RequestStatus.APPROVED).count() == 3
