"""Periodic attendance alerts (called by attendance.tasks): the missing clock-out reminder, the directors' daily
anomaly digest and the overtime limits. Each is safe to run twice: an alert row is written once."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from attendance import overtime, selectors
from attendance.exports import ANOMALY_LABELS
from attendance.models import AlertKind, AttendanceAlert, DaySummary
from attendance.services.days import day_recompute_if_open
from notifications.services import notify
from org.models import Employee
from org.selectors import department_director


def alert_once(*, employee: Employee, kind: str, period: str, threshold: int = 0, minutes: int = 0) -> bool:
    """Record an alert; False when it was already recorded (the unique row makes every job safe to rerun)."""
    try:
        with transaction.atomic():
            AttendanceAlert.objects.create(
                employee=employee, kind=kind, period=period, threshold=threshold, value_minutes=minutes
            )
    except IntegrityError:
        return False
    return True


def clock_out_reminders_send(*, day: date) -> int:
    """退勤打刻忘れ: remind everyone whose shift of `day` is still open, once per day. Returns how many."""
    sent = 0
    for summary in selectors.open_shifts_on(day=day):
        with transaction.atomic():
            if not alert_once(
                employee=summary.employee, kind=AlertKind.MISSING_CLOCK_OUT, period=day.isoformat()
            ):
                continue
            notify(
                recipients=[summary.employee],
                kind="attendance_missing_clock_out",
                title=str(_("退勤の打刻がありません")),
                body=str(
                    _("%(date)s の退勤打刻がまだありません。退勤時は忘れずに打刻してください。")
                    % {"date": day}
                ),
                link=f"/attendance/days/{day.isoformat()}",
                data={"date": day.isoformat()},
            )
            sent += 1
    return sent


def anomaly_digests_send(*, day: date) -> int:
    """勤怠異常の日次通知: settle `day` (an open shift becomes `missing_clock_out`), then tell each director
    which of their staff had anomalies that day, once per director and day. Returns how many notes."""
    for summary in DaySummary.objects.filter(date=day, complete=False).select_related("employee"):
        day_recompute_if_open(employee=summary.employee, day=day)
    by_department: dict[int, list[DaySummary]] = {}
    for summary in (
        DaySummary.objects.filter(date=day, employee__department__isnull=False)
        .exclude(anomalies=[])
        .select_related("employee__department")
        .order_by("employee_id")
    ):
        by_department.setdefault(summary.employee.department_id, []).append(summary)
    sent = 0
    for summaries in by_department.values():
        department = summaries[0].employee.department
        director = department_director(department=department)
        if director is None:
            continue
        with transaction.atomic():
            if not alert_once(employee=director, kind=AlertKind.ANOMALY_DIGEST, period=day.isoformat()):
                continue
            lines = [
                f"{s.employee.name}: {'・'.join(ANOMALY_LABELS.get(code, code) for code in s.anomalies)}"
                for s in summaries
            ]
            notify(
                recipients=[director],
                kind="attendance_anomalies",
                title=str(
                    _("%(date)s の勤怠異常(%(department)s)") % {"date": day, "department": department.name}
                ),
                body="\n".join(lines),
                link=f"/attendance/anomalies/{day.isoformat()}",
                data={
                    "date": day.isoformat(),
                    "employees": {str(s.employee_id): list(s.anomalies) for s in summaries},
                },
            )
            sent += 1
    return sent


def overtime_alerts_check(*, today: date) -> int:
    """時間外勤務の上限: warn the employee and their director at 80 % and at 100 % of each limit, once each.

    Returns how many notifications went out.
    """
    month = selectors.month_start(today)
    monthly = selectors.overtime_by_employee_month(start=overtime.months_needed(month), end=today)
    employees = Employee.objects.filter(pk__in=monthly).select_related("department")
    sent = 0
    for employee in employees:
        exempt = bool(employee.department and employee.department.overtime_exempt)
        breaches = overtime.overtime_breaches(monthly=monthly[employee.pk], month=month, exempt=exempt)
        with transaction.atomic():
            new = [
                breach
                for breach in breaches
                if alert_once(
                    employee=employee,
                    kind=breach.kind,
                    period=breach.period,
                    threshold=breach.threshold,
                    minutes=breach.minutes,
                )
            ]
            highest: dict[tuple[str, str], overtime.Breach] = {}
            for breach in new:
                key = (breach.kind, breach.period)
                if key not in highest or breach.threshold > highest[key].threshold:
                    highest[key] = breach
            director = department_director(department=employee.department) if employee.department else None
            for breach in highest.values():
                notify(
                    recipients=[employee, *([director] if director and director != employee else [])],
                    kind="attendance_overtime",
                    title=str(OVERTIME_TITLES[breach.threshold] % {"name": employee.name}),
                    body=str(
                        _("%(limit)s: %(hours)s 時間(上限 %(limit_hours)s 時間)")
                        % {
                            "limit": AlertKind(breach.kind).label,
                            "hours": f"{breach.minutes / 60:.1f}",
                            "limit_hours": breach.limit // 60,
                        }
                    ),
                    data={
                        "employee": employee.pk,
                        "kind": breach.kind,
                        "period": breach.period,
                        "threshold": breach.threshold,
                        "minutes": breach.minutes,
                        "limit_minutes": breach.limit,
                    },
                )
                sent += 1
    return sent


OVERTIME_TITLES = {
    overtime.WARNING_PERCENT: _("%(name)s さんの時間外勤務が上限の80%%に達しました"),
    overtime.CROSSED_PERCENT: _("%(name)s さんの時間外勤務が上限を超えました"),
}
