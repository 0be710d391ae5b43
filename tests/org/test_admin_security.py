"""Nobody gains rights through the admin: it changes employees through `org.services` (one guard with the API), so
HR can neither make anyone a superuser, grant `admin`, groups or permissions, nor set an administrator's password;
an administrator can, audited."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from core.errors import DomainError
from org import services
from org.models import AccessToken, Employee, Role, SecurityEvent
from tests.factories import DepartmentFactory, EmployeeFactory

NEW_PASSWORD = "Minami-furano-river-2026"


@pytest.fixture
def somu(db):
    return DepartmentFactory(code="somu", name="総務課", short_name="南富総")


@pytest.fixture
def hr(somu):
    return services.employee_create(actor=None, username="hr", name="人事", department=somu, roles=["hr"])


@pytest.fixture
def root(db):
    return Employee.objects.create_superuser("root", "root@example.jp", "Root-password-2026")


@pytest.fixture
def plain(somu):
    return EmployeeFactory(username="tanaka", name="田中", department=somu)


def as_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change_form_data(client, employee, **overrides) -> dict:
    """The change form of `employee` as the page shows it, with `overrides`."""
    form = client.get(f"/admin/org/employee/{employee.pk}/change/").context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if field.disabled or name == "password":
            continue
        value = form.initial.get(name)
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif hasattr(value, "pk"):
            data[name] = value.pk
        else:
            data[name] = value
    data.pop("date_joined", None)
    data.pop("last_login", None)
    return {**data, **overrides}


def privileges(employee) -> tuple:
    fresh = Employee.objects.get(pk=employee.pk)
    return (
        fresh.is_superuser,
        fresh.is_staff,
        sorted(fresh.roles.values_list("code", flat=True)),
        list(fresh.groups.all()),
        list(fresh.user_permissions.all()),
    )


def test_hr_cannot_make_anyone_superuser_through_the_change_form(hr, plain):
    client = as_client(hr)
    for target in (plain, hr):
        before = privileges(target)
        data = change_form_data(client, target, is_superuser="on", is_staff="on")
        data["user_permissions"] = [Permission.objects.get(codename="change_employee").pk]
        data["groups"] = [Group.objects.create(name=f"g-{target.pk}").pk]

        response = client.post(f"/admin/org/employee/{target.pk}/change/", data)

        assert response.status_code == 302, (
            getattr(response, "context", None) and response.context["adminform"].form.errors
        )
        assert privileges(target) == before
    assert not SecurityEvent.objects.filter(action="privileges_changed", actor=hr).exists()


def test_the_privilege_fields_are_read_only_for_hr(hr, plain):
    response = as_client(hr).get(f"/admin/org/employee/{plain.pk}/change/")
    html = response.content.decode()
    for field in ("is_superuser", "groups", "user_permissions", "is_staff", "is_active"):
        assert f'name="{field}"' not in html
    assert 'name="roles"' in html
    assert f'value="{Role.objects.get(code="admin").pk}"' not in html  # the admin role is not offered


def test_hr_cannot_grant_the_admin_role_through_the_form(hr, plain):
    client = as_client(hr)
    before = privileges(plain)
    data = change_form_data(client, plain, roles=[Role.objects.get(code="admin").pk])

    response = client.post(f"/admin/org/employee/{plain.pk}/change/", data)

    assert response.status_code == 200  # the form refuses the choice
    assert privileges(plain) == before


def test_hr_opens_an_administrators_record_read_only_and_cannot_change_it(hr, root):
    client = as_client(hr)
    before = (privileges(root), Employee.objects.get(pk=root.pk).name)

    assert client.get(f"/admin/org/employee/{root.pk}/change/").status_code == 200
    response = client.post(f"/admin/org/employee/{root.pk}/change/", {"name": "乗っ取り", "username": "root"})

    assert response.status_code == 403
    assert (privileges(root), Employee.objects.get(pk=root.pk).name) == before


def test_hr_cannot_set_the_superusers_password_in_the_admin(hr, root):
    client = as_client(hr)
    before = Employee.objects.get(pk=root.pk).password

    assert client.get(f"/admin/org/employee/{root.pk}/password/").status_code == 403
    response = client.post(
        f"/admin/org/employee/{root.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 403
    assert Employee.objects.get(pk=root.pk).password == before
    assert not SecurityEvent.objects.filter(action="password_reset").exists()


def test_hr_sets_a_staff_password_in_the_admin_through_the_reset_service(hr, plain):
    AccessToken.objects.create(user=plain)
    response = as_client(hr).post(
        f"/admin/org/employee/{plain.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 302
    assert Employee.objects.get(pk=plain.pk).check_password(NEW_PASSWORD)
    event = SecurityEvent.objects.get(action="password_reset")
    assert (event.actor, event.subject) == (hr, plain)
    assert not AccessToken.objects.filter(user=plain).exists()


def test_the_admin_password_page_applies_the_towns_policy(hr, plain):
    before = Employee.objects.get(pk=plain.pk).password
    response = as_client(hr).post(
        f"/admin/org/employee/{plain.pk}/password/",
        {"password1": "short-pw", "password2": "short-pw", "usable_password": "true"},
    )
    assert response.status_code == 200
    assert Employee.objects.get(pk=plain.pk).password == before


def test_an_administrator_grants_superuser_in_the_admin_audited(root, plain):
    client = as_client(root)
    data = change_form_data(client, plain, is_superuser="on")

    response = client.post(f"/admin/org/employee/{plain.pk}/change/", data)

    assert response.status_code == 302
    fresh = Employee.objects.get(pk=plain.pk)
    assert (fresh.is_superuser, fresh.is_staff) == (True, True)
    event = SecurityEvent.objects.get(action="privileges_changed")
    assert event.actor == root
    assert (event.data["before"]["is_superuser"], event.data["after"]["is_superuser"]) == (False, True)


def test_a_role_given_in_the_admin_is_a_security_event_through_the_service(hr, plain):
    client = as_client(hr)
    data = change_form_data(client, plain, roles=[Role.objects.get(code="secretariat").pk])

    assert client.post(f"/admin/org/employee/{plain.pk}/change/", data).status_code == 302

    assert sorted(Employee.objects.get(pk=plain.pk).roles.values_list("code", flat=True)) == [
        "secretariat",
        "staff",
    ]
    event = SecurityEvent.objects.get(action="privileges_changed", actor=hr)
    assert (event.subject, event.data["after"]["is_staff"]) == (plain, True)


def test_a_refusal_of_the_service_is_a_message_and_saves_nothing(hr, plain):
    # 係長 and above hold `manager`; asking for it on a 主事 is refused by the service's rule
    client = as_client(hr)
    before = privileges(plain)
    data = change_form_data(client, plain, roles=[Role.objects.get(code="manager").pk], name="新しい名前")

    response = client.post(f"/admin/org/employee/{plain.pk}/change/", data, follow=True)

    assert "係長以上" in response.content.decode()
    assert privileges(plain) == before
    assert Employee.objects.get(pk=plain.pk).name == "田中"


@pytest.mark.parametrize(
    "change",
    [
        {"is_superuser": True},
        {"groups": "group"},
        {"user_permissions": "permission"},
        {"roles": ["admin"]},
    ],
)
def test_the_service_guard_refuses_hr_every_privilege(hr, plain, change):
    value = next(iter(change.values()))
    if value == "group":
        change = {"groups": [Group.objects.create(name="g")]}
    elif value == "permission":
        change = {"user_permissions": [Permission.objects.get(codename="change_employee")]}
    before = privileges(plain)

    with pytest.raises(DomainError) as refused:
        services.employee_update(actor=hr, employee=plain, **change)

    assert (refused.value.status_code, refused.value.code) == (403, "admin_only")
    assert privileges(plain) == before


def test_an_employee_is_deactivated_in_the_admin_never_deleted(hr, plain):
    client = as_client(hr)
    response = client.post(
        "/admin/org/employee/",
        {"action": "deactivate", "_selected_action": [plain.pk]},
    )
    assert response.status_code == 302
    assert Employee.objects.get(pk=plain.pk).is_active is False
    assert client.post(f"/admin/org/employee/{plain.pk}/delete/", {"post": "yes"}).status_code == 403
