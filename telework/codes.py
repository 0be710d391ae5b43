"""The stable codes of telework: every code that its services, selectors, rules and API views can return.

Generic codes (`invalid`, `required`, `permission_denied`, `not_found`, `rule_violation`) are `CoreError`'s; the
raise site gives the specific message. The rule codes are the `errors[]` items of a 422: `telework.rules` uses
these members as its codes and writes each violation's own message (with its dates and limits) itself; the
message here is the code's title in the published catalogue.
"""

from django.utils.translation import gettext_lazy as _

from core.errors import ErrorCode


class TeleworkError(ErrorCode):
    # 400: the shape of the input (items of `errors`)
    TOO_MANY_DATES = "too_many_dates", 400, _("1回の申請は%(max)s日までです。")
    NOT_A_TELEWORK_DAY = "not_a_telework_day", 422, _("この申請の実施日ではありません。")

    # 409: the state of a request, a day report or a department's phase
    ALREADY_STARTED = "already_started", 409, _("実施日当日以降は取り消せません。")
    NOT_APPROVED = "not_approved", 409, _("承認されたテレワークのみ報告できます。")
    DAY_NOT_REACHED = "day_not_reached", 409, _("実施日より前には報告できません。")
    ALREADY_REPORTED = "already_reported", 409, _("この日の業務報告は提出済みです。")
    PHASE_UNCHANGED = "phase_unchanged", 409, _("すでにその段階です。")

    # 422: an approval with soft violations (warnings) not acknowledged
    WARNINGS_NOT_ACKNOWLEDGED = (
        "warnings_not_acknowledged",
        422,
        _("警告を確認のうえ承認してください(acknowledge_warnings)。"),
    )

    # 422: the rules of the policy (テレワーク実施要綱), items of `errors`
    PHASE_NOT_OPEN = "phase_not_open", 422, _("所属課はまだテレワークを実施していません。")
    LOCATION_NOT_ALLOWED = "location_not_allowed", 422, _("この実施場所は認められていません。")
    ADVANCE_NOTICE = "advance_notice", 422, _("事前申請の期限を過ぎています。")
    MAX_DAYS_PER_WEEK = "max_days_per_week", 422, _("週の上限日数を超えます。")
    MAX_DAYS_PER_MONTH = "max_days_per_month", 422, _("月の上限日数を超えます。")
    MAX_CONSECUTIVE_DAYS = "max_consecutive_days", 422, _("連続して実施できる日数を超えます。")
    BLACKOUT_DATE = "blackout_date", 422, _("テレワーク実施不可日です。")
    MIN_OFFICE_STAFF = "min_office_staff", 422, _("庁内に残る職員が最少人数を下回ります。")
    NOT_ELIGIBLE_EMPLOYMENT_TYPE = (
        "not_eligible_employment_type",
        422,
        _("あなたの任用形態はテレワークの対象外です。"),
    )
    NOT_ELIGIBLE_TENURE = (
        "not_eligible_tenure",
        422,
        _("採用後の期間が足りないため、テレワークの対象外です。"),
    )
    SECURITY_TRAINING_REQUIRED = (
        "security_training_required",
        422,
        _("情報セキュリティ研修を受講してください。"),
    )
    SECURITY_PLEDGE_REQUIRED = (
        "security_pledge_required",
        422,
        _("情報セキュリティ誓約書を提出してください。"),
    )
    OVERLAPPING_REQUEST = "overlapping_request", 422, _("既に申請済みの日が含まれています。")
    ON_LEAVE = "on_leave", 422, _("休暇・不在の日はテレワークを申請できません。")
    HALF_DAY_NOT_ALLOWED = "half_day_not_allowed", 422, _("半日単位のテレワークは認められていません。")
