"""App configuration of attendance: its document kinds, and its answers to the leave app (`leave.registry`)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = _("勤怠")

    def ready(self) -> None:
        from approvals.registry import register_kind
        from attendance import selectors, services
        from leave.registry import register_leave_hooks

        register_kind(
            services.KIND_CORRECTION,
            label=_("打刻修正申請"),
            on_approved=services.on_correction_approved,
            on_rejected=services.on_correction_rejected,
            on_withdrawn=services.on_correction_withdrawn,
        )
        register_kind(
            services.KIND_TIMESHEET,
            label=_("月次勤務表"),
            on_approved=services.on_timesheet_approved,
            on_rejected=services.on_timesheet_ended,
            on_withdrawn=services.on_timesheet_ended,
            bulk_approvable=True,
        )
        register_kind(
            services.KIND_OVERTIME,
            label=_("時間外勤務命令"),
            on_approved=services.on_overtime_approved,
            on_rejected=services.on_overtime_rejected,
            on_withdrawn=services.on_overtime_withdrawn,
        )
        register_kind(
            services.KIND_DAY_SWAP,
            label=_("週休日の振替"),
            on_approved=services.on_day_swap_approved,
            on_rejected=services.on_day_swap_rejected,
            on_withdrawn=services.on_day_swap_withdrawn,
        )
        register_leave_hooks(
            day_minutes=selectors.scheduled_day_minutes,
            days_changed=services.leave_days_changed,
            days_refusal=services.leave_days_refusal,
        )
