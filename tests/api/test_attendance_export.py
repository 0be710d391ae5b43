"""The payroll CSV HR can hand on (issue 12, items 5 and 9): everyone employed at any time in the month (retired
staff included, system accounts not), the 職員番号, the day's department, 週休日 and 休日 apart, cells that a
spreadsheet would run as a formula neutralised, `Accept: text/csv` and `*/*` served, and working days without
any clock event shown as `no_record`."""

import csv
import io
from datetime import date, datetime, time

import pytest

from attendance import services
from attendance.worktime import LOCAL_TZ
from org import services as org_services
from tests.attendance.clock import NOW
from tests.clock import FrozenClock
from tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db

MONTH = "2026-06"
EXPORT = f"/api/v1/attendance/export.csv?month={MONTH}"
SUMMARY = f"/api/v1/attendance/summary.csv?month={MONTH}"


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=LOCAL_TZ)


def work(employee, day: date, start=(8, 30), end=(17, 15)):
    services.clock_event_record(
        employee=employee, kind="in", location="office", source="web", at=at(day, *start)
    )
    services.clock_event_record(
        employee=employee, kind="out", location="office", source="web", at=at(day, *end)
    )


def read(response) -> list[dict]:
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content[1:])))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture(autouse=True)
def frozen_clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
def hr(db):
    return EmployeeFactory(username="hr", department=DepartmentFactory(code="jinji"), roles=["hr"])


def test_a_retired_employee_is_in_the_month_they_worked(as_user, hr, department):
    retired = EmployeeFactory(department=department, employee_number="30001", retired_on=date(2026, 6, 15))
    retired.is_active = False
    retired.save(update_fields=["is_active"])
    work(retired, date(2026, 6, 12))

    rows = [r for r in read(as_user(hr).get(EXPORT)) if r["職員番号"] == "30001"]

    assert [r["日付"] for r in rows] == [f"2026-06-{d:02d}" for d in range(1, 16)]  # the days employed
    assert next(r for r in rows if r["日付"] == "2026-06-12")["勤務時間(分)"] == "465"


def test_system_accounts_are_not_in_it(as_user, hr, department):
    EmployeeFactory(username="admin", department=None, roles=["admin"])
    EmployeeFactory(username="pc-log-bridge", department=None)
    EmployeeFactory(username="staff", department=department, employee_number="30002")

    numbers = {r["職員番号"] for r in read(as_user(hr).get(EXPORT))}
    names = {r["氏名"] for r in read(as_user(hr).get(SUMMARY))}

    assert "30002" in numbers
    assert not {"admin", "pc-log-bridge"} & names
    assert len(read(as_user(hr).get(SUMMARY))) == 2  # the staff member and HR


def test_the_staff_number_is_the_payroll_number_not_the_login(as_user, hr, department):
    EmployeeFactory(username="sato.hanako", department=department, employee_number="00123")

    [row] = [r for r in read(as_user(hr).get(SUMMARY)) if r["職員番号"] == "00123"]

    assert "sato.hanako" not in row.values()


def test_formula_cells_are_neutralised(as_user, hr):
    sneaky = DepartmentFactory(code="evil", name='=HYPERLINK("http://x")')
    for name in ("=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR", "普通の名前"):
        EmployeeFactory(department=sneaky, name=name)

    rows = read(as_user(hr).get(f"{SUMMARY}&department=evil"))

    assert sorted(r["氏名"] for r in rows) == sorted(
        ["'=1+1", "'+SUM(A1)", "'-2+3", "'@cmd", "'\tTAB", "'\rCR", "普通の名前"]
    )
    assert {r["所属"] for r in rows} == {'\'=HYPERLINK("http://x")'}


@pytest.mark.parametrize("accept", ["text/csv", "*/*", "text/csv;q=0.9, */*;q=0.1", None])
def test_text_csv_and_anything_are_served(as_user, hr, accept):
    headers = {"HTTP_ACCEPT": accept} if accept else {}

    response = as_user(hr).get(EXPORT, **headers)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="attendance-2026-06.csv"'


def test_an_unservable_accept_is_406_in_problem_json(as_user, hr):
    response = as_user(hr).get(EXPORT, HTTP_ACCEPT="application/xml")

    assert response.status_code == 406
    assert response["Content-Type"].startswith("application/problem+json")


def test_errors_of_the_csv_stay_problem_json(as_user, department):
    staff = EmployeeFactory(department=department)

    response = as_user(staff).get(EXPORT, HTTP_ACCEPT="text/csv")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_working_days_without_a_clock_event_are_no_record(as_user, hr, department):
    staff = EmployeeFactory(department=department, employee_number="30003")
    work(staff, date(2026, 6, 10))

    rows = {r["日付"]: r for r in read(as_user(hr).get(EXPORT)) if r["職員番号"] == "30003"}
    [summary] = [r for r in read(as_user(hr).get(SUMMARY)) if r["職員番号"] == "30003"]

    assert (rows["2026-06-09"]["異常コード"], rows["2026-06-09"]["異常"]) == ("no_record", "打刻記録なし")
    assert rows["2026-06-10"]["異常コード"] == ""
    assert (rows["2026-06-13"]["区分"], rows["2026-06-13"]["異常コード"]) == ("週休日", "")
    assert summary["打刻記録なし日数"] == "21"  # June 2026 has 22 working days


def test_days_not_yet_come_are_not_no_record(as_user, hr, department, frozen_clock):
    frozen_clock.set(at(date(2026, 6, 15), 9))
    EmployeeFactory(department=department, employee_number="30004")

    rows = {r["日付"]: r for r in read(as_user(hr).get(EXPORT)) if r["職員番号"] == "30004"}

    assert rows["2026-06-12"]["異常コード"] == "no_record"
    assert rows["2026-06-15"]["異常コード"] == rows["2026-06-16"]["異常コード"] == ""


def test_weekly_rest_days_and_holidays_apart(as_user, hr, department, frozen_clock):
    frozen_clock.set(at(date(2026, 8, 1), 9))
    staff = EmployeeFactory(department=department, employee_number="30005")
    work(staff, date(2026, 7, 18), start=(9, 0), end=(12, 0))  # a Saturday: 週休日
    work(staff, date(2026, 7, 20))  # 海の日: 休日, its regular hours holiday work

    rows = {
        r["日付"]: r
        for r in read(as_user(hr).get("/api/v1/attendance/export.csv?month=2026-07"))
        if r["職員番号"] == "30005"
    }
    [summary] = [
        r
        for r in read(as_user(hr).get("/api/v1/attendance/summary.csv?month=2026-07"))
        if r["職員番号"] == "30005"
    ]

    saturday, umi_no_hi = rows["2026-07-18"], rows["2026-07-20"]
    assert (saturday["区分"], saturday["時間外勤務(分)"], saturday["休日勤務(分)"]) == ("週休日", "180", "0")
    assert (umi_no_hi["区分"], umi_no_hi["時間外勤務(分)"], umi_no_hi["休日勤務(分)"]) == ("休日", "0", "465")
    assert (summary["週休日勤務日数"], summary["週休日勤務(分)"]) == ("1", "180")
    assert (summary["休日勤務日数"], summary["休日勤務(分)"], summary["時間外勤務(分)"]) == (
        "1",
        "465",
        "180",
    )


def test_each_day_shows_the_department_of_that_day(as_user, hr, department):
    staff = org_services.employee_create(
        actor=None,
        username="mover",
        name="異動 太郎",
        department=department,
        hired_on=date(2020, 4, 1),
        employee_number="30006",
    )
    kikaku = DepartmentFactory(code="kikaku", name="企画課")
    org_services.employee_transfer(
        actor=hr, employee=staff, effective_on=date(2026, 6, 16), department=kikaku, position="staff"
    )

    rows = {r["日付"]: r for r in read(as_user(hr).get(EXPORT)) if r["職員番号"] == "30006"}
    in_kikaku = read(as_user(hr).get(f"{EXPORT}&department=kikaku"))

    assert (rows["2026-06-15"]["所属"], rows["2026-06-16"]["所属"]) == ("総務課", "企画課")
    assert [r["日付"] for r in in_kikaku if r["職員番号"] == "30006"] == [
        f"2026-06-{d}" for d in range(16, 31)
    ]


def test_late_arrival_and_early_leave_are_in_the_csv(as_user, hr, department):
    staff = EmployeeFactory(department=department, employee_number="30007")
    work(staff, date(2026, 6, 10), start=(9, 0), end=(16, 45))

    [row] = [
        r for r in read(as_user(hr).get(EXPORT)) if r["職員番号"] == "30007" and r["日付"] == "2026-06-10"
    ]

    assert (row["遅刻(分)"], row["早退(分)"]) == ("30", "30")
