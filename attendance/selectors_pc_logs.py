"""PC logs of a day beside its clock (勤怠差異), and the employees an integration names."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from attendance.models import DaySummary, LogGapReason, PcLogEvent
from org.models import Employee


@dataclass(frozen=True)
class DayLogs:
    """A day's PC logs beside its clock: the day's snapshot (None before any), the logs, the gap's reason."""

    employee: Employee
    date: date
    summary: DaySummary | None
    logs: list[PcLogEvent]
    reason: LogGapReason | None


def day_logs(*, employee: Employee, day: date) -> DayLogs:
    return DayLogs(
        employee=employee,
        date=day,
        summary=DaySummary.objects.filter(employee=employee, date=day).first(),
        logs=list(PcLogEvent.objects.filter(employee=employee, work_date=day).order_by("at", "id")),
        reason=LogGapReason.objects.filter(employee=employee, date=day).select_related("recorded_by").first(),
    )


def employees_by_reference(references) -> dict[str, list[Employee]]:
    """{reference: the employees whose username or external id it is}, in one query (an integration's names)."""
    references = set(references)
    found: dict[str, list[Employee]] = defaultdict(list)
    for employee in Employee.objects.filter(Q(username__in=references) | Q(external_id__in=references)):
        for reference in {employee.username, employee.external_id} & references:
            found[reference].append(employee)
    return found
