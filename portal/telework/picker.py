"""What the telework page shows of the policy as one picks: the days of the picker with what each one is, and the
days used and left this week and month (the caps count submitted and approved days, a half day as 0.5)."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from org.calendar import BusinessCalendar
from portal.telework.forms import picker_dates
from telework.models import DayUnit


@dataclass(frozen=True)
class PickerDay:
    date: date
    working: bool
    note: str  # a holiday's name, a blackout date's reason, or that it is already requested
    taken: bool


def picker_days(
    *, today: date, calendar: BusinessCalendar, blackout: dict[date, str], taken: dict[date, str]
) -> list[list[PickerDay]]:
    """The picker's days in weeks (Monday first), each with what makes it special."""
    weeks: list[list[PickerDay]] = []
    for day in picker_dates(today):
        if not weeks or day.weekday() == 0:
            weeks.append([])
        notes = [calendar.closure_reason(day) or ""]
        if day in blackout:
            notes.append(_("実施不可日: %(reason)s") % {"reason": blackout[day]})
        if day in taken:
            notes.append(_("申請済み"))
        weeks[-1].append(
            PickerDay(
                date=day,
                working=calendar.is_working_day(day),
                note=" ".join(note for note in notes if note),
                taken=day in taken,
            )
        )
    return weeks


def _used(taken: dict[date, str], same_period) -> float:
    return sum(1 if unit == DayUnit.DAY else 0.5 for day, unit in taken.items() if same_period(day))


def days_left(*, today: date, policy: dict, taken: dict[date, str]) -> dict:
    """This ISO week's and this month's telework days used and left under the policy's caps (None: no cap)."""
    week = today.isocalendar()[:2]
    used_week = _used(taken, lambda day: day.isocalendar()[:2] == week)
    used_month = _used(taken, lambda day: (day.year, day.month) == (today.year, today.month))
    week_cap, month_cap = policy.get("max_days_per_week"), policy.get("max_days_per_month")
    return {
        "used_week": used_week,
        "left_week": None if week_cap is None else max(week_cap - used_week, 0),
        "used_month": used_month,
        "left_month": None if month_cap is None else max(month_cap - used_month, 0),
    }
