"""Demo rollout for `manage.py demo`: each department's phases on the DX plan's schedule, moved by the
secretariat through `phase_move` (the history and the department's current phase), then the telework app's
demo requests, which need a department whose phase admits them (the loaders run in INSTALLED_APPS order, so
telework's policy is already there)."""

from datetime import date

from org.demo import Town
from rollout import services
from rollout.models import PhaseEvent
from telework import demo as telework_demo
from telework.models import Phase

# DX plan ⑦: 要綱策定 in FY R7, each department's trial from 2025-10, partial operation (外勤等) in FY R8,
# formal operation in FY R9. Most departments are on plan; a few are behind, for the dashboard.
ON_PLAN = [
    (Phase.PREPARING, date(2025, 4, 1)),
    (Phase.TRIAL, date(2025, 10, 1)),
    (Phase.PARTIAL, date(2026, 4, 1)),
]
PHASES = {
    "gikai": ON_PLAN[:2],  # 議会事務局: still in trial
    "shinryo": ON_PLAN[:2],  # 診療所: still in trial
    "kensetsu": ON_PLAN[:1],  # 建設課: behind, preparing
}


def load(town: Town) -> None:
    """Idempotent: a department's phases are moved once (when it has no recorded move); requests are added
    only when none exist."""
    secretariat = town.with_role("secretariat")[0]
    for code, department in town.departments.items():
        if PhaseEvent.objects.filter(department=department).exists():
            continue
        for phase, on in PHASES.get(code, ON_PLAN):
            services.phase_move(
                actor=secretariat, department=department, phase=phase, on=on, note="DX推進計画に基づく移行"
            )
    telework_demo.requests_load(town)
