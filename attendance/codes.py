"""Attendance's stable error codes: clocking out of order, closed months, timesheets, corrections, PC logs.

The generic codes (`invalid`, `required`, `permission_denied`...) are `core.errors.CoreError`'s.
"""

from django.utils.translation import gettext_lazy as _

from core.errors import ErrorCode


class AttendanceError(ErrorCode):
    # clocking out of order (409, `params.state` is where the employee stands)
    NOT_CLOCKED_IN = "not_clocked_in", 409, _("出勤の打刻がありません。")
    ALREADY_CLOCKED_IN = "already_clocked_in", 409, _("すでに出勤しています。")
    BREAK_NOT_STARTED = "break_not_started", 409, _("休憩を開始していません。")
    BREAK_ALREADY_STARTED = "break_already_started", 409, _("すでに休憩中です。")
    ON_BREAK = "on_break", 409, _("休憩中です。休憩終了を打刻してから退勤してください。")
    # months and timesheets
    MONTH_CLOSED = "month_closed", 409, _("%(month)s は締め済みのため変更できません。")
    MONTH_NOT_APPROVED = "month_not_approved", 409, _("承認済みの勤務表のみ締めることができます。")
    ALREADY_SUBMITTED = "already_submitted", 409, _("この月の勤務表はすでに提出されています。")
    FUTURE_MONTH = "future_month", 400, _("未来の月は提出できません。")
    INVALID_MONTH = "invalid_month", 400, _("月は YYYY-MM の形式で指定してください。")
    EMPLOYEE_OR_DEPARTMENT = "employee_or_department", 400, _("職員か課のどちらか一方を指定してください。")
    # who may do what
    EMPLOYEE_NOT_FOUND = "employee_not_found", 404, _("職員が見つかりません。")
    HR_ONLY = "hr_only", 403, _("人事担当のみが行えます。")
    INTEGRATION_ONLY = "integration_only", 403, _("PCログを登録する権限がありません。")
    # fields of corrections, PC logs and the days' query
    IN_FUTURE = "in_future", 400, _("未来の時刻です。")
    OUTSIDE_DAY = "outside_day", 400, _("打刻の時刻が対象日の範囲外か、未来の時刻です。")
    BEFORE_START = "before_start", 400, _("終了日は開始日以降にしてください。")
    RANGE_TOO_LONG = "range_too_long", 400, _("期間は1年以内にしてください。")
