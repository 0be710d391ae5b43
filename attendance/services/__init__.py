"""勤怠の更新, split by concern; every write is one transaction and takes its locks through
`attendance.lock_objects` (the employee's row first: see its docstring and core/locking.py).

- `days`: the day's snapshot (recomputation) and the closed-month guard every write checks;
- `clocking`: clock events and PC logs;
- `corrections`: correction requests (打刻修正申請) and their corrective events;
- `months`: timesheets (月次勤務表) and HR's month closing;
- `alerts`: the periodic reminders, anomaly digests and overtime alerts.

Callers import from here (`from attendance import services`); corrections and timesheets are approval kinds
(registered in `attendance.apps`), so the approvals core calls their `on_*` handlers.
"""

from attendance.services.alerts import anomaly_digests_send, clock_out_reminders_send, overtime_alerts_check
from attendance.services.clocking import clock_event_record, pc_log_record
from attendance.services.corrections import (
    KIND_CORRECTION,
    correction_request,
    corrective_events_add,
    on_correction_approved,
    on_correction_rejected,
    on_correction_withdrawn,
)
from attendance.services.days import day_recompute, day_recompute_if_open
from attendance.services.months import (
    KIND_TIMESHEET,
    month_close,
    on_timesheet_approved,
    on_timesheet_ended,
    timesheet_submit,
)

__all__ = [
    "KIND_CORRECTION",
    "KIND_TIMESHEET",
    "anomaly_digests_send",
    "clock_event_record",
    "clock_out_reminders_send",
    "correction_request",
    "corrective_events_add",
    "day_recompute",
    "day_recompute_if_open",
    "month_close",
    "on_correction_approved",
    "on_correction_rejected",
    "on_correction_withdrawn",
    "on_timesheet_approved",
    "on_timesheet_ended",
    "overtime_alerts_check",
    "pc_log_record",
    "timesheet_submit",
]
