"""勤怠の更新, split by concern; every write is one transaction and takes its locks through
`attendance.lock_objects` (the employee's row first: see its docstring and core/locking.py).

- `days`: the day's snapshot (recomputation) and the month guards every write checks;
- `clocking`: clock events (offline replays too), PC logs (one or in bulk) and the reasons of their gaps;
- `corrections`: correction requests (打刻修正申請) and their corrective events;
- `months`: timesheets (月次勤務表), HR's month closing and reopening;
- `schedules`: work schedules (勤務時間割) and their assignments;
- `overtime_orders`: overtime orders (時間外勤務命令), ordered by the director or asked for (事前申請);
- `day_swaps`: day swaps (週休日の振替);
- `alerts`: the periodic reminders, shifts left open, anomaly digests and overtime alerts.

Callers import from here (`from attendance import services`); corrections, timesheets, overtime orders and day
swaps are approval kinds
(registered in `attendance.apps`), so the approvals core calls their `on_*` handlers.
"""

from attendance.services.alerts import (
    anomaly_digests_send,
    clock_out_reminders_send,
    open_shifts_close,
    overtime_alerts_check,
)
from attendance.services.clocking import (
    PcLogBulk,
    clock_event_record,
    log_gap_reason_record,
    pc_log_record,
    pc_logs_bulk_record,
)
from attendance.services.corrections import (
    KIND_CORRECTION,
    correction_request,
    corrective_events_add,
    on_correction_approved,
    on_correction_rejected,
    on_correction_withdrawn,
)
from attendance.services.day_swaps import (
    KIND_DAY_SWAP,
    day_swap_cancel,
    day_swap_request,
    on_day_swap_approved,
    on_day_swap_rejected,
    on_day_swap_withdrawn,
)
from attendance.services.days import (
    day_recompute,
    day_recompute_if_open,
    leave_days_changed,
    leave_days_refusal,
)
from attendance.services.months import (
    KIND_TIMESHEET,
    month_close,
    on_timesheet_approved,
    on_timesheet_ended,
    timesheet_reopen,
    timesheet_submit,
)
from attendance.services.overtime_orders import (
    KIND_OVERTIME,
    on_overtime_approved,
    on_overtime_rejected,
    on_overtime_withdrawn,
    overtime_order_cancel,
    overtime_order_create,
)
from attendance.services.schedules import (
    schedule_assignment_create,
    schedule_assignment_error,
    schedule_change_error,
    schedule_create,
    schedule_update,
    schedule_value_error,
)

__all__ = [
    "KIND_CORRECTION",
    "KIND_DAY_SWAP",
    "KIND_OVERTIME",
    "KIND_TIMESHEET",
    "PcLogBulk",
    "anomaly_digests_send",
    "clock_event_record",
    "clock_out_reminders_send",
    "correction_request",
    "corrective_events_add",
    "day_recompute",
    "day_recompute_if_open",
    "day_swap_cancel",
    "day_swap_request",
    "leave_days_changed",
    "leave_days_refusal",
    "log_gap_reason_record",
    "month_close",
    "on_correction_approved",
    "on_correction_rejected",
    "on_correction_withdrawn",
    "on_day_swap_approved",
    "on_day_swap_rejected",
    "on_day_swap_withdrawn",
    "on_overtime_approved",
    "on_overtime_rejected",
    "on_overtime_withdrawn",
    "on_timesheet_approved",
    "on_timesheet_ended",
    "open_shifts_close",
    "overtime_alerts_check",
    "overtime_order_cancel",
    "overtime_order_create",
    "pc_log_record",
    "pc_logs_bulk_record",
    "schedule_assignment_create",
    "schedule_assignment_error",
    "schedule_change_error",
    "schedule_create",
    "schedule_update",
    "schedule_value_error",
    "timesheet_reopen",
    "timesheet_submit",
]
