"""Demo rollout for `manage.py demo`: each department's phases on the DX plan's schedule (section ⑦: 要綱策定 in
the first half of FY R7, each department's trial from 2025-10, partial operation (外勤等) in FY R8, formal
operation in FY R9), moved by the secretariat through `phase_move` (the history and the department's current
phase); then the telework app's demo requests and its history since April (which need the phases: the loaders
run in INSTALLED_APPS order, so telework's policy is already there), and the monthly adoption snapshots of the
months since April, so that the dashboard and the survey have figures at once."""

from datetime import date

from django.utils import timezone

from org.calendar import fiscal_months, fiscal_year
from org.demo import Town
from rollout import selectors, services
from rollout.models import PhaseEvent
from telework import demo as telework_demo
from telework.models import Phase

ON_PLAN = [
    (Phase.PREPARING, date(2025, 4, 1)),
    (Phase.TRIAL, date(2025, 10, 1)),
    (Phase.PARTIAL, date(2026, 4, 1)),
    (Phase.FORMAL, date(2027, 4, 1)),
]
# Most departments are on plan; a few are behind, for the dashboard; 企画課 (the DX committee's office) went
# into formal operation half a year early.
PHASES = {
    "kikaku": [*ON_PLAN[:3], (Phase.FORMAL, date(2026, 10, 1))],
    "gikai": ON_PLAN[:2],  # 議会事務局: still in trial
    "shinryo": ON_PLAN[:2],  # 診療所: still in trial
    "kensetsu": ON_PLAN[:1],  # 建設課: behind, preparing
}
NOTE = "DX推進計画に基づく移行"


def load(town: Town) -> None:
    """Idempotent: each planned move is recorded once, when its day has come; the requests and the history are
    added only once; the snapshots are recomputed (unchanged figures write nothing)."""
    secretariat = town.with_role("secretariat")[0]
    today = timezone.localdate()
    moved = set(PhaseEvent.objects.values_list("department_id", "phase"))
    for code, department in town.departments.items():
        for phase, on in PHASES.get(code, ON_PLAN):
            if on <= today and (department.pk, phase) not in moved:
                services.phase_move(actor=secretariat, department=department, phase=phase, on=on, note=NOTE)
    rollouts = {
        entry.department.pk: entry
        for entry in selectors.department_rollouts(departments=list(town.departments.values()), today=today)
    }
    telework_demo.history_load(town, phase_on=lambda department, day: rollouts[department.pk].phase_on(day))
    telework_demo.requests_load(town)
    for year, month in fiscal_months(fiscal_year(today)):
        if date(year, month, 1) <= today:
            services.adoption_snapshot(year=year, month=month)
