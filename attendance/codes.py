"""Attendance's stable error codes: clocking out of order, offline replays, closed and submitted months,
timesheets, corrections, schedules, PC logs, overtime orders and day swaps.

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
    # offline replays (`occurred_at`)
    REPLAY_KEY_REQUIRED = (
        "replay_key_required",
        400,
        _("オフラインで押した打刻を送るときは Idempotency-Key ヘッダーを付けてください。"),
    )
    REPLAY_TOO_OLD = (
        "replay_too_old",
        422,
        _("%(hours)s 時間より前に押した打刻は送信できません。打刻修正申請をしてください。"),
    )
    REPLAY_IN_FUTURE = (
        "replay_in_future",
        422,
        _("未来の時刻の打刻は記録できません。端末の時計を確認してください。"),
    )
    REPLAY_OUT_OF_ORDER = (
        "replay_out_of_order",
        409,
        _("この打刻より後の打刻がすでに記録されています。打刻修正申請をしてください。"),
    )
    # months and timesheets
    MONTH_CLOSED = "month_closed", 409, _("%(month)s は締め済みのため変更できません。")
    TIMESHEET_SUBMITTED = (
        "timesheet_submitted",
        409,
        _(
            "%(month)s の勤務表は提出済みのため変更できません。勤務表を引き上げるか、承認後は人事担当に再開を依頼してください。"
        ),
    )
    MONTH_NOT_APPROVED = "month_not_approved", 409, _("承認済みの勤務表のみ締めることができます。")
    MONTH_NOT_REOPENABLE = "month_not_reopenable", 409, _("承認済みまたは締め済みの勤務表のみ再開できます。")
    ALREADY_SUBMITTED = "already_submitted", 409, _("この月の勤務表はすでに提出されています。")
    FUTURE_MONTH = "future_month", 422, _("未来の月は提出できません。")
    MONTH_NOT_OVER = "month_not_over", 422, _("%(month)s の勤務表は %(date)s から提出できます。")
    UNRESOLVED_DAYS = (
        "unresolved_days",
        422,
        _("退勤の打刻がない日があります(%(days)s)。打刻修正申請が承認されてから提出してください。"),
    )
    PENDING_REQUESTS = (
        "pending_requests",
        422,
        _("この月に審査中の申請があります(%(requests)s)。決裁されるか取り下げてから提出してください。"),
    )
    INVALID_MONTH = "invalid_month", 400, _("月は YYYY-MM の形式で指定してください。")
    EMPLOYEE_OR_DEPARTMENT = "employee_or_department", 400, _("職員か課のどちらか一方を指定してください。")
    # schedules (勤務時間割) and their assignments
    INVALID_SCHEDULE = (
        "invalid_schedule",
        400,
        _("休憩は始業から終業までの間に、勤務時間より短く設定してください(週休日は0〜6、毎日は不可)。"),
    )
    SCHEDULE_IN_USE = (
        "schedule_in_use",
        409,
        _(
            "提出済み・締め済みの月に使われている勤務時間割の時刻は変更できません。新しい勤務時間割を作って割り当ててください。"
        ),
    )
    ASSIGNMENT_OVERLAP = (
        "schedule_assignment_overlap",
        422,
        _("この期間には別の勤務時間割が割り当てられています(%(start)s から)。"),
    )
    # overtime orders (時間外勤務命令)
    NOT_ORDERER = (
        "not_orderer",
        403,
        _("時間外勤務を命令できるのは所属の課長です。ご自身の分は事前申請してください。"),
    )
    OVERTIME_PAST_DATE = (
        "overtime_past_date",
        422,
        _("%(days)s 日より前の日の時間外勤務は命令できません(%(earliest)s 以降にしてください)。"),
    )
    OVERLAPPING_ORDER = (
        "overlapping_order",
        422,
        _("この時間帯には別の時間外勤務命令があります(%(start)s〜%(end)s)。"),
    )
    ORDER_STARTED = "order_started", 409, _("開始時刻を過ぎた時間外勤務命令は取り消せません。")
    # day swaps (週休日の振替)
    SWAP_NOT_REST_DAY = "swap_not_rest_day", 422, _("%(date)s は週休日ではありません。")
    SWAP_NOT_WORKING_DAY = "swap_not_working_day", 422, _("%(date)s は勤務日ではありません。")
    SWAP_OUTSIDE_WINDOW = (
        "swap_outside_window",
        422,
        _("振り替える勤務日は %(earliest)s から %(latest)s までの日にしてください。"),
    )
    OVERLAPPING_SWAP = "overlapping_swap", 422, _("%(date)s はすでに別の振替に含まれています。")
    SWAP_STARTED = "swap_started", 409, _("振替の日を迎えた振替は取り消せません。")
    # who may do what
    EMPLOYEE_NOT_FOUND = "employee_not_found", 404, _("職員が見つかりません。")
    EMPLOYEE_AMBIGUOUS = "employee_ambiguous", 422, _("ユーザー名と外部IDが別の職員を指しています。")
    HR_ONLY = "hr_only", 403, _("人事担当のみが行えます。")
    INTEGRATION_ONLY = "integration_only", 403, _("PCログを登録する権限がありません。")
    # fields of corrections, PC logs and the days' query
    IN_FUTURE = "in_future", 422, _("未来の時刻です。")
    OUTSIDE_DAY = "outside_day", 422, _("打刻の時刻が対象日の範囲外か、未来の時刻です。")
    BEFORE_START = "before_start", 400, _("終了日は開始日以降にしてください。")
    RANGE_TOO_LONG = "range_too_long", 400, _("期間は1年以内にしてください。")
