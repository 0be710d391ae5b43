"""Demo leave for `manage.py demo`: a year of leave taken by the town's staff (annual leave by days, half days and
hours, summer leave in its July–September window, some sick leave), the grants behind it (last year's, carried
into this year's, oldest days first), and a few requests in flight through the approval core.

The year behind is written in bulk, as a records import would (decided on paper before the electronic approval
started, so without a document): each request charges what `leave.rules` says, from the carry-over first, with its
working days and, for whole days, the absence that approved leave records. It is seeded, so the same day gives
the same town; loading twice adds nothing.
"""

import random
from datetime import date, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import StepStatus
from approvals.services import document_approve
from core.errors import DomainError
from leave import rules, selectors, services
from leave.models import ANNUAL, LeaveDay, LeaveRequest, LeaveType, RequestStatus
from org import selectors as org_selectors
from org.demo import Town
from org.models import Absence, Employee, Position

SEED = 20260101
HOURS = ((time(9, 0), time(11, 0)), (time(13, 0), time(15, 0)), (time(15, 15), time(17, 15)))


def load(town: Town) -> None:
    """Idempotent: the year behind once (while no leave request exists), the requests in flight once."""
    if not LeaveRequest.objects.exists():
        with transaction.atomic():
            history_load(town)
    requests_load(town)


def _staff(town: Town) -> list[Employee]:
    return [
        e
        for e in sorted(town.employees.values(), key=lambda e: e.pk)
        if e.is_active and e.department_id and e.position not in (Position.MAYOR, Position.DEPUTY_MAYOR)
    ]


def history_load(town: Town) -> None:
    """Twelve months up to yesterday, per person and month: a day or two of annual leave in days, half days or
    hours, summer leave in the window, now and then a few days of sick leave."""
    rng = random.Random(SEED)
    today = timezone.localdate()
    start = date(today.year - 1, today.month, 1)
    calendar = org_selectors.business_calendar()
    types = {t.code: t for t in LeaveType.objects.all()}
    staff = _staff(town)
    plans: dict[int, list[tuple]] = {}
    for employee in staff:
        taken: set[date] = set()
        wanted: list[tuple] = []
        month = start
        while month < today:
            following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
            days = [
                d
                for d in calendar.working_days(month, following - timedelta(days=1))
                if d < today and (employee.hired_on is None or d >= employee.hired_on)
            ]
            rng.shuffle(days)
            for day in days[: rng.choice((0, 1, 1, 2))]:
                unit = rng.choice(("day", "day", "am", "pm", "hours"))
                wanted.append(("annual", day, day, unit))
            if month.month == 8 and days:
                wanted.append(("summer", days[-1], days[-1], "day"))
                wanted += [("summer", d, d, "day") for d in days[-3:-1]]
            if rng.random() < 0.06 and days:
                first = min(days)
                wanted.append(
                    ("sick", first, calendar.add_business_days(first, rng.choice((0, 1, 2))), "day")
                )
            month = following
        plans[employee.pk] = []
        for code, first, last, unit in sorted(wanted, key=lambda item: item[1]):
            span = set(calendar.working_days(first, last))
            if span & taken or not span:
                continue
            taken |= span
            plans[employee.pk].append((code, first, last, unit))
    _write(staff, plans, types, calendar, rng)


def _write(staff, plans, types, calendar, rng) -> None:
    """Year by year (so that each year's carry-over reads the year before as written), person by person in date
    order: what each request charges, from the carry-over first; a request the balance cannot cover is dropped."""
    years = sorted({selectors.year_of(item[1]) for plan in plans.values() for item in plan})
    for employee in staff if years else ():
        services.annual_grant_ensure(employee=employee, year=years[0] - 1)
    for year in years:
        requests, days_of, absences = [], [], []
        for employee in staff:
            grant = services.annual_grant_ensure(employee=employee, year=year)
            usage = rules.Usage(granted=grant.granted_minutes, carried=grant.carried_minutes)
            for code, first, last, unit in (p for p in plans[employee.pk] if selectors.year_of(p[1]) == year):
                leave_type = types[code]
                working = tuple(calendar.working_days(first, last))
                start_time, end_time = rng.choice(HOURS) if unit == "hours" else (None, None)
                minutes = rules.hours_minutes(start_time, end_time, (time(12), time(13))) if start_time else 0
                charged = rules.charged_days(working, unit, grant.day_minutes, minutes)
                cost = sum(charged.values(), Decimal(0))
                carried = Decimal(0)
                if leave_type.balance:
                    if cost > usage.remaining:
                        continue
                    carried = usage.split(cost)
                    usage = rules.Usage(
                        granted=usage.granted,
                        carried=usage.carried,
                        used_granted=usage.used_granted + cost - carried,
                        used_carried=usage.used_carried + carried,
                    )
                absence = None
                if unit == "day":
                    absence = Absence(employee=employee, start=working[0], end=working[-1], reason=_("休暇"))
                    absences.append(absence)
                request = LeaveRequest(
                    employee=employee,
                    department_id=employee.department_id,
                    leave_type=leave_type,
                    start_date=first,
                    end_date=last,
                    unit=unit,
                    start_time=start_time,
                    end_time=end_time,
                    reason={"sick": "体調不良", "summer": "夏季休暇"}.get(code, "私用"),
                    year=year,
                    days=Decimal(len(working))
                    if unit == "day"
                    else Decimal("0.5")
                    if unit in ("am", "pm")
                    else 0,
                    minutes=cost,
                    from_carried=carried,
                    status=RequestStatus.APPROVED,
                    decided_at=timezone.now(),
                    absence=absence,
                )
                requests.append(request)
                days_of.append(charged)
        Absence.objects.bulk_create(absences)
        LeaveRequest.objects.bulk_create(requests)
        LeaveDay.objects.bulk_create(
            LeaveDay(
                request=request,
                employee_id=request.employee_id,
                date=day,
                unit=request.unit,
                minutes=cost,
                status=RequestStatus.APPROVED,
            )
            for request, charged in zip(requests, days_of, strict=True)
            for day, cost in charged.items()
        )


def _approve(document) -> None:
    for _attempt in range(5):
        document.refresh_from_db()
        waiting = document.steps.filter(status=StepStatus.WAITING).prefetch_related("approvers__approver")
        approvers = [
            row.approver for step in waiting for row in step.approvers.all() if row.decision == "pending"
        ]
        if document.status != "in_review" or not approvers:
            return
        document_approve(document=document, actor=approvers[0])


def requests_load(town: Town) -> None:
    """Three requests through the approval core (once): annual leave next week (approved), an afternoon and two
    hours waiting for the section chief and the 課長."""
    if LeaveRequest.objects.filter(document__isnull=False).exists():
        return
    calendar = org_selectors.business_calendar()
    today = timezone.localdate()
    applicants = [e for e in town.members("somu") if e.position == "staff"][:3]
    annual = LeaveType.objects.get(code=ANNUAL)
    plans = [
        {"unit": "day", "start_date": calendar.add_business_days(today, 5)},
        {"unit": "pm", "start_date": calendar.add_business_days(today, 3)},
        {
            "unit": "hours",
            "start_date": calendar.add_business_days(today, 4),
            "start_time": time(9),
            "end_time": time(11),
        },
    ]
    for index, (applicant, plan) in enumerate(zip(applicants, plans, strict=False)):
        try:
            request = services.leave_request_create(
                employee=applicant, leave_type=annual, end_date=plan["start_date"], reason="私用", **plan
            )
        except DomainError:
            continue  # e.g. that day already taken in the year behind
        if index == 0:
            _approve(request.document)
