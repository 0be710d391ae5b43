"""Demo telework for `manage.py demo`: the town's 実施要綱 (default and two department overrides), blackout
dates, the requests in flight (`requests_load`) and a year behind it (`history_load`): approved telework days
since April with the attendance and the day reports that go with them. Requests need a department whose rollout
phase admits them, which only the rollout app sets: its demo, loaded after this one, moves the phases and then
calls both loaders.

The history is written in bulk, as a records import would: approved requests (decided on paper before the
electronic approval started, so without a document), their days, the clock events of each day (each day then
recomputed by attendance's own service) and the day reports. It is seeded, so the same day gives the same town.
"""

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from approvals.services import document_approve
from attendance.models import ClockEvent, ClockKind, ClockSource
from attendance.services import day_recompute
from core.errors import DomainError
from org import selectors as org_selectors
from org.calendar import fiscal_year, fiscal_year_start
from org.demo import Town
from org.models import Department, Employee, EmploymentType, Position
from telework import rules_eligibility, services
from telework.models import DayReport, Location, RequestStatus, TeleworkDay, TeleworkPolicy, TeleworkRequest
from telework.selectors import blackout_dates_for, effective_policy, policy_versions

TOWN_POLICY = {
    "allowed_locations": ["home", "satellite", "mobile"],
    "max_days_per_week": 2,
    "max_days_per_month": 8,
    "max_consecutive_days": 3,
    "advance_notice_business_days": 1,
    "min_office_staff": 2,
    "eligible_employment_types": ["regular"],  # 会計年度任用職員 are not covered yet
    "min_months_since_hire": 6,
    "require_security_training": True,
    "require_security_pledge": True,
    "require_day_report": True,
    "require_start_end_report": True,
    "severities": {"max_days_per_month": "soft", "max_consecutive_days": "soft"},
}
OVERRIDES = {
    "jumin": {"min_office_staff": 4, "max_days_per_week": 1},  # 住民課: the counter (窓口) stays staffed
    "kikaku": {
        "max_days_per_week": 3,
        "allow_half_days": True,
    },  # 企画課: the DX committee's office tries more
}

HISTORY_SEED = 20260401
# Each month, the share of the eligible staff of a department who telework, and on how many days (one a week
# at most), by the department's phase: 一部運用 admits field work only (mobile), the trial and formal operation
# every form, home most often.
MONTHLY_SHARE = {"partial": 0.4, "trial": 0.45, "formal": 0.6}
DAYS_A_MONTH = {"partial": (1, 3), "trial": (1, 3), "formal": (2, 4)}
FORMS = {"partial": ["mobile"], "trial": ["home", "home", "satellite", "mobile"]}
FORMS["formal"] = FORMS["trial"]
MAX_AWAY_PER_DEPARTMENT_DAY = 2  # the counter (窓口) stays staffed: the smallest minimum leaves 2 of 4 in
OFFICE_AFTER_ALL = 0.05  # a telework day worked at the office after all (it counts as an office day)
WORK_PLANS = {
    "mobile": ["現地調査と報告書作成", "農地パトロール", "施設点検と記録", "出張先での打合せ"],
    "home": ["予算資料の作成", "計画書の起案", "統計データの整理", "オンライン研修の受講"],
    "satellite": ["会議資料の作成", "地区説明会の準備", "要綱改正案の検討"],
}
REPORTS = ["予定どおり完了しました。", "資料を作成し、課内に共有しました。", "調査結果を取りまとめました。"]


def load(town: Town) -> None:
    """Idempotent: the policy and its blackout dates are set once."""
    secretariat = town.with_role("secretariat")[0]
    if not TeleworkPolicy.objects.filter(department=None).exists():
        services.policy_update(actor=secretariat, **TOWN_POLICY)
        for code, fields in OVERRIDES.items():
            services.policy_update(actor=secretariat, department=town.departments[code], **fields)
        services.blackout_date_create(actor=secretariat, date=date(2027, 3, 2), reason="議会定例会初日(全庁)")
        services.blackout_date_create(
            actor=secretariat,
            date=date(2027, 3, 31),
            reason="年度末の転出入繁忙期",
            department=town.departments["jumin"],
        )


def requests_load(town: Town) -> None:
    """Idempotent (added only when no request has a document yet): partial operation admits field work only,
    so two mobile requests in 総務課, one approved, one waiting."""
    if TeleworkRequest.objects.filter(document__isnull=False).exists():
        return
    calendar = org_selectors.business_calendar()
    today = timezone.localdate()
    chief, director = town.chief("somu"), town.director("somu")
    applicants = [
        e for e in reversed(town.members("somu")) if e.position == "staff" and e.employment_type == "regular"
    ][:2]
    for index, applicant in enumerate(applicants):
        day = calendar.add_business_days(today, 2 + index)
        applicant.security_training_fy = max(applicant.security_training_fy or 0, fiscal_year(today))
        applicant.security_pledge_signed = True
        applicant.save(update_fields=["security_training_fy", "security_pledge_signed"])
        try:
            request = services.telework_request_create(
                employee=applicant, dates=[day], location="mobile", work_plan="現地調査と報告書作成"
            )
        except DomainError:
            continue  # e.g. a hire too recent for the policy: the demo goes on without it
        if index == 0:
            section_chief = applicant.section.chief if applicant.section_id else None  # routes go by 係
            for approver in (section_chief or chief, director):
                if approver.pk != applicant.pk:
                    document_approve(document=request.document, actor=approver, acknowledge_warnings=True)


def _eligible(employee: Employee, *, on: date) -> bool:
    """Who the town policy admits (regular staff, this year's training, the pledge, six months in post);
    the mayor and deputy mayor stay at the office."""
    return (
        employee.is_active
        and employee.employment_type == EmploymentType.REGULAR
        and employee.position not in (Position.MAYOR, Position.DEPUTY_MAYOR)
        and employee.security_pledge_signed
        and (employee.security_training_fy or 0) >= fiscal_year(on)
        and employee.hired_on is not None
        and rules_eligibility.months_between(employee.hired_on, on) >= 6
    )


def _at(day: date, clock: time, minutes: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock) + timedelta(minutes=minutes))


def history_load(town: Town, *, phase_on: Callable[[Department, date], str]) -> int:
    """A year behind the demo: approved telework days from 1 April up to the end of last week, where each
    department's phase (`phase_on`, the rollout's history) admitted them, with their attendance and day reports.
    Idempotent: nothing is added once any telework day of that span exists. Returns the days written."""
    today = timezone.localdate()
    start = fiscal_year_start(fiscal_year(today))
    end = today - timedelta(days=today.weekday() + 1)  # the Sunday before this week
    if end < start or TeleworkDay.objects.filter(date__gte=start, date__lte=end).exists():
        return 0
    calendar = org_selectors.business_calendar()
    rng = random.Random(HISTORY_SEED)
    working = list(calendar.working_days(start, end))
    away: dict[tuple[int, date], int] = defaultdict(int)
    requests: list[tuple[TeleworkRequest, list[date]]] = []
    for code, department in town.departments.items():
        policy = effective_policy(department)
        default_version, override_version = policy_versions(policy)
        blackout = blackout_dates_for(department, start=start, end=end)
        members = town.members(code)
        months: dict[tuple[int, int], list[date]] = defaultdict(list)
        for day in working:
            if day not in blackout and phase_on(department, day) in MONTHLY_SHARE:
                months[day.year, day.month].append(day)
        for month_days in months.values():
            for person in members:
                phase = phase_on(department, month_days[-1])
                if not _eligible(person, on=month_days[0]) or rng.random() >= MONTHLY_SHARE[phase]:
                    continue
                weeks: dict[str, list[date]] = defaultdict(list)
                for day in month_days:
                    weeks[f"{day.isocalendar()[0]}-{day.isocalendar()[1]}"].append(day)
                wanted = rng.randint(*DAYS_A_MONTH[phase])
                chosen = []
                for week in rng.sample(sorted(weeks), min(wanted, len(weeks))):
                    day = rng.choice(weeks[week])
                    if away[department.pk, day] < MAX_AWAY_PER_DEPARTMENT_DAY:
                        away[department.pk, day] += 1
                        chosen.append(day)
                by_location: dict[str, list[date]] = defaultdict(list)
                for day in sorted(chosen):
                    by_location[rng.choice(FORMS[phase_on(department, day)])].append(day)
                for location, dates in by_location.items():
                    applied = calendar.add_business_days(dates[0], -3)
                    request = TeleworkRequest(
                        employee=person,
                        department=department,
                        location=location,
                        work_plan=rng.choice(WORK_PLANS[location]),
                        status=RequestStatus.APPROVED,
                        policy_version=default_version,
                        department_policy_version=override_version,
                        created_at=_at(applied, time(10), 0),
                        decided_at=_at(calendar.add_business_days(dates[0], -1), time(15), 0),
                    )
                    requests.append((request, dates))
    TeleworkRequest.objects.bulk_create([request for request, _dates in requests])
    days = TeleworkDay.objects.bulk_create(
        TeleworkDay(
            request=request,
            date=day,
            employee=request.employee,
            department=request.department,
            location=request.location,
            status=RequestStatus.APPROVED,
        )
        for request, dates in requests
        for day in dates
    )
    events, reports, worked = [], [], []
    for day in days:
        at_the_office = rng.random() < OFFICE_AFTER_ALL
        location = "office" if at_the_office else day.location
        source = ClockSource.MOBILE if location == Location.MOBILE else ClockSource.WEB
        for kind, clock, jitter in (
            (ClockKind.IN, time(8, 30), (-20, 5)),
            (ClockKind.OUT, time(17, 15), (0, 40)),
        ):
            at = _at(day.date, clock, rng.randint(*jitter))
            events.append(
                ClockEvent(
                    employee_id=day.employee_id,
                    kind=kind,
                    at=at,
                    work_date=day.date,
                    location=location,
                    source=source,
                    recorded_at=at,
                )
            )
        if not at_the_office:
            reports.append(
                DayReport(day=day, summary=rng.choice(REPORTS), submitted_at=_at(day.date, time(17, 30), 0))
            )
        worked.append(day)
    ClockEvent.objects.bulk_create(events)
    DayReport.objects.bulk_create(reports)
    employees = {employee.pk: employee for employee in town.employees.values()}
    for day in worked:
        day_recompute(employee=employees[day.employee_id], day=day.date)
    return len(days)
