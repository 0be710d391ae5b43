"""`manage.py demo`: the demo town, its idempotency, its login table and the extension point."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from org.demo import DEMO_PASSWORD, DEPARTMENTS, build_town
from org.models import Department, Employee, EmploymentType, Position, Section


@pytest.fixture(autouse=True)
def _debug(settings):
    """The demo is a development tool: it runs with DEBUG on (the refusal without it is tested below)."""
    settings.DEBUG = True


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def employee_rows():
    return sorted(
        Employee.objects.values_list(
            "username",
            "name",
            "password",
            "department__code",
            "position",
            "employment_type",
            "deputy__username",
        )
    )


@pytest.mark.django_db
def test_demo_builds_the_town():
    output = run_demo()

    assert Department.objects.count() == len(DEPARTMENTS) == 12
    staff = Employee.objects.filter(is_superuser=False)
    assert 60 <= staff.count() <= 150
    assert set(staff.values_list("position", flat=True)) == set(Position.values)
    assert set(staff.values_list("employment_type", flat=True)) == set(EmploymentType.values)
    for department in Department.objects.all():
        assert staff.filter(department=department, position=Position.DIRECTOR).count() == 1
        assert staff.filter(department=department, position=Position.CHIEF).exists()
    assert staff.get(position=Position.MAYOR).department.code == "somu"
    assert staff.get(position=Position.DEPUTY_MAYOR).department.code == "somu"
    assert staff.filter(roles__code="hr", department__code="somu").count() >= 2
    assert staff.filter(roles__code="secretariat", department__code="somu").count() >= 2
    assert "admin" in Employee.objects.get(username="admin").role_codes
    assert "Furano-demo-2026" in output
    for label in ("admin", "町長", "副町長", "課長", "係長", "主事", "hr", "secretariat"):
        assert label in output


@pytest.mark.django_db
def test_demo_deputies_follow_the_reporting_line():
    town = build_town()

    assert town.mayor.deputy == town.deputy_mayor
    assert town.deputy_mayor.deputy == town.director("somu")
    for code, *_rest in DEPARTMENTS:
        director = town.director(code)
        assert director.deputy.department_id == director.department_id
        assert director.deputy.position in {Position.ASSISTANT_DIRECTOR, Position.CHIEF}
        chief = town.chief(code)
        assert chief.deputy.position == Position.SENIOR
        assert chief.deputy.department_id == chief.department_id


@pytest.mark.django_db
def test_every_demo_account_shares_the_one_password():
    build_town()

    hashes = set(Employee.objects.values_list("password", flat=True))

    assert len(hashes) == 1
    assert Employee.objects.get(username="admin").check_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_running_the_demo_twice_changes_nothing():
    run_demo()
    before = employee_rows()
    departments = sorted(Department.objects.values_list("code", "name", "short_name"))

    output = run_demo()

    assert employee_rows() == before
    assert sorted(Department.objects.values_list("code", "name", "short_name")) == departments
    assert "(0 rows created)" in output


@pytest.mark.django_db
def test_demo_is_the_same_town_on_every_run():
    first = sorted((e.username, e.name, e.position) for e in build_town().employees.values())
    Employee.objects.all().delete()
    Section.objects.all().delete()
    Department.objects.all().delete()

    second = sorted((e.username, e.name, e.position) for e in build_town().employees.values())

    assert first == second


@pytest.mark.django_db
def test_apps_with_a_demo_module_are_loaded_after_the_town(settings):
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "tests.org.demoapp"]
    from tests.org.demoapp import demo as demoapp

    demoapp.calls.clear()

    output = run_demo()

    assert len(demoapp.calls) == 1
    assert demoapp.calls[0].director("kikaku").position == Position.DIRECTOR
    assert "demoapp: loaded" in output
    assert "テスト用" in output


@pytest.mark.django_db
def test_the_demo_town_has_sections_headed_by_its_chiefs_with_the_hr_and_dx_staff_in_theirs():
    town = build_town()
    sections = {(s.department.code, s.code): s for s in Section.objects.select_related("department", "chief")}
    assert sections["somu", "somu"].name == "総務係"
    assert sections["somu", "digital"].name == "デジタル推進係"
    assert all(s.chief is not None and s.chief.position == Position.CHIEF for s in sections.values())
    assert all(s.chief.section_id == s.pk for s in sections.values())
    staff = [
        e for e in town.employees.values() if e.department and e.position in {Position.STAFF, Position.SENIOR}
    ]
    assert staff
    assert all(e.section is not None and e.section.department_id == e.department_id for e in staff)
    assert {e.section.code for e in town.with_role("hr") if e.position != Position.CHIEF} == {"somu"}
    assert {e.section.code for e in town.with_role("secretariat")} == {"digital"}
    assert town.by_key("kikaku.director").section is None


@pytest.mark.django_db
def test_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        call_command("demo", stdout=StringIO())

    assert not Employee.objects.exists()
    assert not Department.objects.exists()


@pytest.mark.django_db
def test_forced_demo_with_debug_off_never_uses_the_published_password(settings):
    settings.DEBUG = False
    out = StringIO()

    call_command("demo", "--force", stdout=out)

    output = out.getvalue()
    assert DEMO_PASSWORD not in output
    admin = Employee.objects.get(username="admin")
    assert not admin.check_password(DEMO_PASSWORD)
    printed = output.split("shown only this once: ", 1)[1].split(")", 1)[0]
    assert len(printed) >= 16
    assert admin.check_password(printed)
    assert not Employee.objects.filter(is_superuser=False).first().check_password(DEMO_PASSWORD)
