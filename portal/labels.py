"""Words for the codes the pages show: anomalies of a day and the next clock action's label (translated)."""

from django.utils.translation import gettext_lazy as _

from attendance import worktime
from attendance.models import ClockKind

ANOMALIES = {
    worktime.MISSING_CLOCK_OUT: _("退勤打刻なし"),
    worktime.BREAK_SHORT: _("休憩不足"),
    worktime.REST_INTERVAL_SHORT: _("勤務間インターバル不足"),
    worktime.LOG_GAP: _("PCログとの乖離"),
    worktime.OVERTIME_ON_TELEWORK: _("テレワーク日の時間外勤務"),
    worktime.TELEWORK_WITHOUT_APPROVAL: _("承認のないテレワーク"),
    worktime.OFFLINE_REPLAY: _("オフライン打刻"),
    worktime.NO_RECORD: _("打刻記録なし"),
}

# The clock button's words: short, as on a time recorder (出勤 / 休憩 / 戻り / 退勤).
CLOCK_ACTIONS = {
    ClockKind.IN: _("出勤"),
    ClockKind.BREAK_START: _("休憩"),
    ClockKind.BREAK_END: _("戻り"),
    ClockKind.OUT: _("退勤"),
}


def anomaly_words(codes) -> list[str]:
    """Each anomaly code of a day in words (an unknown code as itself)."""
    return [str(ANOMALIES.get(code, code)) for code in codes or ()]
