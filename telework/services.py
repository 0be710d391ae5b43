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
from org.models import Department, Employee, EmploymentType
from telework import rules
from telework.codes import TeleworkError
from telework.lock_objects import (
    applicant_lock,
    department_days_lock,
    department_phase_lock,
    document_lock,
    policy_lock,
    request_lock,
    unreminded_days_lock,
)
from telework.models import (
    TRANSITIONS,
    BlackoutDate,
    CalendarFeedToken,
    ContinuityPeriod,
    DayReport,
    DayUnit,
    DepartmentDay,
    Location,
    PolicyVersion,
    RequestStatus,
    TeleworkDay,
    TeleworkPolicy,
    TeleworkRequest,
)
from telework.policy import POLICY_FIELDS, severity_errors
from telework.selectors import (
    POLICY_EDITORS,
    approved_telework_location,
    checked_versions,
    effective_policy,
    policy_row_values,
    policy_versions,
    request_check,
    rule_context,
)

MAX_DAYS_PER_REQUEST = 31
COUNT_FIELDS = (
    "max_days_per_week",
    "max_days_per_month",
    "max_consecutive_days",
    "advance_notice_business_days",
    "min_office_staff",
    "min_months_since_hire",
    "after_the_fact_business_days",
)


def _ensure_policy_editor(actor: Employee) -> None:
    if not actor.has_role(*POLICY_EDITORS):
        raise CoreError.PERMISSION_DENIED.error(_("テレワーク実施要綱はデジタル推進係のみが変更できます。"))


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


# --- policy -----------------------------------------------------------------------------------------


def _validate_policy_fields(fields: dict) -> None:
    errors = []
    unknown = sorted(set(fields) - set(POLICY_FIELDS))
    errors += [CoreError.UNKNOWN_FIELD.field(name) for name in unknown]
    locations = fields.get("allowed_locations")
    if locations is not None and (not isinstance(locations, list) or set(locations) - set(Location.values)):
        errors.append(
            CoreError.INVALID_CHOICE.field(
                "allowed_locations",
                _("実施場所は home / satellite / mobile から選んでください。"),
                choices=list(Location.values),
            )
        )
    types = fields.get("eligible_employment_types")
    if types is not None and (not isinstance(types, list) or set(types) - set(EmploymentType.values)):
        errors.append(
            CoreError.INVALID_CHOICE.field(
                "eligible_employment_types", _("不明な任用形態です。"), choices=list(EmploymentType.values)
            )
        )
    for name in COUNT_FIELDS:
        value = fields.get(name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            errors.append(CoreError.INVALID.field(name, _("0以上の整数を指定してください。")))
    severities = fields.get("severities")
    if severities is not None:
        bad = severity_errors(severities) if isinstance(severities, dict) else ["severities"]
        if bad:
            errors.append(
                CoreError.INVALID.field(
                    "severities",
                    _("規則コードごとに hard か soft を指定してください。"),
                    invalid=bad,
                    codes=[str(code) for code in rules.RULE_CODES],
                )
            )
    if errors:
        raise CoreError.INVALID.error(errors=errors)


def _validate_blackout_dates(items: list[tuple[date, str]]) -> list[tuple[date, str]]:
    errors = []
    seen: set[date] = set()
    cleaned = []
    for index, (day, reason) in enumerate(items):
        if not str(reason).strip():
            errors.append(CoreError.REQUIRED.field(f"blackout_dates[{index}].reason", _("理由は必須です。")))
        if day in seen:
            errors.append(CoreError.UNIQUE.field(f"blackout_dates[{index}].date", date=day.isoformat()))
        seen.add(day)
        cleaned.append((day, str(reason).strip()))
    if errors:
        raise CoreError.INVALID.error(errors=errors)
    return cleaned


def _blackout_dates_replace(
    *, actor: Employee | None, department: Department | None, items: list[tuple[date, str]]
) -> None:
    """The scope's own upcoming blackout dates (from today; past ones stay as the record of their days) become
    `items`; the town-wide ones are the default policy's, a department's its own."""
    upcoming = BlackoutDate.objects.filter(department=department, date__gte=timezone.localdate())
    upcoming.delete()
    BlackoutDate.objects.bulk_create(
        BlackoutDate(date=day, department=department, reason=reason, created_by=actor)
        for day, reason in items
    )


def policy_update(
    *,
    actor: Employee | None,
    department: Department | None = None,
    blackout_dates: list[tuple[date, str]] | None = None,
    **fields,
) -> TeleworkPolicy | None:
    """要綱の変更 (secretariat): set fields of the town default or of a department's override (None on an
    override = inherit the default; on the default = no limit). When a field changes, a new version and its
    snapshot are written; setting the values it already has writes nothing. `blackout_dates` ((date, reason)
    pairs), when given, replaces the scope's own upcoming blackout dates; they are facts of their days, read as
    they are at every check, not a part of the version. Returns the policy row (None when the scope has none)."""
    if actor is not None:
        _ensure_policy_editor(actor)
    _validate_policy_fields(fields)
    if blackout_dates is not None:
        blackout_dates = _validate_blackout_dates(blackout_dates)
    with transaction.atomic():
        if blackout_dates is not None:
            _blackout_dates_replace(actor=actor, department=department, items=blackout_dates)
        if not fields:
            return TeleworkPolicy.objects.filter(department=department).first()
        policy = policy_lock(department)
        changed = [name for name, value in fields.items() if getattr(policy, name) != value]
        if not changed and policy.version > 0:
            return policy
        for name in changed:
            setattr(policy, name, fields[name])
        policy.version += 1
        policy.updated_by = actor
        policy.updated_at = timezone.now()
        policy.save()
        PolicyVersion.objects.create(
            policy=policy, version=policy.version, values=policy_row_values(policy), created_by=actor
        )
    return policy


def blackout_date_create(
    *, actor: Employee, date: date, reason: str, department: Department | None = None
) -> BlackoutDate:
    """実施不可日の登録 (secretariat): town-wide, or for one department."""
    _ensure_policy_editor(actor)
    if not reason.strip():
        raise CoreError.INVALID.error(errors=[CoreError.REQUIRED.field("reason", _("理由は必須です。"))])
    with transaction.atomic():
        return BlackoutDate.objects.create(
            date=date, department=department, reason=reason.strip(), created_by=actor
        )


def continuity_period_create(
    *, actor: Employee, start: date, end: date, departments: Iterable[Department] = (), reason: str
) -> ContinuityPeriod:
    """業務継続期間の宣言 (secretariat): caps and notice are lifted for its departments (none = all) and days."""
    _ensure_policy_editor(actor)
    errors = []
    if end < start:
        errors.append(CoreError.END_BEFORE_START.field("end"))
    if not reason.strip():
        errors.append(CoreError.REQUIRED.field("reason", _("理由は必須です。")))
    if errors:
        raise CoreError.INVALID.error(errors=errors)
    with transaction.atomic():
        period = ContinuityPeriod.objects.create(
            start=start, end=end, reason=reason.strip(), created_by=actor
        )
        period.departments.set(list(departments))
        recipients = org_selectors.active_employees()
        if period.departments.exists():
            recipients = recipients.filter(department__in=period.departments.all())
        notify(
            recipients=list(recipients),
            kind="telework_continuity",
            title=_("業務継続期間: %(reason)s") % {"reason": period.reason},
            body=_("%(start)s〜%(end)s はテレワークの上限日数と事前申請の制限がありません。")
            % {"start": start.isoformat(), "end": end.isoformat()},
            link="/api/v1/telework/policy/",
        )
    return period


def department_phase_change(*, department: Department, phase: str, since: date) -> str:
    """導入段階の変更: the department's phase (the gate of its requests) becomes `phase` from `since`; returns
    the phase it had. Production calls it from the rollout app's `phase_move`, inside its transaction, which
    checks the phase (one of `Phase.values`) and the date and records the move; telework keeps only the
    current phase. The same phase again is refused (409 `phase_unchanged`)."""
    with transaction.atomic():
        current = department_phase_lock(department=department, since=since)
        if current.phase == phase:
            raise TeleworkError.PHASE_UNCHANGED.error(phase=phase)
        previous = current.phase
        current.phase = phase
        current.since = since
        current.save(update_fields=["phase", "since"])
    return previous


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
