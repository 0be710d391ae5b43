"""Demo telework for `manage.py demo`: the town's 実施要綱 (default and two department overrides), blackout
dates, each department's rollout phase on the DX plan's schedule, and a few requests."""

from datetime import date

from django.utils import timezone

from approvals.services import document_approve
from core.errors import DomainError
from org import selectors as org_selectors
from org.calendar import fiscal_year
from org.demo import Town
from telework import rollout_services, services
from telework.models import DepartmentPhase, Phase, TeleworkPolicy, TeleworkRequest

# DX plan ⑦: 要綱策定 in FY R7, each department's trial from 2025-10, partial operation (外勤等) in FY R8,
# formal operation in FY R9. Most departments are on plan; a few are behind, for the dashboard.
ON_PLAN = [
    (Phase.PREPARING, date(2025, 4, 1)),
    (Phase.TRIAL, date(2025, 10, 1)),
    (Phase.PARTIAL, date(2026, 4, 1)),
]
PHASES = {
    "gikai": ON_PLAN[:2],  # 議会事務局: still in trial
    "shinryo": ON_PLAN[:2],  # 診療所: still in trial
    "kensetsu": ON_PLAN[:1],  # 建設課: behind, preparing
}
TOWN_POLICY = {
    "allowed_locations": ["home", "satellite", "mobile"],
    "max_days_per_week": 2,
    "max_days_per_month": 8,
    "max_consecutive_days": 3,
    "advance_notice_business_days": 1,
    "min_office_staff": 2,
    "eligible_employment_types": ["regular"],  # 会計年度任用職員 are not covered yet
    "min_months_since_hire": 6,
    "require_security_training": True,
    "require_security_pledge": True,
    "require_day_report": True,
    "severities": {"max_days_per_month": "soft", "max_consecutive_days": "soft"},
}
OVERRIDES = {
    "jumin": {"min_office_staff": 4, "max_days_per_week": 1},  # 住民課: the counter (窓口) stays staffed
    "kikaku": {"max_days_per_week": 3},  # 企画課: the DX committee's office tries more
}


def load(town: Town) -> None:
    """Idempotent: the policy and phases are set once; requests are added only when none exist."""
    secretariat = town.with_role("secretariat")[0]
    if not TeleworkPolicy.objects.filter(department=None).exists():
        services.policy_update(actor=secretariat, **TOWN_POLICY)
        for code, fields in OVERRIDES.items():
            services.policy_update(actor=secretariat, department=town.departments[code], **fields)
        services.blackout_date_create(actor=secretariat, date=date(2027, 3, 2), reason="議会定例会初日(全庁)")
        services.blackout_date_create(
            actor=secretariat,
            date=date(2027, 3, 31),
            reason="年度末の転出入繁忙期",
            department=town.departments["jumin"],
        )
    for code, department in town.departments.items():
        if DepartmentPhase.objects.filter(department=department).exists():
            continue
        for phase, on in PHASES.get(code, ON_PLAN):
            rollout_services.phase_move(
                actor=secretariat, department=department, phase=phase, on=on, note="DX推進計画に基づく移行"
            )
    if not TeleworkRequest.objects.exists():
        _requests(town)


def _requests(town: Town) -> None:
    """Partial operation admits field work only: two mobile requests in 総務課, one approved, one waiting."""
    calendar = org_selectors.business_calendar()
    today = timezone.localdate()
    chief, director = town.chief("somu"), town.director("somu")
    applicants = [
        e for e in reversed(town.members("somu")) if e.position == "staff" and e.employment_type == "regular"
    ][:2]
    for index, applicant in enumerate(applicants):
        day = calendar.add_business_days(today, 2 + index)
        applicant.security_training_fy = max(applicant.security_training_fy or 0, fiscal_year(today))
        applicant.security_pledge_signed = True
        applicant.save(update_fields=["security_training_fy", "security_pledge_signed"])
        try:
            request = services.telework_request_create(
                employee=applicant, dates=[day], location="mobile", work_plan="現地調査と報告書作成"
            )
        except DomainError:
            continue  # e.g. a hire too recent for the policy: the demo goes on without it
        if index == 0:
            for approver in (chief, director):
                if approver.pk != applicant.pk:
                    document_approve(document=request.document, actor=approver, acknowledge_warnings=True)
