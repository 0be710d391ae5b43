"""Demo telework for `manage.py demo`: the town's 実施要綱 (default and two department overrides), blackout
dates, and (`requests_load`) a few requests. The requests need a department whose rollout phase admits them,
which only the rollout app sets: its demo, loaded after this one, moves the phases and then calls
`requests_load`."""

from datetime import date

from django.utils import timezone

from approvals.services import document_approve
from core.errors import DomainError
from org import selectors as org_selectors
from org.calendar import fiscal_year
from org.demo import Town
from telework import services
from telework.models import TeleworkPolicy, TeleworkRequest

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
    """Idempotent: the policy and its blackout dates are set once."""
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


def requests_load(town: Town) -> None:
    """Idempotent (added only when there is no request): partial operation admits field work only, so two
    mobile requests in 総務課, one approved, one waiting."""
    if TeleworkRequest.objects.exists():
        return
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
            section_chief = applicant.section.chief if applicant.section_id else None  # routes go by 係
            for approver in (section_chief or chief, director):
                if approver.pk != applicant.pk:
                    document_approve(document=request.document, actor=approver, acknowledge_warnings=True)
