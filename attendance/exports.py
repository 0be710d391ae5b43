"""給与連携用CSV: one row per employee per day employed, and a monthly summary per employee; UTF-8 with BOM for Excel.

Overtime worked (時間外勤務) and overtime ordered (命令時間外勤務: the approved 時間外勤務命令) are separate columns.

Everyone on the payroll at any time in the month is in it (retired staff for the days they were employed), with
their 職員番号 and the department of each day; system accounts (in no department) are not. A working day gone by
without any clock event shows `no_record`, so absences are visible, unless it is a day of approved whole-day leave:
the leave of each day (type, unit, minutes) has its columns, and the summary counts leave days and hours. Text cells that a spreadsheet would run as a
formula are neutralised (OWASP: a leading `= + - @`, tab or carriage return gets a `'` before it).

A fixed number of queries whatever the number of employees: the roster, the month's snapshots, the schedules,
the calendar, the approved leave (and the statuses for the summary).
"""

import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from django.utils import timezone

from attendance import selectors, selectors_payroll, worktime
from attendance.models import DayKind, DayLocation, DaySummary, MonthStatus
from leave import selectors as leave_selectors
from org.models import ClosedDay

BOM = "\ufeff"
WEEKDAYS = "月火水木金土日"
ANOMALY_LABELS = {
    "missing_clock_out": "退勤打刻なし",
    "break_short": "休憩不足",
    "rest_interval_short": "勤務間インターバル不足",
    "log_gap": "PCログとの乖離",
    "overtime_on_telework": "テレワーク日の時間外勤務",
    "telework_without_approval": "承認のないテレワーク",
    "offline_replay": "オフライン打刻",
    "no_record": "打刻記録なし",
    "overtime_without_order": "命令のない時間外勤務",
    "clock_in_on_leave": "休暇日の出勤打刻",
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
    "遅刻(分)",
    "早退(分)",
    "異常コード",
    "命令時間外勤務(分)",
    "休暇",
    "休暇の単位",
    "休暇(分)",
]
LEAVE_UNITS = {"day": "1日", "am": "午前", "pm": "午後", "hours": "時間"}
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
    "週休日勤務日数",
    "週休日勤務(分)",
    "遅刻(分)",
    "早退(分)",
    "打刻記録なし日数",
    "命令時間外勤務(分)",
    "休暇日数",
    "休暇(分)",
]
# OWASP CSV injection: a cell starting with one of these is run by spreadsheets as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(cell):
    """A text cell that a spreadsheet would read as a formula, with a `'` before it; anything else unchanged."""
    return f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell


def _clock(at: datetime | None) -> str:
    return timezone.localtime(at).strftime("%H:%M") if at else ""


def _month_dates(month: date) -> list[date]:
    start, end = selectors.month_start(month), selectors.month_end(month)
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _labels(codes: Iterable[str]) -> str:
    return "・".join(ANOMALY_LABELS.get(code, code) for code in codes)


class _Month:
    """What every row of the month reads, fetched once: the roster, the snapshots, the schedules, closed days."""

    def __init__(self, *, month: date, department_code: str | None) -> None:
        self.month = selectors.month_start(month)
        self.department_code = department_code
        self.dates = _month_dates(self.month)
        self.today = timezone.localdate()
        self.roster = selectors_payroll.payroll_roster(month=self.month, department_code=department_code)
        ids = [entry.employee.pk for entry in self.roster]
        self.days = selectors.month_days_by_employee(employee_ids=ids, month=self.month)
        self.schedules = selectors.schedules_by_employee(
            employee_ids=ids, start=self.dates[0], end=self.dates[-1]
        )
        self.leave = leave_selectors.approved_leave_days(
            employee_ids=ids, start=self.dates[0], end=self.dates[-1]
        )
        self.closed_days = set(
            ClosedDay.objects.filter(date__gte=self.dates[0], date__lte=self.dates[-1]).values_list(
                "date", flat=True
            )
        )

    def department(self, entry: selectors_payroll.RosterEntry, day: date):
        """The department of the person's day when the day is in scope (employed, in the department asked for)."""
        department = entry.department_on(day)
        if department is None or (self.department_code and department.code != self.department_code):
            return None
        return department

    def day_kind(self, employee_id: int, day: date, summary: DaySummary | None) -> str:
        if summary is not None:
            return summary.day_kind
        schedule = selectors.schedule_from(self.schedules.get(employee_id, []), day)
        return worktime.calendar_day_kind(day, schedule=schedule, town_closed=day in self.closed_days)

    def leave_on(self, employee_id: int, day: date) -> dict | None:
        return self.leave.get(employee_id, {}).get(day)

    def leave_cells(self, employee_id: int, day: date) -> list:
        leave = self.leave_on(employee_id, day)
        if leave is None:
            return ["", "", 0]
        return [leave["type_name"], LEAVE_UNITS.get(leave["unit"], leave["unit"]), leave["minutes"]]

    def no_record(self, employee_id: int, kind: str, day: date, summary: DaySummary | None) -> bool:
        """A working day gone by without any clock event, and not a day of whole-day leave."""
        clocked = summary is not None and (summary.first_in is not None or summary.last_out is not None)
        on_leave = leave_selectors.is_whole_day(self.leave_on(employee_id, day))
        return kind == DayKind.WORKDAY and day < self.today and not clocked and not on_leave


def day_rows(*, month: date, department_code: str | None = None) -> Iterator[list]:
    """Every day of the month each person was employed (in the department, when one is asked for), with the
    department of that day; empty figures on days not worked, `no_record` on working days gone by without a clock
    event."""
    data = _Month(month=month, department_code=department_code)
    yield DAY_HEADERS
    for entry in data.roster:
        employee = entry.employee
        for day in data.dates:
            department = data.department(entry, day)
            if department is None:
                continue
            summary = data.days.get(employee.pk, {}).get(day)
            kind = data.day_kind(employee.pk, day, summary)
            head = [
                employee.employee_number or "",
                employee.name,
                department.name,
                day.isoformat(),
                WEEKDAYS[day.weekday()],
                DayKind(kind).label,
            ]
            leave = data.leave_cells(employee.pk, day)
            if summary is None:
                codes = [worktime.NO_RECORD] if data.no_record(employee.pk, kind, day, summary) else []
                yield [*head, "", "", "", 0, 0, 0, 0, 0, _labels(codes), 0, 0, " ".join(codes), 0, *leave]
                continue
            codes = [*summary.anomalies]
            if data.no_record(employee.pk, kind, day, summary):
                codes.append(worktime.NO_RECORD)
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
                _labels(codes),
                summary.late_minutes,
                summary.early_leave_minutes,
                " ".join(codes),
                summary.ordered_overtime_minutes,
                *leave,
            ]


def summary_rows(*, month: date, department_code: str | None = None) -> Iterator[list]:
    """One row per person in scope, over their days in scope: days worked by location, overtime, late night, 休日
    and 週休日 work, late arrival and early leave, working days without a record, the timesheet's status."""
    data = _Month(month=month, department_code=department_code)
    statuses = selectors.month_statuses(
        employee_ids=[entry.employee.pk for entry in data.roster], month=data.month
    )
    yield SUMMARY_HEADERS
    for entry in data.roster:
        employee = entry.employee
        employed = [day for day in data.dates if data.department(entry, day) is not None]
        by_date = data.days.get(employee.pk, {})
        worked = [by_date[day] for day in employed if day in by_date and by_date[day].worked_minutes > 0]
        by_location = Counter(s.location for s in worked)
        holidays = [s for s in worked if s.day_kind == DayKind.HOLIDAY]
        rest_days = [s for s in worked if s.day_kind == DayKind.WEEKLY_REST]
        no_record = sum(
            1
            for day in employed
            if data.no_record(
                employee.pk, data.day_kind(employee.pk, day, by_date.get(day)), day, by_date.get(day)
            )
        )
        leave = [data.leave_on(employee.pk, day) for day in employed]
        leave = [entry for entry in leave if entry is not None]
        department = entry.department_on(employed[-1]) if employed else None
        yield [
            employee.employee_number or "",
            employee.name,
            department.name if department else "",
            f"{data.month:%Y-%m}",
            len(worked),
            *[by_location.get(code, 0) for code in LOCATION_COLUMNS],
            sum(s.worked_minutes for s in worked),
            sum(s.overtime_minutes for s in worked),
            sum(s.late_night_minutes for s in worked),
            len(holidays),
            sum(s.holiday_work_minutes for s in holidays),
            MonthStatus(statuses.get(employee.pk, MonthStatus.OPEN)).label,
            len(rest_days),
            sum(s.worked_minutes for s in rest_days),
            sum(s.late_minutes for s in worked),
            sum(s.early_leave_minutes for s in worked),
            no_record,
            sum(by_date[day].ordered_overtime_minutes for day in employed if day in by_date),
            sum(
                1 if entry["unit"] == "day" else 0.5 if entry["unit"] in ("am", "pm") else 0
                for entry in leave
            ),
            sum(entry["minutes"] for entry in leave),
        ]


def to_csv(rows: Iterable[list]) -> str:
    """CSV text that Excel opens as UTF-8: a BOM first, CRLF line ends, every field quoted when needed, and no
    cell that a spreadsheet would run as a formula."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([neutralised(cell) for cell in row] for row in rows)
    return buffer.getvalue()
