"""休暇の規則: pure functions (no ORM) over plain facts — the leave year, the annual grant and its carry-over, what
a request charges, and every rule a request must meet. `leave.selectors` gathers the facts, `leave.services`
acts on the answers.

Amounts are minutes (a `Decimal`, since half of a 7h45m day is 232.5 minutes) at the grant's day length.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.utils.translation import gettext as _

from core.errors import CoreError
from leave.codes import LeaveError

ZERO = Decimal(0)
HALF_UNITS = ("am", "pm")


def month_day(text: str) -> tuple[int, int]:
    """ "04-01" → (4, 1)."""
    month, day = text.split("-")
    return int(month), int(day)


def year_start(year: int, start: str) -> date:
    """The first day of the leave year `year` (a year starting on `start`, MM-DD)."""
    return date(year, *month_day(start))


def year_end(year: int, start: str) -> date:
    return date.fromordinal(year_start(year + 1, start).toordinal() - 1)


def leave_year(day: date, start: str) -> int:
    """The leave year of `day`: the calendar year in which that leave year began."""
    return day.year if day >= year_start(day.year, start) else day.year - 1


def grant_date(year: int, *, start: str, grant: str) -> date:
    """The grant day of the leave year (MM-DD inside it)."""
    on = date(year, *month_day(grant))
    return on if on >= year_start(year, start) else date(year + 1, *month_day(grant))


def hire_month(hired_on: date, year: int, start: str) -> int | None:
    """The month of the leave year (1–12) in which someone hired on `hired_on` joined, or None when they were
    already employed when it began."""
    first = year_start(year, start)
    if hired_on < first:
        return None
    months = (hired_on.year - first.year) * 12 + hired_on.month - first.month
    return months + 1 if hired_on.day >= first.day else months


def granted_days(
    *, hired_on: date | None, year: int, start: str, full_days: int, table: Mapping[int, Decimal]
) -> Decimal:
    """The days granted for the year: the full grant, or the table's row for a hire during the year."""
    month = hire_month(hired_on, year, start) if hired_on else None
    if month is None:
        return Decimal(full_days)
    return Decimal(table.get(month, full_days))


@dataclass(frozen=True)
class Usage:
    """One year's account: what was granted and carried, what active requests use of each."""

    granted: Decimal
    carried: Decimal
    used_granted: Decimal = ZERO
    used_carried: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        return self.granted + self.carried - self.used_granted - self.used_carried

    @property
    def used(self) -> Decimal:
        return self.used_granted + self.used_carried

    def split(self, cost: Decimal) -> Decimal:
        """The part of `cost` drawn on the carry-over: the oldest days go first."""
        return min(cost, max(ZERO, self.carried - self.used_carried))


def carry_over(previous: Usage | None, *, cap_minutes: Decimal) -> Decimal:
    """繰越: the unused part of last year's grant (last year's own carry-over expires), up to the cap."""
    if previous is None:
        return ZERO
    return max(ZERO, min(previous.granted - previous.used_granted, cap_minutes))


def days_and_hours(minutes: Decimal, day_minutes: int) -> dict:
    """{days, hours}: whole days, and the rest in hours (two decimals)."""
    minutes = max(ZERO, minutes)
    days = int(minutes // day_minutes)
    rest = minutes - days * day_minutes
    return {"days": days, "hours": float((rest / 60).quantize(Decimal("0.01"))), "minutes": float(minutes)}


def hours_minutes(start: time, end: time, breaks: tuple[time, time] | None) -> int:
    """Minutes from start to end less the scheduled break they span."""
    day = date(2000, 1, 1)
    total = (datetime.combine(day, end) - datetime.combine(day, start)).seconds // 60
    if breaks:
        lo, hi = max(start, breaks[0]), min(end, breaks[1])
        if lo < hi:
            total -= (datetime.combine(day, hi) - datetime.combine(day, lo)).seconds // 60
    return total


@dataclass(frozen=True)
class TypeFacts:
    code: str
    units: tuple[str, ...]
    balance: bool
    max_days_per_year: Decimal | None = None
    max_days_per_event: Decimal | None = None
    window_start: str = ""
    window_end: str = ""
    needs_attachment_after_days: int | None = None


@dataclass(frozen=True)
class RequestFacts:
    """Everything the rules of one request read. `working_days` are the working days of its span; `taken` the
    employee's active leave days of those dates (date → unit, with (start, end) times for hours); `earliest` the
    first day still open to an after-the-fact request."""

    leave_type: TypeFacts
    unit: str
    start_date: date
    end_date: date
    working_days: tuple[date, ...]
    cost: Decimal
    hours_minutes: int
    earliest: date
    usage: Usage | None = None
    hourly_used: Decimal = ZERO
    hourly_limit: Decimal = ZERO
    used_this_year_days: Decimal = ZERO
    taken: Mapping[date, list[tuple[str, time | None, time | None]]] = field(default_factory=dict)
    start_time: time | None = None
    end_time: time | None = None
    leave_year_end: date | None = None

    @property
    def days(self) -> Decimal:
        if self.unit == "day":
            return Decimal(len(self.working_days))
        return Decimal("0.5") if self.unit in HALF_UNITS else ZERO


def _unit_allowed(facts: RequestFacts) -> list[dict]:
    needs = {"day": "day", "am": "half_day", "pm": "half_day", "hours": "hour"}[facts.unit]
    if needs in facts.leave_type.units:
        return []
    return [LeaveError.UNIT_NOT_ALLOWED.field("unit", unit=facts.unit, units=list(facts.leave_type.units))]


def check_not_working_day(facts: RequestFacts) -> list[dict]:
    if facts.working_days:
        return []
    return [
        CoreError.NOT_WORKING_DAY.field(
            "start_date",
            _("%(start)s〜%(end)s に勤務日がありません(休日・閉庁日は休暇になりません)。")
            % {"start": facts.start_date.isoformat(), "end": facts.end_date.isoformat()},
            start=facts.start_date.isoformat(),
            end=facts.end_date.isoformat(),
        )
    ]


def check_past_date(facts: RequestFacts) -> list[dict]:
    if facts.start_date >= facts.earliest:
        return []
    return [
        CoreError.PAST_DATE.field(
            "start_date",
            _("%(earliest)s より前の日は申請できません(事後申請の期限を過ぎています)。")
            % {"earliest": facts.earliest.isoformat()},
            earliest=facts.earliest.isoformat(),
        )
    ]


def check_outside_window(facts: RequestFacts) -> list[dict]:
    kind = facts.leave_type
    if not kind.window_start:
        return []
    lo, hi = month_day(kind.window_start), month_day(kind.window_end)
    outside = [day for day in (facts.start_date, facts.end_date) if not lo <= (day.month, day.day) <= hi]
    if not outside:
        return []
    return [
        LeaveError.OUTSIDE_WINDOW.field(
            "start_date" if outside[0] == facts.start_date else "end_date",
            _("この休暇は %(start)s から %(end)s までの間に取得してください。")
            % {"start": kind.window_start, "end": kind.window_end},
            window={"start": kind.window_start, "end": kind.window_end},
        )
    ]


def check_one_leave_year(facts: RequestFacts) -> list[dict]:
    """A type counted per year (a balance, or days a year) charges one leave year, that of its first day: a span
    whose working days go past that year's end is two requests, one for each year (holidays after the end,
    which charge nothing, do not count)."""
    kind = facts.leave_type
    per_year = kind.balance or kind.max_days_per_year is not None
    last_charged = facts.working_days[-1] if facts.working_days else facts.end_date
    if not per_year or facts.leave_year_end is None or last_charged <= facts.leave_year_end:
        return []
    next_start = date.fromordinal(facts.leave_year_end.toordinal() + 1)
    return [
        LeaveError.SPANS_LEAVE_YEARS.field(
            "end_date",
            _("休暇年をまたぐ申請はできません。%(end)s までと %(next)s からの2件に分けて申請してください。")
            % {"end": facts.leave_year_end.isoformat(), "next": next_start.isoformat()},
            year_end=facts.leave_year_end.isoformat(),
            next_year_start=next_start.isoformat(),
        )
    ]


def _clash(unit: str, start: time | None, end: time | None, facts: RequestFacts) -> bool:
    if "day" in (unit, facts.unit):
        return True
    if unit in HALF_UNITS or facts.unit in HALF_UNITS:
        return unit == facts.unit or "hours" in (unit, facts.unit)
    return start < facts.end_time and facts.start_time < end


def check_overlapping_leave(facts: RequestFacts) -> list[dict]:
    clashes = sorted(
        day
        for day in facts.working_days
        if any(_clash(unit, start, end, facts) for unit, start, end in facts.taken.get(day, ()))
    )
    if not clashes:
        return []
    return [
        LeaveError.OVERLAPPING_LEAVE.field(
            "start_date",
            _("既に休暇を申請している日が含まれています: %(dates)s")
            % {"dates": ", ".join(day.isoformat() for day in clashes)},
            dates=[day.isoformat() for day in clashes],
        )
    ]


def check_balance(facts: RequestFacts) -> list[dict]:
    kind = facts.leave_type
    if kind.balance and facts.usage is not None and facts.cost > facts.usage.remaining:
        return [
            LeaveError.INSUFFICIENT_BALANCE.field(
                "type",
                _("年次休暇の残りが足りません(残り %(remaining)s 分、申請 %(cost)s 分)。")
                % {"remaining": facts.usage.remaining, "cost": facts.cost},
                remaining_minutes=float(facts.usage.remaining),
                requested_minutes=float(facts.cost),
            )
        ]
    errors = []
    if kind.max_days_per_event is not None and facts.days > kind.max_days_per_event:
        errors.append(
            LeaveError.INSUFFICIENT_BALANCE.field(
                "end_date",
                _("この休暇は1回 %(max)s 日までです。") % {"max": kind.max_days_per_event},
                max_days_per_event=float(kind.max_days_per_event),
                requested_days=float(facts.days),
            )
        )
    if kind.max_days_per_year is not None and facts.used_this_year_days + facts.days > kind.max_days_per_year:
        errors.append(
            LeaveError.INSUFFICIENT_BALANCE.field(
                "end_date",
                _("この休暇は年 %(max)s 日までです(取得済み・申請中 %(used)s 日)。")
                % {"max": kind.max_days_per_year, "used": facts.used_this_year_days},
                max_days_per_year=float(kind.max_days_per_year),
                used_days=float(facts.used_this_year_days),
                requested_days=float(facts.days),
            )
        )
    return errors


def check_hourly_limit(facts: RequestFacts) -> list[dict]:
    if facts.unit != "hours" or not facts.leave_type.balance:
        return []
    if facts.hourly_used + facts.cost <= facts.hourly_limit:
        return []
    return [
        LeaveError.HOURLY_LIMIT.field(
            "end_time",
            _("時間単位の年次休暇は年 %(limit)s 分までです(取得済み・申請中 %(used)s 分)。")
            % {"limit": facts.hourly_limit, "used": facts.hourly_used},
            limit_minutes=float(facts.hourly_limit),
            used_minutes=float(facts.hourly_used),
            requested_minutes=float(facts.cost),
        )
    ]


def needs_attachment(leave_type: TypeFacts, days: Decimal) -> bool:
    """A 診断書 (or other proof) is needed beyond the type's number of days."""
    limit = leave_type.needs_attachment_after_days
    return limit is not None and days > limit


def attachment_warning(facts: RequestFacts) -> list[dict]:
    """A warning on filing (the file is attached to the document afterwards); the 決裁 refuses without it."""
    if not needs_attachment(facts.leave_type, facts.days):
        return []
    return [attachment_error(facts.leave_type)]


def attachment_error(leave_type: TypeFacts) -> dict:
    return LeaveError.ATTACHMENT_REQUIRED.field(
        "attachment",
        _("%(days)s日を超える場合は診断書等を文書に添付してください。")
        % {"days": leave_type.needs_attachment_after_days},
        after_days=leave_type.needs_attachment_after_days,
    )


RULES = (
    _unit_allowed,
    check_not_working_day,
    check_past_date,
    check_outside_window,
    check_one_leave_year,
    check_overlapping_leave,
    check_balance,
    check_hourly_limit,
)


def check(facts: RequestFacts) -> list[dict]:
    """Every violation of every rule, in a fixed order."""
    return [error for rule in RULES for error in rule(facts)]


def charged_days(days: Collection[date], unit: str, day_minutes: int, minutes: int) -> dict[date, Decimal]:
    """What each working day of a request charges."""
    if unit == "day":
        return {day: Decimal(day_minutes) for day in days}
    if unit in HALF_UNITS:
        return {day: Decimal(day_minutes) / 2 for day in days}
    return {day: Decimal(minutes) for day in days}
