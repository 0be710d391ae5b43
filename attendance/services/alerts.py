"""Attendance alerts (most called by attendance.tasks): the missing clock-out reminder, the closing of shifts
left open, the directors' daily anomaly digest and the overtime limits (with the 面接指導 notice to HR). Each is
safe to run twice: an alert row is written once."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance import overtime, selectors, worktime
from attendance.exports import ANOMALY_LABELS
from attendance.models import AlertKind, AttendanceAlert, DaySummary
from attendance.services.days import day_recompute_if_open
from notifications.services import notify
from org.models import Employee, RoleCode
from org.selectors import active_employees, department_director


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


def clock_out_reminders_send(*, day: date, now: datetime | None = None) -> int:
    """退勤打刻忘れ: remind everyone whose shift of `day` is still open past their schedule's end (a late 時差出勤
    pattern is not reminded in the middle of its day), once per day. Returns how many."""
    now = now or timezone.now()
    sent = 0
    for summary in selectors.open_shifts_on(day=day):
        schedule = selectors.schedule_on(employee_id=summary.employee_id, day=day)
        if now < timezone.make_aware(schedule.bounds(day)[1]):
            continue
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


def _director_of(employee: Employee) -> list[Employee]:
    director = department_director(department=employee.department) if employee.department_id else None
    return [director] if director is not None else []


def open_shift_closed_report(*, employee: Employee, day: date) -> bool:
    """退勤打刻のない勤務の締め: tell the employee and their director, once per day, that the day's shift was closed
    for the calculation as `missing_clock_out` and that a correction request fixes it. Call inside the
    transaction that recomputed the day. False when already told."""
    if not alert_once(employee=employee, kind=AlertKind.OPEN_SHIFT_CLOSED, period=day.isoformat()):
        return False
    notify(
        recipients=[employee, *_director_of(employee)],
        kind="attendance_open_shift_closed",
        title=str(
            _("%(name)s さんの %(date)s の退勤打刻がありません") % {"name": employee.name, "date": day}
        ),
        body=str(
            _(
                "%(date)s の勤務は退勤の打刻がないため、終業時刻(またはその後の最後の打刻)までとして計算し、"
                "「退勤打刻なし」としました。正しい退勤時刻を打刻修正申請で申請してください。"
            )
            % {"date": day}
        ),
        link=f"/attendance/days/{day.isoformat()}",
        data={"employee": employee.pk, "date": day.isoformat()},
    )
    return True


def open_shifts_close(*, now: datetime | None = None) -> int:
    """未退勤の勤務の締め (hourly): each shift still open past its deadline is closed for the calculation as
    `missing_clock_out`, and the employee and their director are told once. Days in a month that is no longer
    open are left as they are. Returns how many were closed."""
    closed = 0
    for summary in selectors.open_shift_days():
        recomputed = day_recompute_if_open(employee=summary.employee, day=summary.date)
        if recomputed is None or worktime.MISSING_CLOCK_OUT not in recomputed.anomalies:
            continue
        with transaction.atomic():
            closed += open_shift_closed_report(employee=summary.employee, day=summary.date)
    return closed


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


def overtime_months(today: date) -> list[date]:
    """The months the daily check looks at: this one, and the previous one during the first
    ATTENDANCE_OVERTIME_PREVIOUS_MONTH_DAYS days (its last days, corrections approved since), oldest first."""
    month = selectors.month_start(today)
    if today.day <= settings.ATTENDANCE_OVERTIME_PREVIOUS_MONTH_DAYS:
        return [selectors.month_start(month - timedelta(days=1)), month]
    return [month]


def _overtime_body(breach: overtime.Breach) -> str:
    if breach.kind == overtime.MONTHS_OVER_45H:
        return str(
            _("%(limit)s: %(count)s か月(上限 %(limit_count)s か月、%(period)s)")
            % {
                "limit": AlertKind(breach.kind).label,
                "count": breach.count,
                "limit_count": breach.count_limit,
                "period": breach.period,
            }
        )
    return str(
        _("%(limit)s: %(hours)s 時間(上限 %(limit_hours)s 時間)")
        % {
            "limit": AlertKind(breach.kind).label,
            "hours": f"{breach.minutes / 60:.1f}",
            "limit_hours": breach.limit // 60,
        }
    )


def overtime_alerts_check(*, today: date) -> int:
    """時間外勤務の上限: warn the employee and their director at 80 % and at 100 % of each limit, once each, for
    the month of each day (the previous month too on a month's first days, `overtime_months`); and tell HR
    once per employee and month of 100 hours or more (面接指導).

    Returns how many notifications went out.
    """
    months = overtime_months(today)
    monthly = selectors.overtime_by_employee_month(start=overtime.months_needed(months[0]), end=today)
    employees = Employee.objects.filter(pk__in=monthly).select_related("department")
    hr = list(active_employees().filter(roles__code=RoleCode.HR).distinct())
    sent = 0
    for employee in employees:
        exempt = bool(employee.department and employee.department.overtime_exempt)
        breaches = [
            breach
            for month in months
            for breach in overtime.overtime_breaches(monthly=monthly[employee.pk], month=month, exempt=exempt)
        ]
        interviews = [
            due
            for month in months
            if (due := overtime.interview_guidance(monthly=monthly[employee.pk], month=month))
        ]
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
            director = _director_of(employee)
            for breach in highest.values():
                notify(
                    recipients=[employee, *director],
                    kind="attendance_overtime",
                    title=str(OVERTIME_TITLES[breach.threshold] % {"name": employee.name}),
                    body=_overtime_body(breach),
                    data={
                        "employee": employee.pk,
                        "kind": breach.kind,
                        "period": breach.period,
                        "threshold": breach.threshold,
                        "minutes": breach.minutes,
                        "limit_minutes": breach.limit,
                        **(
                            {"count": breach.count, "count_limit": breach.count_limit} if breach.count else {}
                        ),
                    },
                )
                sent += 1
            for due in interviews:
                if not hr or not alert_once(
                    employee=employee,
                    kind=due.kind,
                    period=due.period,
                    threshold=due.threshold,
                    minutes=due.minutes,
                ):
                    continue
                notify(
                    recipients=hr,
                    kind="attendance_interview_guidance",
                    title=str(_("%(name)s さんが面接指導の対象です") % {"name": employee.name}),
                    body=str(
                        _(
                            "%(period)s の時間外勤務が %(hours)s 時間に達しました(100時間以上: 面接指導の対象)。"
                        )
                        % {"period": due.period, "hours": f"{due.minutes / 60:.1f}"}
                    ),
                    data={
                        "employee": employee.pk,
                        "kind": due.kind,
                        "period": due.period,
                        "minutes": due.minutes,
                        "limit_minutes": due.limit,
                    },
                )
                sent += 1
    return sent


OVERTIME_TITLES = {
    overtime.WARNING_PERCENT: _("%(name)s さんの時間外勤務が上限の80%%に達しました"),
    overtime.CROSSED_PERCENT: _("%(name)s さんの時間外勤務が上限を超えました"),
}
