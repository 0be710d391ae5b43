"""A small town for the rollout tests, with figures computed by hand.

Departments and staff (active, hired before FY2026 unless noted):
  総務課 somu      director d_somu, staff A, B, C, secretariat S            → 5
  税務課 zeimu     director d_zeimu, staff E, F                              → 3
  建設課 kensetsu  director d_kensetsu, staff G; H hired 2026-07-01          → 2 in May and June
  企画課 kikaku    director d_kikaku                                          → 1
Telework facts (an approved request day, and the attendance day's location):
  A  home 6/1 (home), home 6/2 (home)                → 2 days
  B  satellite 6/3 (office: came in) ✗, mobile 6/4 (mobile) → 1 day
  C  no request, home 6/5 ✗
  E  home 6/8 (mixed) → 1 day (home)
  F  home 6/9, never clocked in ✗
  G  home 5/29 (home) → 1 day in May
  A  home 6/10 requested but still submitted, home 6/10 ✗
June 2026: somu 5 staff, 2 teleworkers, 3 days {home 2, mobile 1}, 0.4; zeimu 3, 1, 1 {home 1}, 0.3333;
           kensetsu 2, 0, 0; kikaku 1, 0, 0.
May 2026:  kensetsu 2, 1, 1 {home 1}, 0.5; the others 0 teleworkers.
Phases (moved by S): somu preparing 2025-04-01, trial 2025-10-01, partial 2026-04-01 (on plan);
  zeimu preparing 2025-04-01, trial 2025-11-04 (behind on 2026-11-27: partial was due 2026-04-01);
  kensetsu never moved (behind: preparing, trial, partial overdue);
  kikaku trial 2025-10-01 with its own plan partial 2027-01-04 (on plan).
The town plan is the DX plan's: preparing 2025-04-01, trial 2025-10-01, partial 2026-04-01, formal 2027-04-01.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from attendance.models import DaySummary
from org.models import Department, Employee, Position, Role, RoleCode
from rollout import calculations, services
from telework.models import RequestStatus, TeleworkDay, TeleworkRequest
from tests.clock import FrozenClock
from tests.factories import DepartmentFactory, EmployeeFactory

TODAY = date(2026, 11, 27)


def patch_today(day: date = TODAY) -> date:
    """Today is `day` (09:00 in Tokyo, a frozen clock of tests/clock.py) for services, selectors and views."""
    FrozenClock(datetime.combine(day, time(9, 0), tzinfo=ZoneInfo("Asia/Tokyo")))
    return day


@dataclass
class Town:
    somu: Department
    zeimu: Department
    kensetsu: Department
    kikaku: Department
    secretariat: Employee
    staff: dict[str, Employee]
    directors: dict[str, Employee]

    @property
    def departments(self) -> list[Department]:
        return [self.somu, self.zeimu, self.kensetsu, self.kikaku]


def telework_day(employee: Employee, day: date, location: str, *, status: str = RequestStatus.APPROVED):
    """An approved (or other) telework request of one day; requests are the telework app's, built raw here
    because the rollout reads only their outcome."""
    request = TeleworkRequest.objects.create(
        employee=employee,
        department=employee.department,
        location=location,
        work_plan="資料作成",
        status=status,
    )
    return TeleworkDay.objects.create(
        request=request,
        date=day,
        employee=employee,
        department=employee.department,
        location=location,
        status=status,
    )


def attended(employee: Employee, day: date, location: str) -> DaySummary:
    """The attendance app's day snapshot with the day's location (the rollout reads nothing else of it)."""
    return DaySummary.objects.create(employee=employee, date=day, location=location, complete=True)


def build_departments() -> Town:
    for code in RoleCode.values:  # transactional tests flush the roles that a migration seeds
        Role.objects.get_or_create(code=code)
    somu = DepartmentFactory(code="somu", name="総務課", short_name="南富総", sort_order=1)
    zeimu = DepartmentFactory(code="zeimu", name="税務課", short_name="南富税", sort_order=2)
    kensetsu = DepartmentFactory(code="kensetsu", name="建設課", short_name="南富建", sort_order=3)
    kikaku = DepartmentFactory(code="kikaku", name="企画課", short_name="南富企", sort_order=4)
    hired = date(2020, 4, 1)
    directors = {
        dept.code: EmployeeFactory(
            username=f"d_{dept.code}", department=dept, position=Position.DIRECTOR, hired_on=hired
        )
        for dept in (somu, zeimu, kensetsu, kikaku)
    }
    staff = {
        name: EmployeeFactory(username=name, department=dept, hired_on=hired)
        for name, dept in (("A", somu), ("B", somu), ("C", somu), ("E", zeimu), ("F", zeimu), ("G", kensetsu))
    }
    staff["H"] = EmployeeFactory(username="H", department=kensetsu, hired_on=date(2026, 7, 1))
    secretariat = EmployeeFactory(username="S", department=somu, hired_on=hired, roles=["secretariat"])
    return Town(somu, zeimu, kensetsu, kikaku, secretariat, staff, directors)


def add_facts(town: Town) -> None:
    s = town.staff
    telework_day(s["A"], date(2026, 6, 1), "home")
    attended(s["A"], date(2026, 6, 1), "home")
    telework_day(s["A"], date(2026, 6, 2), "home")
    attended(s["A"], date(2026, 6, 2), "home")
    telework_day(s["B"], date(2026, 6, 3), "satellite")
    attended(s["B"], date(2026, 6, 3), "office")
    telework_day(s["B"], date(2026, 6, 4), "mobile")
    attended(s["B"], date(2026, 6, 4), "mobile")
    attended(s["C"], date(2026, 6, 5), "home")
    telework_day(s["E"], date(2026, 6, 8), "home")
    attended(s["E"], date(2026, 6, 8), "mixed")
    telework_day(s["F"], date(2026, 6, 9), "home")
    telework_day(s["G"], date(2026, 5, 29), "home")
    attended(s["G"], date(2026, 5, 29), "home")
    telework_day(s["A"], date(2026, 6, 10), "home", status=RequestStatus.SUBMITTED)
    attended(s["A"], date(2026, 6, 10), "home")


def move_phases(town: Town) -> None:
    """The town plan (the migration's, set again for transactional tests that flush it) and the phase
    history, through the services (today is patched to TODAY by the caller)."""
    services.plan_set(actor=town.secretariat, department=None, planned=calculations.DX_PLAN_SCHEDULE)
    moves = [
        (town.somu, "preparing", date(2025, 4, 1)),
        (town.somu, "trial", date(2025, 10, 1)),
        (town.somu, "partial", date(2026, 4, 1)),
        (town.zeimu, "preparing", date(2025, 4, 1)),
        (town.zeimu, "trial", date(2025, 11, 4)),
        (town.kikaku, "trial", date(2025, 10, 1)),
    ]
    for department, phase, on in moves:
        services.phase_move(actor=town.secretariat, department=department, phase=phase, on=on)
    services.plan_set(actor=town.secretariat, department=town.kikaku, planned={"partial": date(2027, 1, 4)})


def build_town(*, snapshots: bool = True) -> Town:
    town = build_departments()
    add_facts(town)
    move_phases(town)
    if snapshots:
        for month in (5, 6):
            services.adoption_snapshot(year=2026, month=month)
    return town
