"""The Django admin of org, and `createsuperuser --noinput` from the environment."""

import pytest
from django.core.management import call_command
from django.test import Client

from org import services
from org.models import Absence, ClosedDay, Department, Employee, Role
from tests.factories import EmployeeFactory


@pytest.fixture
def superuser_client(db):
    user = Employee.objects.create_superuser("root", "root@example.jp", "Root-password-2026")
    client = Client()
    client.force_login(user)
    return client


def test_createsuperuser_noinput_reads_the_environment_and_grants_admin(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "townadmin")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Town-admin-2026!")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "admin@town.example")

    call_command("createsuperuser", interactive=False, verbosity=0)

    admin = Employee.objects.get(username="townadmin")
    assert admin.is_superuser
    assert admin.is_staff
    assert admin.email == "admin@town.example"
    assert admin.name == "townadmin"
    assert admin.check_password("Town-admin-2026!")
    assert "admin" in admin.role_codes
    assert set(admin.roles.values_list("code", flat=True)) == {"admin", "staff"}


@pytest.mark.parametrize(
    "url",
    [
        "/admin/org/department/",
        "/admin/org/department/add/",
        "/admin/org/employee/",
        "/admin/org/employee/add/",
        "/admin/org/absence/",
        "/admin/org/absence/add/",
        "/admin/org/closedday/",
        "/admin/org/closedday/add/",
    ],
)
def test_admin_pages_open(superuser_client, employee, url):
    response = superuser_client.get(url)

    assert response.status_code == 200
    assert b"<form" in response.content or b"result_list" in response.content


def test_admin_change_page_shows_the_employee_fields(superuser_client, employee):
    response = superuser_client.get(f"/admin/org/employee/{employee.pk}/change/")

    assert response.status_code == 200
    for field in (b'name="name"', b'name="department"', b'name="deputy"', b'name="roles"'):
        assert field in response.content


def test_admin_adds_an_employee_with_the_staff_role(superuser_client, department):
    response = superuser_client.post(
        "/admin/org/employee/add/",
        {
            "username": "suzuki",
            "name": "鈴木 一郎",
            "department": department.pk,
            "position": "chief",
            "usable_password": "true",
            "password1": "Suzuki-pass-2026",
            "password2": "Suzuki-pass-2026",
        },
    )

    assert response.status_code == 302
    created = Employee.objects.get(username="suzuki")
    assert created.check_password("Suzuki-pass-2026")
    assert created.role_codes == {"staff", "manager"}


def test_admin_role_edit_keeps_the_role_rule(superuser_client, employee):
    form = superuser_client.get(f"/admin/org/employee/{employee.pk}/change/").context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data |= {
        "department": employee.department_id,
        "roles": [Role.objects.get(code="hr").pk],
        "groups": [],
        "user_permissions": [],
        "date_joined_0": employee.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": "09:00:00",
        "last_login_0": "",
        "last_login_1": "",
        "deputy": "",
        "hired_on": "",
        "security_training_fy": "",
    }

    response = superuser_client.post(f"/admin/org/employee/{employee.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Employee.objects.get(pk=employee.pk).role_codes == {"staff", "hr"}


def test_admin_records_who_entered_an_absence(superuser_client, employee):
    response = superuser_client.post(
        "/admin/org/absence/add/",
        {"employee": employee.pk, "start": "2026-06-01", "end": "2026-06-02", "reason": "研修"},
    )

    assert response.status_code == 302
    absence = Absence.objects.get()
    assert absence.created_by.username == "root"


def test_admin_refuses_an_absence_ending_before_it_starts(superuser_client, employee):
    response = superuser_client.post(
        "/admin/org/absence/add/", {"employee": employee.pk, "start": "2026-06-02", "end": "2026-06-01"}
    )

    assert response.status_code == 200
    assert Absence.objects.count() == 0


def test_admin_adds_a_closed_day(superuser_client):
    response = superuser_client.post(
        "/admin/org/closedday/add/", {"date": "2026-06-10", "name": "町制施行記念日"}
    )

    assert response.status_code == 302
    assert ClosedDay.objects.get().name == "町制施行記念日"


def test_staff_without_admin_access_is_sent_to_login(db, department):
    client = Client()
    client.force_login(EmployeeFactory(department=department))

    response = client.get("/admin/org/employee/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.fixture
def role_client(department):
    def make(*roles):
        client = Client()
        user = services.employee_create(
            actor=None, username="-".join(roles), name="係員", department=department, roles=roles
        )
        client.force_login(user)
        return client

    return make


def test_hr_and_secretariat_get_admin_site_access_from_their_roles(department):
    hr = services.employee_create(
        actor=None, username="hr2", name="人事", department=department, roles=["hr"]
    )
    plain = services.employee_create(actor=None, username="plain", name="職員", department=department)

    assert hr.is_staff is True
    assert plain.is_staff is False

    services.employee_update(actor=None, employee=hr, roles=[])

    assert Employee.objects.get(pk=hr.pk).is_staff is False


def test_hr_edits_employees_in_the_admin_but_cannot_delete_them(role_client, employee):
    client = role_client("hr")

    assert client.get("/admin/org/employee/").status_code == 200
    assert client.get("/admin/org/employee/add/").status_code == 200
    assert client.get(f"/admin/org/employee/{employee.pk}/delete/").status_code == 403
    assert client.get("/admin/org/absence/add/").status_code == 200
    assert Employee.objects.filter(pk=employee.pk).exists()


def test_secretariat_cannot_open_the_organisation_in_the_admin(role_client, employee):
    # the secretariat reads no individual's record (issue 10): not even the employee list
    client = role_client("secretariat")

    assert client.get("/admin/org/employee/").status_code == 403
    assert client.get(f"/admin/org/employee/{employee.pk}/change/").status_code == 403
    assert client.get("/admin/org/employee/add/").status_code == 403
    assert (
        client.post(f"/admin/org/department/{employee.department_id}/change/", {"name": "x"}).status_code
        == 403
    )
    assert Department.objects.get(pk=employee.department_id).name == "総務課"


@pytest.mark.parametrize(
    ("roles", "perm", "allowed"),
    [
        (["hr"], "org.change_employee", True),
        (["hr"], "org.delete_employee", False),
        (["hr"], "org.delete_absence", True),
        (["hr"], "attendance.view_clockevent", True),
        (["hr"], "attendance.add_pclogevent", False),
        (["secretariat"], "telework.change_teleworkpolicy", True),
        (["secretariat"], "telework.view_teleworkrequest", False),
        (["secretariat"], "telework.view_dayreport", False),
        (["secretariat"], "org.view_absence", False),
        (["secretariat"], "org.view_employee", False),
        (["hr"], "telework.view_teleworkrequest", False),
        (["hr"], "org.view_securityevent", False),
        (["secretariat"], "org.change_employee", False),
        (["admin"], "approvals.view_document", True),
        (["admin"], "approvals.change_document", False),
        ([], "org.view_employee", False),
    ],
)
def test_role_permissions(department, roles, perm, allowed):
    user = EmployeeFactory(department=department, roles=roles)

    assert user.has_perm(perm) is allowed
