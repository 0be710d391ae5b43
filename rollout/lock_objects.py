"""Row locks of rollout (SELECT ... FOR UPDATE), one small function each; call them inside a transaction.

The fixed order: domain rows in the order of the apps (a department's phase, telework's row, before rollout's
own), the approvals audit head last (rollout appends no audit event). In practice each service takes one:
  - `phase_move` holds the department's phase row (`telework.lock_objects.department_phase_lock`, taken by
    `telework.services.department_phase_change`) while it checks the history and records the move;
  - `plan_set` holds the plan rows of its scope (`plan_lock`) while it checks and writes the new dates.
The monthly snapshot and report lock nothing: they write with an upsert and a unique row, safe to run twice.
"""

from org.models import Department
from rollout.models import PhasePlan


def plan_lock(department: Department | None) -> dict[str, PhasePlan]:
    """The planned dates of a department (None = the town-wide plan), by phase."""
    return {row.phase: row for row in PhasePlan.objects.select_for_update().filter(department=department)}
