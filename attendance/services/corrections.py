"""打刻修正: a correction request is an `attendance_correction` document; its approval adds corrective events.

Corrections never edit events: the corrective events reference the ones they replace. While the month's timesheet
is submitted or approved, corrections of that month are refused (409 `timesheet_submitted`), both when filed and
when approved: the approver of the timesheet signs totals that must still hold. The employee withdraws the
timesheet first (引上げ), or HR reopens an approved or closed month.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals import services as approvals
from approvals.audit import audit_batch
from attendance import lock_objects, selectors
from attendance.codes import AttendanceError
from attendance.models import ClockEvent, ClockSource, CorrectionRequest, CorrectionStatus, DaySummary
from attendance.services.days import ensure_month_editable, recompute
from core.errors import CoreError, ValidationFailed
from org.models import Employee

KIND_CORRECTION = "attendance_correction"
# A corrective event lies between its day's start and this time two days later (a night shift's morning).
CORRECTION_WINDOW_END = time(5, 0)


def corrective_events_add(
    *, employee: Employee, day: date, events: list[dict], correction=None
) -> list[ClockEvent]:
    """打刻修正の反映: add corrective events for a day, each replacing the effective event it stands for.

    For each kind, the corrective events in time order replace the day's effective events of that kind in time
    order; the ones beyond them are additions. Nothing is edited or deleted. Call inside a transaction.
    """
    lock_objects.employee_lock(employee)
    ensure_month_editable(employee_id=employee.pk, day=day)
    existing: dict[str, list[ClockEvent]] = {}
    for event in selectors.effective_events(employee_id=employee.pk, day=day):
        existing.setdefault(event.kind, []).append(event)
    added = []
    for item in sorted(events, key=lambda e: e["at"]):
        replaced = existing.get(item["kind"], [])
        added.append(
            ClockEvent.objects.create(
                employee=employee,
                kind=item["kind"],
                at=item["at"],
                work_date=day,
                location=item["location"],
                source=ClockSource.CORRECTION,
                corrects=replaced.pop(0) if replaced else None,
                correction=correction,
            )
        )
    recompute(employee=employee, day=day)
    next_day = day + timedelta(days=1)
    if DaySummary.objects.filter(employee=employee, date=next_day).exists() and selectors.is_month_open(
        employee_id=employee.pk, day=next_day
    ):
        recompute(employee=employee, day=next_day)  # its rest interval depends on this day's last out
    return added


def _validate_correction_events(*, day: date, events: list[dict]) -> None:
    """At least one event (400); each lies between the day's start and 05:00 two days later, and not in the
    future (422 `outside_day`)."""
    if not events:
        raise ValidationFailed(
            errors=[CoreError.REQUIRED.field("events", _("打刻を1件以上指定してください。"))]
        )
    start = timezone.make_aware(datetime.combine(day, time(0, 0)))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=2), CORRECTION_WINDOW_END))
    now = timezone.now()
    errors = [
        AttendanceError.OUTSIDE_DAY.field(f"events[{index}].at", date=day.isoformat())
        for index, event in enumerate(events)
        if not (start <= event["at"] < end) or event["at"] > now
    ]
    if errors:
        raise CoreError.RULE_VIOLATION.error(errors=errors)


def correction_request(
    *, employee: Employee, day: date, events: list[dict], reason: str
) -> CorrectionRequest:
    """打刻修正申請: an `attendance_correction` document, submitted at once to the employee's director.

    `events` are [{kind, at (aware datetime), location}]. Nothing changes until the final approval. Refused in a
    closed month (`month_closed`) and while the month's timesheet is submitted or approved
    (`timesheet_submitted`).
    """
    _validate_correction_events(day=day, events=events)
    stored = [
        {"kind": e["kind"], "at": e["at"].isoformat(), "location": e["location"]}
        for e in sorted(events, key=lambda e: e["at"])
    ]
    with transaction.atomic(), audit_batch():
        lock_objects.employee_lock(employee)
        ensure_month_editable(employee_id=employee.pk, day=day)
        correction = CorrectionRequest.objects.create(
            employee=employee, date=day, events=stored, reason=reason
        )
        document = approvals.document_create(
            kind=KIND_CORRECTION,
            drafter=employee,
            title=str(_("打刻修正申請 %(date)s") % {"date": day.isoformat()}),
            body=reason,
            payload={"correction": correction.pk, "date": day.isoformat(), "events": stored},
        )
        correction.document = document
        correction.save(update_fields=["document"])
        approvals.document_submit(document=document, actor=employee)
    correction.refresh_from_db()
    return correction


def on_correction_approved(document) -> None:
    """決裁: add the corrective events and recompute the day; a closed month, or one whose timesheet is submitted or
    approved, refuses (the approval rolls back)."""
    correction = lock_objects.correction_of_document_lock(document)
    if correction.status != CorrectionStatus.SUBMITTED:
        return
    events = [
        {"kind": e["kind"], "at": datetime.fromisoformat(e["at"]), "location": e["location"]}
        for e in correction.events
    ]
    corrective_events_add(
        employee=correction.employee, day=correction.date, events=events, correction=correction
    )
    correction.status = CorrectionStatus.APPROVED
    correction.decided_at = timezone.now()
    correction.save(update_fields=["status", "decided_at"])


def _correction_ends(document, status: str) -> None:
    correction = lock_objects.correction_of_document_lock(document)
    if correction.status == CorrectionStatus.SUBMITTED:
        correction.status = status
        correction.decided_at = timezone.now()
        correction.save(update_fields=["status", "decided_at"])


def on_correction_rejected(document) -> None:
    """否決: nothing changes but the request's status."""
    _correction_ends(document, CorrectionStatus.REJECTED)


def on_correction_withdrawn(document) -> None:
    _correction_ends(document, CorrectionStatus.WITHDRAWN)
