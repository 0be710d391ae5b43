"""Demo attendance for `manage.py demo`: a few overtime orders (時間外勤務命令) in 総務課 with the overtime worked
against them, and one day swap (週休日の振替).

On the last working day before today (within the days an order may be given after the fact): the 課長 orders two
hours for one of the staff, who works them (within the tolerance: no anomaly); another asked for one hour (事前申請,
approved by the 課長) and worked more than two (`overtime_without_order`). Tomorrow's 事前申請 waits in the 課長's
inbox. The first of the staff swaps next Saturday for the Monday after it. Everything goes through the services, so
the days are computed as in use. Idempotent: nothing is added once an overtime order exists.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from approvals.services import document_approve
from attendance import selectors_orders, services, worktime
from attendance.models import ClockEvent, ClockKind, ClockSource, OvertimeOrder
from org.demo import Town
from org.models import Employee


def _working_day(employee: Employee, days) -> date | None:
    return next(
        (
            day
            for day in days
            if selectors_orders.calendar_kind(employee_id=employee.pk, day=day) == worktime.WORKDAY
        ),
        None,
    )


def _worked(employee: Employee, day: date, *, until: time) -> None:
    """The day's clock-in at 8:30 and clock-out at `until`, recorded as at those times, then the day computed."""
    for kind, clock in ((ClockKind.IN, time(8, 30)), (ClockKind.OUT, until)):
        at = timezone.make_aware(datetime.combine(day, clock))
        ClockEvent.objects.create(
            employee=employee,
            kind=kind,
            at=at,
            work_date=day,
            location="office",
            source=ClockSource.WEB,
            recorded_at=at,
        )
    services.day_recompute(employee=employee, day=day)


def load(town: Town) -> None:
    if OvertimeOrder.objects.exists():
        return
    director = town.director("somu")
    staff = [member for member in town.members("somu") if member.pk != director.pk][-2:]
    if len(staff) < 2:
        return
    ordered, applicant = staff
    today = timezone.localdate()
    back = settings.ATTENDANCE_OVERTIME_ORDER_PAST_DAYS
    day = _working_day(ordered, [today - timedelta(days=n) for n in range(1, back + 1)])
    if day is not None:
        services.overtime_order_create(
            actor=director,
            employee_id=ordered.pk,
            day=day,
            start=time(17, 15),
            end=time(19, 15),
            reason="議会答弁資料の作成",
        )
        _worked(ordered, day, until=time(19, 25))
        asked = services.overtime_order_create(
            actor=applicant,
            employee_id=None,
            day=day,
            start=time(17, 15),
            end=time(18, 15),
            reason="決算資料の確認",
        )
        document_approve(document=asked.document, actor=director, comment="了")
        _worked(applicant, day, until=time(19, 40))
    tomorrow = _working_day(applicant, [today + timedelta(days=n) for n in range(1, 8)])
    if tomorrow is not None:
        services.overtime_order_create(
            actor=applicant,
            employee_id=None,
            day=tomorrow,
            start=time(17, 15),
            end=time(18, 45),
            reason="例規改正の準備",
        )
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    monday = _working_day(ordered, [saturday + timedelta(days=n) for n in range(2, 14)])
    if monday is not None:
        swap = services.day_swap_request(
            employee=ordered, work_date=saturday, off_date=monday, reason="町民運動会の運営"
        )
        document_approve(document=swap.document, actor=director, comment="了")
