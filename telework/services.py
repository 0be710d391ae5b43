"""テレワークの操作: the policy, blackout dates, continuity periods, requests (apply, approve, cancel),
day reports and their reminders, the calendar feed token, and a department's current phase (changed by the
rollout app's phase move, which records its history).

Row locks are `telework.lock_objects`'s, taken in the order its docstring states (employee, document, telework
request, department days by date, the audit chain head last: services that call the approvals services open an
`audit_batch` around their whole transaction). Every error is a member of a catalogue (`telework.codes`,
`core.errors.CoreError`).
"""

import hashlib
import secrets
from collections.abc import Iterable
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from approvals.audit import audit_batch
from core.errors import CoreError, field_error
from notifications.models import Channel
from notifications.services import notify
from org import selectors as org_selectors
from org.models import Employee
from telework import rules
from telework.codes import TeleworkError
from telework.lock_objects import (
    applicant_lock,
    department_days_lock,
    document_lock,
    request_lock,
    unreminded_days_lock,
)
from telework.models import (
    TRANSITIONS,
    CalendarFeedToken,
    DayReport,
    DayUnit,
    DepartmentDay,
    Location,
    RequestStatus,
    TeleworkDay,
    TeleworkRequest,
)
from telework.selectors import (
    approved_telework_location,
    checked_versions,
    effective_policy,
    policy_versions,
    request_check,
    rule_context,
)

MAX_DAYS_PER_REQUEST = 31


# The policy's changes (要綱・閉庁・BCP・段階) are telework.policy_changes'; services keeps its one public face.
from telework.policy_changes import blackout_date_create as blackout_date_create  # noqa: E402
from telework.policy_changes import continuity_period_create as continuity_period_create  # noqa: E402
from telework.policy_changes import department_phase_change as department_phase_change  # noqa: E402
from telework.policy_changes import policy_update as policy_update  # noqa: E402


def violation_error(violation: rules.Violation) -> dict:
    """A violation as an `errors` item, its message in the active language."""
    return field_error(violation.field, violation.code, violation.message(get_language()), **violation.params)


def _stored_warning(violation: rules.Violation) -> dict:
    return {
        "field": violation.field,
        "code": violation.code,
        "params": violation.params,
        "message_ja": violation.message_ja,
        "message_en": violation.message_en,
    }


# --- requests ---------------------------------------------------------------------------------------


def _validate_request(*, dates: list[date], location: str, work_plan: str, unit: str) -> list[date]:
    errors = []
    unique = sorted(set(dates))
    if not unique:
        errors.append(CoreError.REQUIRED.field("dates", _("日付を1日以上指定してください。")))
    elif len(unique) > MAX_DAYS_PER_REQUEST:
        errors.append(TeleworkError.TOO_MANY_DATES.field("dates", max=MAX_DAYS_PER_REQUEST))
    if location not in Location.values:
        errors.append(
            CoreError.INVALID_CHOICE.field(
                "location", _("不明な実施場所です。"), choices=list(Location.values)
            )
        )
    if unit not in DayUnit.values:
        errors.append(
            CoreError.INVALID_CHOICE.field("unit", _("不明な実施単位です。"), choices=list(DayUnit.values))
        )
    if not work_plan.strip():
        errors.append(CoreError.REQUIRED.field("work_plan", _("業務計画は必須です。")))
    if errors:
        raise CoreError.INVALID.error(errors=errors)
    return unique


def _document_text(
    *, employee: Employee, dates: list[date], location: str, unit: str, work_plan: str
) -> tuple[str, str]:
    days = ", ".join(day.isoformat() for day in dates)
    if unit != DayUnit.DAY:
        days = f"{days}({DayUnit(unit).label})"
    title = _("テレワーク申請 %(name)s %(first)s") % {
        "name": employee.name or employee.username,
        "first": dates[0].isoformat() + (_(" ほか%(n)s日") % {"n": len(dates) - 1} if len(dates) > 1 else ""),
    }
    body = _("実施日: %(days)s\n実施場所: %(location)s\n業務計画:\n%(plan)s") % {
        "days": days,
        "location": Location(location).label,
        "plan": work_plan,
    }
    return title, body


def _ensure_department_days(department_id: int, dates: Iterable[date]) -> None:
    """The department's day rows that `department_days_lock` locks, inserted when missing."""
    DepartmentDay.objects.bulk_create(
        [DepartmentDay(department_id=department_id, date=day) for day in dates], ignore_conflicts=True
    )


def application_check(
    *,
    employee: Employee,
    dates: list[date],
    location: str,
    unit: str,
    exclude_request: TeleworkRequest | None = None,
) -> tuple:
    """Every rule against an application of today: hard violations refuse it (422 with all of them); returns
    the check and every violation (the soft ones become the approvers' warnings). Call it with the applicant
    locked."""
    check = rule_context(
        employee=employee, dates=dates, location=location, unit=unit, exclude_request=exclude_request
    )
    violations = rules.check_all(check.context)
    hard = rules.hard(violations)
    if hard:
        raise CoreError.RULE_VIOLATION.error(
            _("テレワーク実施要綱の規則に違反しています。"), errors=[violation_error(v) for v in hard]
        )
    return check, violations


def request_days_record(
    *, request: TeleworkRequest, employee: Employee, dates: list[date], location: str, unit: str
) -> None:
    """The request's days, one per date; a date another active request holds (a race the check could not see)
    is `overlapping_request`. The department's days are locked after (telework.lock_objects)."""
    try:
        with transaction.atomic():
            TeleworkDay.objects.bulk_create(
                TeleworkDay(
                    request=request,
                    date=day,
                    employee=employee,
                    department=employee.department,
                    location=location,
                    unit=unit,
                )
                for day in dates
            )
    except IntegrityError:
        raise CoreError.RULE_VIOLATION.error(
            _("テレワーク実施要綱の規則に違反しています。"),
            errors=[TeleworkError.OVERLAPPING_REQUEST.field("dates")],
        ) from None
    _ensure_department_days(employee.department_id, dates)


def telework_request_create(
    *, employee: Employee, dates: list[date], location: str, work_plan: str, unit: str = DayUnit.DAY
) -> TeleworkRequest:
    """テレワーク申請: check every rule; hard violations refuse the request (422 with all of them), soft ones are
    kept as warnings. A `telework` document is created and submitted to the applicant's chief and director.
    `unit` is a whole day or, where the policy allows half days, the morning or the afternoon of each date.
    A request with a day before today (事後申請, where the policy admits it) is marked `after_the_fact`."""
    from approvals.services import document_create, document_submit

    requested = _validate_request(dates=dates, location=location, work_plan=work_plan, unit=unit)
    with transaction.atomic(), audit_batch():
        employee = applicant_lock(employee)
        check, violations = application_check(
            employee=employee, dates=requested, location=location, unit=unit
        )
        default_version, override_version = policy_versions(check.policy)
        title, body = _document_text(
            employee=employee, dates=requested, location=location, unit=unit, work_plan=work_plan
        )
        document = document_create(
            kind="telework",
            drafter=employee,
            title=title,
            body=body,
            retention_years=1,
            payload={"dates": [day.isoformat() for day in requested], "location": location, "unit": unit},
        )
        request = TeleworkRequest.objects.create(
            employee=employee,
            department=employee.department,
            location=location,
            unit=unit,
            after_the_fact=requested[0] < check.context.application_date,
            work_plan=work_plan,
            document=document,
            policy_version=default_version,
            department_policy_version=override_version,
            warnings=[_stored_warning(v) for v in rules.soft(violations)],
            created_at=timezone.now(),
        )
        request_days_record(request=request, employee=employee, dates=requested, location=location, unit=unit)
        document_submit(document=document, actor=employee)
    request.refresh_from_db()
    return request


def _set_status(request: TeleworkRequest, status: str, *, now: datetime, extra_fields: tuple = ()) -> None:
    """The request moves to `status` and so do its days that were in its previous status (a day cancelled on
    its own stays cancelled)."""
    if status not in TRANSITIONS[request.status]:
        raise CoreError.INVALID_STATE.error(
            _("現在の状態(%(status)s)ではこの操作はできません。") % {"status": request.get_status_display()}
        )
    previous = request.status
    request.status = status
    if status in (RequestStatus.APPROVED, RequestStatus.REJECTED, RequestStatus.WITHDRAWN):
        request.decided_at = now
    if status == RequestStatus.CANCELLED:
        request.cancelled_at = now
    request.save(update_fields=["status", "decided_at", "cancelled_at", *extra_fields])
    request.days.filter(status=previous).update(status=status)


def telework_request_cancel(
    *, request: TeleworkRequest, actor: Employee, dates: Iterable[date] | None = None
) -> TeleworkRequest:
    """取消 by the applicant of days not yet begun: every day (`dates` None), or only the given ones (一部取消).

    Cancelling the last remaining days cancels the request: a submitted request's document is withdrawn. Days
    cancelled from an approved request are freed (the director is told); a partial cancel of a submitted
    request leaves its document waiting for the days that remain. A date that is not an active day of the
    request is refused (400 `not_a_telework_day`), a day already begun (today or before) with 409
    `already_started`."""
    from approvals.services import document_withdraw

    if actor.pk != request.employee_id:
        raise CoreError.PERMISSION_DENIED.error(_("申請者のみが取り消せます。"))
    with transaction.atomic(), audit_batch():
        document = document_lock(request.document_id) if request.document_id else None
        request = request_lock(request.pk)
        active = {day.date: day for day in request.days.filter(status=request.status)}
        if dates is not None and not dates:
            raise CoreError.INVALID.error(
                errors=[CoreError.REQUIRED.field("dates", _("日付を1日以上指定してください。"))]
            )
        wanted = sorted(set(dates)) if dates is not None else sorted(active)
        unknown = [day for day in wanted if day not in active]
        if unknown:
            raise CoreError.INVALID.error(
                errors=[
                    TeleworkError.NOT_A_TELEWORK_DAY.field("dates", date=day.isoformat()) for day in unknown
                ]
            )
        if request.status not in (RequestStatus.SUBMITTED, RequestStatus.APPROVED):
            raise CoreError.INVALID_STATE.error(
                _("現在の状態(%(status)s)ではこの操作はできません。")
                % {"status": request.get_status_display()}
            )
        if wanted and wanted[0] <= timezone.localdate():
            raise TeleworkError.ALREADY_STARTED.error()
        was_approved = request.status == RequestStatus.APPROVED
        now = timezone.now()
        if len(wanted) == len(active):
            _set_status(request, RequestStatus.CANCELLED, now=now)
            if document is not None and not was_approved:
                document_withdraw(document=document, actor=actor, comment=_("テレワーク申請の取消"))
        else:
            request.days.filter(date__in=wanted).update(status=RequestStatus.CANCELLED)
        if was_approved and request.department_id:
            director = org_selectors.department_director(department=request.department)
            if director is not None and director.pk != actor.pk:
                notify(
                    recipients=[director],
                    kind="telework_cancelled",
                    title=_("テレワーク取消: %(name)s") % {"name": actor.name or actor.username},
                    body=", ".join(day.isoformat() for day in wanted),
                    link=f"/api/v1/telework/requests/{request.pk}/",
                    data={"telework_request": request.pk, "dates": [day.isoformat() for day in wanted]},
                )
    return request


def day_report_submit(*, request: TeleworkRequest, actor: Employee, date: date, summary: str) -> DayReport:
    """業務報告: the applicant reports on an approved telework day, on the day or afterwards, once."""
    if actor.pk != request.employee_id:
        raise CoreError.PERMISSION_DENIED.error(_("申請者のみが業務報告を提出できます。"))
    if not summary.strip():
        raise CoreError.INVALID.error(errors=[CoreError.REQUIRED.field("summary", _("業務内容は必須です。"))])
    with transaction.atomic():
        request = request_lock(request.pk)
        if request.status != RequestStatus.APPROVED:
            raise TeleworkError.NOT_APPROVED.error()
        day = request.days.filter(date=date).first()
        if day is None:
            raise CoreError.INVALID.error(errors=[TeleworkError.NOT_A_TELEWORK_DAY.field("date")])
        if date > timezone.localdate():
            raise TeleworkError.DAY_NOT_REACHED.error()
        if DayReport.objects.filter(day=day).exists():
            raise TeleworkError.ALREADY_REPORTED.error()
        return DayReport.objects.create(day=day, summary=summary.strip(), submitted_at=timezone.now())


def day_report_reminders_send(*, today: date | None = None) -> int:
    """業務報告の督促: once per approved telework day that is over without a report, where the policy asks for
    reports. Safe to run twice: reminded days are marked in the same transaction."""
    today = today or timezone.localdate()
    sent = 0
    requires: dict[int, bool] = {}
    with transaction.atomic():
        for day in unreminded_days_lock(before=today):
            if day.department_id not in requires:
                requires[day.department_id] = effective_policy(day.department).values["require_day_report"]
            if not requires[day.department_id]:
                continue
            notify(
                recipients=[day.employee],
                kind="telework_day_report_missing",
                title=_("業務報告が未提出です(%(date)s)") % {"date": day.date.isoformat()},
                body=_("テレワーク実施日の業務報告を提出してください。"),
                link=f"/api/v1/telework/requests/{day.request_id}/",
                data={"telework_request": day.request_id, "date": day.date.isoformat()},
            )
            day.report_reminded_at = timezone.now()
            day.save(update_fields=["report_reminded_at"])
            sent += 1
    return sent


def telework_without_approval_notify(*, employee: Employee, on: date, location: str) -> None:
    """承認のない在宅等での打刻: tell the employee's director. Registered with `attendance.registry`: attendance
    calls it, inside the clocking's transaction, the first time that day is flagged."""
    if employee.department_id is None:
        return
    director = org_selectors.department_director(department=employee.department)
    if director is None or director.pk == employee.pk:
        return
    with transaction.atomic():
        notify(
            recipients=[director],
            kind="telework_without_approval",
            title=_("承認のないテレワーク: %(name)s %(date)s")
            % {"name": employee.name or employee.username, "date": on},
            body=_("勤務場所: %(location)s") % {"location": location},
            data={"employee": employee.pk, "date": on.isoformat(), "location": location},
        )


# Where a clock-in or clock-out is a start/end report (始業・終業報告): at home or a satellite office; field
# work (mobile) reports through the day's own channels.
START_END_REPORT_LOCATIONS = frozenset({Location.HOME, Location.SATELLITE})
START_END_REPORT_KINDS = {"in": gettext_lazy("始業報告"), "out": gettext_lazy("終業報告")}


def start_end_report_notify(*, employee: Employee, on: date, kind: str, location: str, at: datetime) -> None:
    """始業・終業報告: a clock-in or clock-out at home or a satellite office on an approved telework day is told to
    the department's director (課長) in the chat channel (and in the app), where the department's policy asks
    for the report (`require_start_end_report`). Registered with `attendance.registry`: attendance calls it
    inside the clocking's transaction for every event; other kinds and places are ignored here."""
    if kind not in START_END_REPORT_KINDS or location not in START_END_REPORT_LOCATIONS:
        return
    if employee.department_id is None or approved_telework_location(employee=employee, on=on) is None:
        return
    if not effective_policy(employee.department).values["require_start_end_report"]:
        return
    director = org_selectors.department_director(department=employee.department)
    if director is None or director.pk == employee.pk:
        return
    local = timezone.localtime(at)
    with transaction.atomic():
        notify(
            recipients=[director],
            kind="telework_start_end_report",
            title=_("%(report)s: %(name)s %(time)s(%(location)s)")
            % {
                "report": START_END_REPORT_KINDS[kind],
                "name": employee.name or employee.username,
                "time": local.strftime("%H:%M"),
                "location": Location(location).label,
            },
            data={
                "employee": employee.pk,
                "date": on.isoformat(),
                "kind": kind,
                "location": location,
                "at": local.isoformat(),
            },
            channels=[Channel.IN_APP, Channel.CHAT],
        )


# --- approval handlers (registered for the `telework` document kind) --------------------------------


def _request_of(document) -> TeleworkRequest:
    request_id = TeleworkRequest.objects.filter(document=document).values_list("pk", flat=True).first()
    if request_id is None:
        raise CoreError.NOT_FOUND.error(_("テレワーク申請が見つかりません。"))
    return request_lock(request_id)


def versions_text(versions: dict[str, int | None]) -> str:
    """「全庁 v2・課 v1」: the policy versions a check used, for a message."""
    parts = [_("全庁 v%(version)s") % {"version": versions["default"]}] if versions["default"] else []
    if versions["department"]:
        parts.append(_("課 v%(version)s") % {"version": versions["department"]})
    return "・".join(parts) or _("要綱なし")


def _refuse_hard(violations: list[rules.Violation], versions: dict[str, int | None]) -> None:
    """A 422 listing every hard violation; `params.policy_version` names the versions the check used."""
    hard = rules.hard(violations)
    if hard:
        raise CoreError.RULE_VIOLATION.error(
            _("テレワーク実施要綱(%(versions)s)の規則に違反しているため承認できません。")
            % {"versions": versions_text(versions)},
            errors=[violation_error(v) for v in hard],
            policy_version=versions,
        )


def before_approve(document, *, step_kind: str, acknowledge_warnings: bool) -> None:
    """Each approval re-checks the request (`telework.selectors.request_check`: the policy versions it was
    applied under, the state of today): hard violations refuse it, warnings need `acknowledge_warnings`."""
    request = _request_of(document)
    if request.status != RequestStatus.SUBMITTED:
        raise CoreError.INVALID_STATE.error(_("この申請は承認できる状態ではありません。"))
    violations, versions = request_check(request), checked_versions(request)
    _refuse_hard(violations, versions)
    warnings = rules.soft(violations)
    if warnings and not acknowledge_warnings:
        raise TeleworkError.WARNINGS_NOT_ACKNOWLEDGED.error(
            errors=[violation_error(v) for v in warnings], policy_version=versions
        )


def on_approved(document) -> None:
    """決裁: lock the department's days (in date order), re-check the hard rules under the lock so that two
    approvals cannot together break the counter minimum, then approve the request and its active days. A
    request approved once a day has passed (事後申請 the version admits) is marked `approved_after_the_day`."""
    request = _request_of(document)
    dates = sorted(request.days.filter(status=request.status).values_list("date", flat=True))
    if request.department_id:
        _ensure_department_days(request.department_id, dates)
        department_days_lock(department_id=request.department_id, dates=dates)
    _refuse_hard(request_check(request), checked_versions(request))
    request.approved_after_the_day = bool(dates) and dates[0] < timezone.localdate()
    _set_status(request, RequestStatus.APPROVED, now=timezone.now(), extra_fields=("approved_after_the_day",))


def on_rejected(document) -> None:
    """否決: the request and its days are rejected."""
    request = _request_of(document)
    if request.status == RequestStatus.SUBMITTED:
        _set_status(request, RequestStatus.REJECTED, now=timezone.now())


def on_withdrawn(document) -> None:
    """引上げ: the request is withdrawn (a cancellation has already marked it cancelled)."""
    request = _request_of(document)
    if request.status == RequestStatus.SUBMITTED:
        _set_status(request, RequestStatus.WITHDRAWN, now=timezone.now())


# --- calendar feed ----------------------------------------------------------------------------------


def calendar_token_rotate(*, employee: Employee) -> str:
    """iCalendar の URL トークンを再発行: a new secret; the old URL stops working. Only the hash is kept."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeedToken.objects.update_or_create(
            employee=employee,
            defaults={"token_hash": hashlib.sha256(token.encode()).hexdigest(), "rotated_at": timezone.now()},
        )
    return token
