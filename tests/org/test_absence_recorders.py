"""Who records an absence (不在): HR, the employee, a superior in their reporting line; never a subordinate, never
the deputy for their principal. Every absence is a security event, and a deputy may decide for a principal (代決)
only on an absence that someone else recorded."""

from datetime import date, datetime

import pytest
from rest_framework.test import APIClient

from approvals.selectors import principals_of
from attendance.worktime import LOCAL_TZ
from org import services
from org.models import Absence, SecurityEvent
from tests.clock import FrozenClock
from tests.factories import DepartmentFactory, EmployeeFactory

URL = "/api/v1/org/absences/"


@pytest.fixture
def town(db):
    somu = DepartmentFactory(code="somu", name="総務課", short_name="南富総")
    kikaku = DepartmentFactory(code="kikaku", name="企画課", short_name="南富企")
    people = {
        "mayor": EmployeeFactory(username="mayor", department=somu, position="mayor"),
        "deputy_mayor": EmployeeFactory(username="deputy_mayor", department=somu, position="deputy_mayor"),
        "director": EmployeeFactory(username="director", department=somu, position="director"),
        "chief": EmployeeFactory(username="chief", department=somu, position="chief"),
        "staff": EmployeeFactory(username="staff", department=somu),
        "other_director": EmployeeFactory(username="other_director", department=kikaku, position="director"),
        "hr": EmployeeFactory(username="hr", department=somu, roles=["hr"]),
        "hr_deputy": EmployeeFactory(username="hr_deputy", department=somu, roles=["hr"]),
        "admin": EmployeeFactory(username="admin", department=None, roles=["admin"]),
    }
    # the reporting line's deputies (代決者): the chief for the director, the deputy mayor for the mayor,
    # an HR officer for the staff member
    for principal, deputy in (("director", "chief"), ("mayor", "deputy_mayor"), ("staff", "hr_deputy")):
        services.employee_update(actor=None, employee=people[principal], deputy=people[deputy])
    return people


def record(town, who: str, whom: str):
    client = APIClient()
    client.force_authenticate(town[who])
    return client.post(
        URL,
        {"employee": town[whom].pk, "start": "2026-06-01", "end": "2026-06-03", "reason": "出張"},
        format="json",
    )


@pytest.mark.parametrize(
    ("who", "whom"),
    [
        ("director", "director"),  # self
        ("staff", "staff"),
        ("hr", "mayor"),  # HR for anyone
        ("admin", "director"),
        ("director", "staff"),  # a superior in the line
        ("chief", "staff"),
        ("deputy_mayor", "director"),
        ("mayor", "other_director"),
    ],
)
def test_who_may_record_an_absence(town, who, whom):
    response = record(town, who, whom)

    assert response.status_code == 201, response.content
    absence = Absence.objects.get()
    assert (absence.employee, absence.created_by) == (town[whom], town[who])
    event = SecurityEvent.objects.get(action="absence_recorded")
    assert (event.actor, event.subject, event.data["absence"]) == (town[who], town[whom], absence.pk)


@pytest.mark.parametrize(
    ("who", "whom"),
    [
        ("chief", "director"),  # a subordinate (and the director's deputy)
        ("chief", "mayor"),  # a 係長 cannot mark the 町長 absent
        ("staff", "chief"),  # a subordinate
        ("director", "deputy_mayor"),
        ("deputy_mayor", "mayor"),  # the deputy for their principal
        ("hr_deputy", "staff"),  # HR, but the deputy of that employee
        ("other_director", "staff"),  # another department's director
        ("staff", "hr"),  # a colleague
    ],
)
def test_who_may_not_record_an_absence_and_nothing_is_recorded(town, who, whom):
    response = record(town, who, whom)

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Absence.objects.exists()
    assert not SecurityEvent.objects.exists()


def test_a_chief_records_only_within_their_own_section(town):
    from org.models import Section

    somu = town["chief"].department
    mine = Section.objects.create(department=somu, code="jinji", name="人事係", chief=town["chief"])
    theirs = Section.objects.create(department=somu, code="dx", name="デジタル推進係")
    town["chief"] = services.employee_update(actor=None, employee=town["chief"], section=mine)
    town["staff"] = services.employee_update(actor=None, employee=town["staff"], section=theirs)

    assert record(town, "chief", "staff").status_code == 403
    assert not Absence.objects.exists()
    town["staff"] = services.employee_update(actor=None, employee=town["staff"], section=mine)
    assert record(town, "chief", "staff").status_code == 201


def test_taking_an_absence_back_is_audited(town):
    absence = services.absence_create(
        actor=town["hr"], employee=town["director"], start=date(2026, 6, 1), end=date(2026, 6, 2)
    )

    services.absence_delete(actor=town["hr"], absence=absence)

    assert not Absence.objects.exists()
    assert list(SecurityEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "absence_recorded",
        "absence_deleted",
    ]


def test_a_deputy_decides_only_on_an_absence_someone_else_recorded(town):
    # given an HR officer who recorded the director's absence, then became the director's deputy
    FrozenClock(datetime(2026, 6, 2, 10, 0, tzinfo=LOCAL_TZ))
    deputy = town["hr"]
    absence = services.absence_create(
        actor=deputy, employee=town["director"], start=date(2026, 6, 1), end=date(2026, 6, 3)
    )
    services.employee_update(actor=None, employee=town["director"], deputy=deputy)
    # then that absence does not let them act for the director (no 代決 on one's own say-so)
    assert town["director"].pk not in principals_of(user=deputy).absent
    # when the director records it themself instead
    services.absence_delete(actor=None, absence=absence)
    services.absence_create(
        actor=town["director"], employee=town["director"], start=date(2026, 6, 1), end=date(2026, 6, 3)
    )
    # then the deputy may decide for them
    assert town["director"].pk in principals_of(user=deputy).absent
