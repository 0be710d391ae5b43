"""The stable codes of rollout: every code that its services, selectors and API views can return.

Generic codes (`invalid`, `permission_denied`, `not_found`, `rule_violation`) are `CoreError`'s; a phase given
outside the choices is `telework`'s `invalid_choice`, and moving a department to the phase it is in is
telework's `phase_unchanged` (409), raised by the telework service that holds the current phase.
"""

from django.utils.translation import gettext_lazy as _

from core.errors import ErrorCode


class RolloutError(ErrorCode):
    # 400: the shape of the input (items of `errors`)
    INVALID_PHASE = "invalid_phase", 400, _("段階が正しくありません。")

    # 422: the phase history and the plan (items of `errors`)
    PHASE_DATE_IN_FUTURE = "phase_date_in_future", 422, _("移行日に未来の日付は指定できません。")
    PHASE_DATE_BEFORE_LAST = (
        "phase_date_before_last",
        422,
        _("移行日は前回の移行日（%(last)s）以降にしてください。"),
    )
    PLAN_OUT_OF_ORDER = "plan_out_of_order", 422, _("後の段階の予定日が前の段階より早くなっています。")
