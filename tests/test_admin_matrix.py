"""The Django admin's authorisation matrix: for every model the admin shows and every role, what the role may do
(list, add, change, delete), through the real admin views; each denial also asserts that nothing changed.

A model newly registered in the admin fails `test_every_admin_model_is_in_the_matrix` until its row is added
here: nobody gets a model by default (org.backends grants nothing it does not list).
"""

from datetime import date

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory

from org import services
from org.models import Absence, ClosedDay, Department, Employee, LoginFailure, SecurityEvent
from tests.factories import DepartmentFactory, EmployeeFactory

V, A, C, D = "view", "add", "change", "delete"
ROLES = ("hr", "secretariat", "admin", "superuser")

# model → role → what the admin lets the role do (at the changelist level); a role absent from a row gets nothing.
MATRIX: dict[str, dict[str, set[str]]] = {
    "auth.group": {"admin": {V}, "superuser": {V, A, C, D}},
    "org.department": {"hr": {V}, "admin": {V, A, C}, "superuser": {V, A, C}},  # as the API: admin writes
    "org.employee": {"hr": {V, A, C}, "admin": {V, A, C}, "superuser": {V, A, C}},
    "org.absence": {"hr": {V, A, D}, "admin": {V, A, D}, "superuser": {V, A, D}},
    "org.closedday": {"hr": {V, A, C, D}, "admin": {V, A, C, D}, "superuser": {V, A, C, D}},
    "org.loginfailure": {"admin": {V, D}, "superuser": {V, D}},
    "org.securityevent": {"admin": {V}, "superuser": {V}},
    "notifications.notification": {"admin": {V}, "superuser": {V, D}},
    "notifications.delivery": {"admin": {V}, "superuser": {V, D}},
    "approvals.document": {"admin": {V}, "superuser": {V}},
    "approvals.routerule": {"admin": {V}, "superuser": {V, A, C}},
    "approvals.delegation": {"admin": {V}, "superuser": {V, A, C}},
    # the 文書規程 as data (registers, each kind's register and retention, the 文書分類表) and 職務代理者
    "approvals.register": {"admin": {V}, "superuser": {V, A, C}},
    "approvals.kindpolicy": {"admin": {V}, "superuser": {V, C}},
    "approvals.documentcategory": {"admin": {V}, "superuser": {V, A, C, D}},
    "approvals.actingappointment": {"admin": {V}, "superuser": {V, A, C, D}},
    "approvals.auditevent": {"admin": {V}, "superuser": {V}},
    # work schedules and their assignments: HR's, through attendance's services (never deleted: days name them)
    "attendance.workschedule": {"hr": {V, A, C}, "admin": {V}, "superuser": {V, A, C}},
    "attendance.scheduleassignment": {"hr": {V, A}, "admin": {V}, "superuser": {V, A}},
    # leave: HR keeps the types and the pro-rating table; grants and requests are read-only (never deleted)
    "leave.leavetype": {"hr": {V, A, C}, "admin": {V}, "superuser": {V, A, C}},
    "leave.prorationrow": {"hr": {V, A, C}, "admin": {V}, "superuser": {V, A, C}},
    "leave.annualgrant": {"hr": {V}, "admin": {V}, "superuser": {V}},
    "leave.leaverequest": {"hr": {V}, "admin": {V}, "superuser": {V}},
    # overtime orders and day swaps: filed and decided through their documents, read here
    "attendance.overtimeorder": {"hr": {V}, "admin": {V}, "superuser": {V}},
    "attendance.dayswap": {"hr": {V}, "admin": {V}, "superuser": {V}},
    "telework.teleworkpolicy": {"secretariat": {V, A, C}, "admin": {V}, "superuser": {V, A, C}},
    "telework.blackoutdate": {"secretariat": {V, A, C}, "admin": {V}, "superuser": {V, A, C, D}},
    "telework.continuityperiod": {"secretariat": {V}, "admin": {V}, "superuser": {V}},
    # requests with their work plans, and day reports: never the secretariat's or HR's
    "telework.teleworkrequest": {"admin": {V}, "superuser": {V}},
    "telework.dayreport": {"admin": {V}, "superuser": {V}},
}


def registered() -> dict[str, admin.ModelAdmin]:
    return {model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()}


@pytest.fixture
def users(db):
    somu = DepartmentFactory(code="somu", name="総務課", short_name="南富総")
    made = {
        role: services.employee_create(
            actor=None, username=f"{role}-user", name=role, department=somu, roles=[role]
        )
        for role in ("hr", "secretariat", "admin")
    }
    made["superuser"] = Employee.objects.create_superuser("root", "root@example.jp", "Root-password-2026")
    made["staff"] = EmployeeFactory(username="plain", department=somu)
    return made


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(label: str, view: str, pk=None) -> str:
    app, model = label.split(".")
    if view == "changelist":
        return f"/admin/{app}/{model}/"
    if view == "add":
        return f"/admin/{app}/{model}/add/"
    return f"/admin/{app}/{model}/{pk}/{view}/"


def test_every_admin_model_is_in_the_matrix():
    assert set(registered()) == set(MATRIX)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", sorted(MATRIX))
def test_what_each_role_may_do_with_each_admin_model(users, label, role):
    model_admin = registered()[label]
    request = RequestFactory().get("/admin/")
    request.user = Employee.objects.get(pk=users[role].pk)
    allowed = {action for action in (V, A, C, D) if getattr(model_admin, f"has_{action}_permission")(request)}
    assert allowed == MATRIX[label].get(role, set())


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", sorted(MATRIX))
def test_the_admin_pages_answer_the_matrix_and_a_refused_add_creates_nothing(users, label, role):
    client = client_for(users[role])
    expected = MATRIX[label].get(role, set())
    model = registered()[label].model
    before = model.objects.count()

    assert client.get(url(label, "changelist")).status_code == (200 if V in expected else 403)
    assert client.get(url(label, "add")).status_code == (200 if A in expected else 403)
    if A not in expected:
        assert (
            client.post(url(label, "add"), {"name": "x", "code": "x", "date": "2026-06-10"}).status_code
            == 403
        )
        assert model.objects.count() == before


def test_plain_staff_never_enter_the_admin(users):
    client = client_for(users["staff"])
    for label in MATRIX:
        response = client.get(url(label, "changelist"))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


# --- changes and deletions of rows, per role; each refusal leaves the row as it was ---------------------------


@pytest.fixture
def rows(users):
    somu = Department.objects.get(code="somu")
    employee = EmployeeFactory(username="tanaka", name="田中", department=somu)
    return {
        "org.department": somu,
        "org.employee": employee,
        "org.absence": services.absence_create(
            actor=None, employee=employee, start=date(2026, 6, 1), end=date(2026, 6, 2)
        ),
        "org.closedday": ClosedDay.objects.create(date=date(2026, 6, 10), name="記念日"),
        "org.loginfailure": LoginFailure.objects.create(username="tanaka", address="10.0.0.1", failures=3),
    }


def snapshot(row) -> dict:
    fresh = type(row).objects.filter(pk=row.pk).values().first()
    return fresh or {}


@pytest.mark.parametrize("role", ["secretariat", "hr", "admin"])
@pytest.mark.parametrize(
    "label", ["org.department", "org.employee", "org.absence", "org.closedday", "org.loginfailure"]
)
def test_a_refused_change_or_delete_of_a_row_changes_nothing(rows, users, label, role):
    row = rows[label]
    expected = MATRIX[label].get(role, set())
    client = client_for(users[role])
    before = snapshot(row)

    change_page = client.get(url(label, "change", row.pk))
    assert change_page.status_code == (200 if V in expected else 403)
    if C not in expected:
        assert client.post(url(label, "change", row.pk), {"name": "変更", "reason": "x"}).status_code == 403
        assert snapshot(row) == before
    if D not in expected:
        assert client.post(url(label, "delete", row.pk), {"post": "yes"}).status_code == 403
        assert snapshot(row) == before


def test_the_security_event_log_is_read_only_even_for_the_superuser(rows, users):
    client = client_for(users["superuser"])
    event = SecurityEvent.objects.get(action="absence_recorded")

    assert client.get(url("org.securityevent", "change", event.pk)).status_code == 200
    assert client.post(url("org.securityevent", "change", event.pk), {"action": "x"}).status_code == 403
    assert client.post(url("org.securityevent", "delete", event.pk), {"post": "yes"}).status_code == 403
    assert SecurityEvent.objects.get(pk=event.pk).action == "absence_recorded"


def test_groups_are_the_administrators(users):
    client = client_for(users["hr"])
    response = client.post("/admin/auth/group/add/", {"name": "all-powerful"})
    assert response.status_code == 403
    assert not Group.objects.exists()
    assert not Absence.objects.exists()
