"""The stable codes of leave: every code that its services, selectors, rules and API views can return.

Generic codes (`invalid`, `required`, `permission_denied`, `not_found`, `rule_violation`, and the date rules
`not_working_day` and `past_date` that telework shares) are `CoreError`'s. The rule codes are the `errors[]`
items of a 422; `leave.rules` writes each violation's own message (with its days and limits).
"""

from django.utils.translation import gettext_lazy as _

from core.errors import ErrorCode


class LeaveError(ErrorCode):
    # 400: the shape of the input (items of `errors`)
    ONE_DAY_REQUIRED = "one_day_required", 400, _("半日・時間単位の休暇は1日の中で申請してください。")
    WHOLE_HOURS = "whole_hours", 400, _("時間単位の休暇は1時間単位で申請してください。")

    # 409: the state of a request
    LEAVE_STARTED = (
        "leave_started",
        409,
        _("休暇の初日以降は、本人は取り消せません(人事担当に依頼してください)。"),
    )

    # 422: the rules of leave (items of `errors`)
    UNIT_NOT_ALLOWED = "unit_not_allowed", 422, _("この休暇はこの単位では取得できません。")
    INSUFFICIENT_BALANCE = "insufficient_balance", 422, _("残日数が足りません。")
    HOURLY_LIMIT = "hourly_limit", 422, _("時間単位で取得できる年間の上限を超えます。")
    OVERLAPPING_LEAVE = "overlapping_leave", 422, _("既に休暇を申請している日が含まれています。")
    OUTSIDE_WINDOW = "outside_window", 422, _("この休暇の取得期間外です。")
    ATTACHMENT_REQUIRED = "attachment_required", 422, _("診断書等の添付が必要です。")
    SPANS_LEAVE_YEARS = (
        "spans_leave_years",
        422,
        _("休暇年をまたぐ申請はできません。年ごとに分けて申請してください。"),
    )
