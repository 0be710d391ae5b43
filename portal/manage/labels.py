"""Attendance anomalies in words, in the request's language (the codes are attendance.worktime's)."""

from django.utils.translation import gettext_lazy as _

from attendance import worktime

ANOMALY_LABELS = {
    worktime.MISSING_CLOCK_OUT: _("退勤打刻なし"),
    worktime.BREAK_SHORT: _("休憩不足"),
    worktime.REST_INTERVAL_SHORT: _("勤務間インターバル不足"),
    worktime.LOG_GAP: _("PCログとの乖離"),
    worktime.OVERTIME_ON_TELEWORK: _("テレワーク日の時間外勤務"),
    worktime.TELEWORK_WITHOUT_APPROVAL: _("承認のないテレワーク"),
    worktime.OFFLINE_REPLAY: _("オフライン打刻"),
    worktime.NO_RECORD: _("打刻記録なし"),
}


def anomaly_words(codes) -> list[str]:
    return [str(ANOMALY_LABELS.get(code, code)) for code in codes]
