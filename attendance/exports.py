"""給与連携用CSV: one row per employee per day, and a monthly summary per employee; UTF-8 with BOM for Excel.

A fixed number of queries whatever the number of employees: the employees, the month's snapshots, the statuses
and the calendar.
"""

import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from django.utils import timezone

from attendance import selectors
from attendance.models import DayLocation, MonthStatus
from org.selectors import business_calendar

BOM = "\ufeff"
WEEKDAYS = "月火水木金土日"
ANOMALY_LABELS = {
    "missing_clock_out": "退勤打刻なし",
    "break_short": "休憩不足",
    "rest_interval_short": "勤務間インターバル不足",
    "log_gap": "PCログとの乖離",
    "overtime_on_telework": "テレワーク日の時間外勤務",
    "telework_without_approval": "承認のないテレワーク",
}
DAY_HEADERS = [
    "職員番号",
    "氏名",
    "所属",
    "日付",
    "曜日",
    "区分",
    "出勤時刻",
    "退勤時刻",
    "勤務場所",
    "勤務時間(分)",
    "休憩時間(分)",
    "時間外勤務(分)",
    "深夜勤務(分)",
    "休日勤務(分)",
    "異常",
]
LOCATION_COLUMNS = [
    DayLocation.OFFICE,
    DayLocation.HOME,
    DayLocation.SATELLITE,
    DayLocation.MOBILE,
    DayLocation.MIXED,
]
SUMMARY_HEADERS = [
    "職員番号",
    "氏名",
    "所属",
    "対象月",
    "出勤日数",
    *[f"出勤日数({DayLocation(code).label})" for code in LOCATION_COLUMNS],
    "勤務時間(分)",
    "時間外勤務(分)",
    "深夜勤務(分)",
    "休日勤務日数",
    "休日勤務(分)",
    "勤務表の状態",
]


def _clock(at: datetime | None) -> str:
    return timezone.localtime(at).strftime("%H:%M") if at else ""


def _month_dates(month: date) -> list[date]:
    start, end = selectors.month_start(month), selectors.month_end(month)
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def day_rows(*, month: date, department_code: str | None = None) -> Iterator[list]:
    """Every calendar day of the month for every active employee in scope; empty figures on days not worked."""
    calendar = business_calendar()
    employees = list(selectors.employees_in_scope(department_code=department_code))
    days = selectors.month_days_by_employee(employee_ids=[e.pk for e in employees], month=month)
    dates = _month_dates(month)
    yield DAY_HEADERS
    for employee in employees:
        department = employee.department.name if employee.department else ""
        for day in dates:
            summary = days.get(employee.pk, {}).get(day)
            head = [
                employee.username,
                employee.name,
                department,
                day.isoformat(),
                WEEKDAYS[day.weekday()],
                "勤務日" if calendar.is_working_day(day) else "休日",
            ]
            if summary is None:
                yield [*head, "", "", "", 0, 0, 0, 0, 0, ""]
                continue
            yield [
                *head,
                _clock(summary.first_in),
                _clock(summary.last_out),
                DayLocation(summary.location).label if summary.location else "",
                summary.worked_minutes,
                summary.break_minutes,
                summary.overtime_minutes,
                summary.late_night_minutes,
                summary.holiday_work_minutes,
                "・".join(ANOMALY_LABELS.get(code, code) for code in summary.anomalies),
            ]


def summary_rows(*, month: date, department_code: str | None = None) -> Iterator[list]:
    """One row per active employee: days worked by location, overtime, late night, holiday work, status."""
    employees = list(selectors.employees_in_scope(department_code=department_code))
    ids = [e.pk for e in employees]
    days = selectors.month_days_by_employee(employee_ids=ids, month=month)
    statuses = selectors.month_statuses(employee_ids=ids, month=month)
    yield SUMMARY_HEADERS
    for employee in employees:
        worked = [s for s in days.get(employee.pk, {}).values() if s.worked_minutes > 0]
        by_location = Counter(s.location for s in worked)
        holidays = [s for s in worked if s.is_holiday]
        yield [
            employee.username,
            employee.name,
            employee.department.name if employee.department else "",
            f"{month:%Y-%m}",
            len(worked),
            *[by_location.get(code, 0) for code in LOCATION_COLUMNS],
            sum(s.worked_minutes for s in worked),
            sum(s.overtime_minutes for s in worked),
            sum(s.late_night_minutes for s in worked),
            len(holidays),
            sum(s.holiday_work_minutes for s in holidays),
            MonthStatus(statuses.get(employee.pk, MonthStatus.OPEN)).label,
        ]


def to_csv(rows: Iterable[list]) -> str:
    """CSV text that Excel opens as UTF-8: a BOM first, CRLF line ends, every field quoted when needed."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue()
