"""導入推進の書き込み: moving a department's phase, setting the plan, writing the monthly adoption snapshots
and sending the monthly report to the secretariat. Each one transaction; the jobs are safe to run twice.

A phase move records the history here and sets the department's current phase, the gate of telework requests,
through telework's service (`department_phase_change`), in the same transaction. Row locks are
`rollout.lock_objects`'s; every error is a member of a catalogue (`rollout.codes`, `telework.codes`, `CoreError`).
"""

from collections.abc import Mapping
from datetime import date
from itertools import pairwise

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import CoreError
from notifications.services import notify
from org import selectors as org_selectors
from org.calendar import fiscal_year, reiwa_fiscal_label_ja
from org.models import Department, Employee, RoleCode
from rollout import calculations, selectors
from rollout.codes import RolloutError
from rollout.lock_objects import plan_lock
from rollout.models import AdoptionSnapshot, PhaseEvent, PhasePlan, PlanRevision, RolloutReport
from telework.models import Phase
from telework.services import department_phase_change

# Who moves departments through the phases and sets the plan: the secretariat (デジタル推進係).
PHASE_EDITORS = (RoleCode.SECRETARIAT,)
DASHBOARD_LINK = "/dashboard/rollout/"
SNAPSHOT_FIELDS = (
    "headcount",
    "teleworkers",
    "telework_days",
    "days_by_location",
    "teleworker_ids",
    "staff_ids",
)


def _require_editor(actor: Employee) -> None:
    if not actor.has_role(*PHASE_EDITORS):
        raise CoreError.PERMISSION_DENIED.error()


def phase_move(
    *, actor: Employee, department: Department, phase: str, on: date, note: str = ""
) -> PhaseEvent:
    """段階の移行: records the move in the history, sets the department's phase (the gate of requests) and
    notifies the department's director (課長). The date may not be in the future nor before the last move."""
    _require_editor(actor)
    if phase not in Phase.values:
        raise CoreError.INVALID.error(
            errors=[CoreError.INVALID_CHOICE.field("phase", _("段階が正しくありません。"))]
        )
    today = timezone.localdate()
    if on > today:
        raise CoreError.RULE_VIOLATION.error(
            errors=[RolloutError.PHASE_DATE_IN_FUTURE.field("date", today=str(today))]
        )
    with transaction.atomic():
        # the department's phase row stays locked (telework's lock) until the move is recorded
        previous = department_phase_change(department=department, phase=phase, since=on)
        last = PhaseEvent.objects.filter(department=department).order_by("-date", "-id").first()
        if last is not None and on < last.date:
            raise CoreError.RULE_VIOLATION.error(
                errors=[RolloutError.PHASE_DATE_BEFORE_LAST.field("date", last=str(last.date))]
            )
        event = PhaseEvent.objects.create(
            department=department,
            phase=phase,
            previous_phase=previous,
            date=on,
            note=note,
            moved_by=actor,
        )
        director = org_selectors.department_director(department=department)
        notify(
            recipients=[director] if director else [],
            kind="telework_phase_moved",
            title=_("%(department)sのテレワーク導入段階が「%(phase)s」になりました")
            % {"department": department.name, "phase": Phase(phase).label},
            body=note,
            link=DASHBOARD_LINK,
            data={
                "department": department.code,
                "phase": phase,
                "previous_phase": event.previous_phase,
                "date": str(on),
            },
        )
    return event


def plan_set(
    *, actor: Employee, department: Department | None, planned: Mapping[str, date | None]
) -> dict[str, date]:
    """導入計画の設定: sets (or with None removes) planned dates of a department, or of the town-wide plan when
    `department` is None. The resulting plan must not put a later phase before an earlier one.
    Each changed date is also recorded as a revision (the plan as of a day, for past fiscal years).
    Returns the department's effective plan (the town-wide plan where it has no date of its own)."""
    _require_editor(actor)
    unknown = [phase for phase in planned if phase not in calculations.PLANNED_PHASES]
    if unknown:
        raise CoreError.INVALID.error(
            errors=[RolloutError.INVALID_PHASE.field("planned", phase=p) for p in unknown]
        )
    with transaction.atomic():
        rows = plan_lock(department)
        own = {phase: row.planned_on for phase, row in rows.items()}
        for phase, planned_on in planned.items():
            if planned_on is None:
                own.pop(phase, None)
            else:
                own[phase] = planned_on
        town = own if department is None else selectors.plan_of(None)
        effective = calculations.effective_plan(town=town, department=own if department is not None else {})
        dates = list(effective.items())
        for (earlier, earlier_on), (later, later_on) in pairwise(dates):
            if later_on < earlier_on:
                raise CoreError.RULE_VIOLATION.error(
                    errors=[
                        RolloutError.PLAN_OUT_OF_ORDER.field(
                            f"planned.{later}", phase=later, previous_phase=earlier
                        )
                    ]
                )
        now = timezone.now()
        revisions = []
        for phase, planned_on in planned.items():
            row = rows.get(phase)
            if (row.planned_on if row is not None else None) != planned_on:
                revisions.append(
                    PlanRevision(
                        department=department,
                        phase=phase,
                        planned_on=planned_on,
                        revised_on=timezone.localdate(),
                        revised_by=actor,
                        created_at=now,
                    )
                )
            if planned_on is None:
                if row is not None:
                    row.delete()
            elif row is None:
                PhasePlan.objects.create(
                    department=department,
                    phase=phase,
                    planned_on=planned_on,
                    updated_by=actor,
                    updated_at=now,
                )
            elif row.planned_on != planned_on:
                row.planned_on = planned_on
                row.updated_by = actor
                row.updated_at = now
                row.save(update_fields=["planned_on", "updated_by", "updated_at"])
        PlanRevision.objects.bulk_create(revisions)
    return effective


def adoption_snapshot(*, year: int, month: int) -> int:
    """導入状況の集計: writes each active department's adoption for the month from the attendance and the
    approved requests, each person counted in the department of their assignment on the day concerned (the
    month's last day for the roster), so a rebuild of a past month gives the same figures. Idempotent: rows whose figures did not change are left as they are (computed_at
    included), so a second run writes nothing. Returns the number of rows written."""
    departments = list(selectors.active_departments().values_list("pk", flat=True))
    adoption = calculations.month_adoption(
        department_ids=departments,
        roster=selectors.month_roster(year=year, month=month, department_ids=departments),
        facts=selectors.month_telework_facts(year=year, month=month),
    )
    first = date(year, month, 1)
    now = timezone.now()
    with transaction.atomic():
        existing = {row.department_id: row for row in AdoptionSnapshot.objects.filter(month=first)}
        changed = []
        for department_id, figures in adoption.items():
            values = {
                "headcount": figures.headcount,
                "teleworkers": figures.teleworkers,
                "telework_days": figures.telework_days,
                "days_by_location": figures.days_by_location,
                "teleworker_ids": sorted(figures.teleworker_ids),
                "staff_ids": sorted(figures.staff_ids),
            }
            row = existing.get(department_id)
            if row is not None and all(getattr(row, name) == value for name, value in values.items()):
                continue
            changed.append(
                AdoptionSnapshot(
                    department_id=department_id,
                    month=first,
                    fiscal_year=fiscal_year(first),
                    computed_at=now,
                    **values,
                )
            )
        # A concurrent run may have inserted the same rows meanwhile: the upsert makes the last one win.
        AdoptionSnapshot.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["department", "month"],
            update_fields=[*SNAPSHOT_FIELDS, "fiscal_year", "computed_at"],
        )
    return len(changed)


def rollout_report_send(*, year: int, month: int) -> RolloutReport | None:
    """月次報告: the fiscal year's rollout summary after the month, notified to the secretariat once per month
    (None when it was already sent)."""
    first = date(year, month, 1)
    fy = fiscal_year(first)
    summary = selectors.fiscal_year_summary(
        departments=list(selectors.active_departments()), fiscal_year=fy, today=timezone.localdate()
    )
    content = {
        "month": f"{year:04d}-{month:02d}",
        "fiscal_year": fy,
        "departments_total": summary.kpi.departments_total,
        "departments_implementing": summary.kpi.departments_implementing,
        "implementing_rate": summary.kpi.implementing_rate,
        "target_rate": summary.kpi.target_rate,
        "by_phase": summary.by_phase,
        "not_implementing": [department.code for department in summary.not_implementing],
        "behind_plan": [row.department.code for row in summary.rows if row.standing.behind_plan],
    }
    with transaction.atomic():
        report, created = RolloutReport.objects.get_or_create(month=first, defaults={"summary": content})
        if not created:
            return None
        secretariat = org_selectors.active_employees().filter(roles__code=RoleCode.SECRETARIAT).distinct()
        behind = [row.department.name for row in summary.rows if row.standing.behind_plan]
        body = _(
            "実施部署 %(implementing)d / %(total)d 課（実施率 %(rate).1f%%、目標 %(target).0f%%）。"
            "計画より遅れている課: %(behind)s"
        ) % {
            "implementing": summary.kpi.departments_implementing,
            "total": summary.kpi.departments_total,
            "rate": summary.kpi.implementing_rate * 100,
            "target": summary.kpi.target_rate * 100,
            "behind": "、".join(behind) or _("なし"),
        }
        notify(
            recipients=list(secretariat),
            kind="telework_rollout_report",
            title=_("テレワーク導入状況の月次報告（%(fy)s %(month)d月）")
            % {"fy": reiwa_fiscal_label_ja(fy), "month": month},
            body=body,
            link=f"{DASHBOARD_LINK}?fiscal_year={fy}",
            data=content,
        )
    return report
