"""テレワーク実施要綱の変更: the policy (town default and department overrides), blackout dates, business-continuity
periods and the department's phase as telework sees it; each change audited. `telework.services` exposes them."""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import CoreError
from notifications.services import notify
from org import selectors as org_selectors
from org.models import Department, Employee, EmploymentType
from telework import rules
from telework.codes import TeleworkError
from telework.lock_objects import (
    department_phase_lock,
    policy_lock,
)
from telework.models import (
    BlackoutDate,
    ContinuityPeriod,
    Location,
    PolicyVersion,
    TeleworkPolicy,
)
from telework.policy import POLICY_FIELDS, severity_errors
from telework.selectors import (
    POLICY_EDITORS,
    policy_row_values,
)

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
