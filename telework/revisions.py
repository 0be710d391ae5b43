"""差戻し後の修正: a telework request whose document was returned to the applicant is changed (dates, location,
work plan), checked against every rule again as a new application would be, its document revised to say the
same (`approvals.services.document_revise`) and circulated again (再回議). Only its days and its document change:
the request keeps its id, history and the applicant.

Locks, in telework's order (telework.lock_objects): the applicant, the document, the request; the audit head last.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.audit import audit_batch
from approvals.models import DocumentStatus
from core.errors import CoreError
from org.models import Employee
from telework import rules
from telework.lock_objects import applicant_lock, document_lock, request_lock
from telework.models import DayUnit, RequestStatus, TeleworkRequest
from telework.selectors import policy_versions
from telework.services import (
    _document_text,
    _stored_warning,
    _validate_request,
    application_check,
    request_days_record,
)


def telework_request_revise(
    *,
    request: TeleworkRequest,
    actor: Employee,
    dates: list[date],
    location: str,
    work_plan: str,
    unit: str = DayUnit.DAY,
) -> TeleworkRequest:
    """修正して再申請: by the applicant, while the request's document is returned to them. Every rule is checked
    as for a new application (its own days left out); hard violations refuse it (422 with all of them), soft
    ones are kept as warnings for the approvers. 403 for anyone else, 409 unless it is returned."""
    from approvals.services import document_resubmit, document_revise

    if actor.pk != request.employee_id:
        raise CoreError.PERMISSION_DENIED.error(_("申請者のみが修正できます。"))
    requested = _validate_request(dates=dates, location=location, work_plan=work_plan, unit=unit)
    if request.document_id is None:  # recorded without an approval (imported history): nothing was returned
        raise CoreError.INVALID_STATE.error(_("差し戻された申請のみ修正できます。"))
    with transaction.atomic(), audit_batch():
        employee = applicant_lock(actor)
        document = document_lock(request.document_id)
        request = request_lock(request.pk)
        if request.status != RequestStatus.SUBMITTED or document.status != DocumentStatus.RETURNED:
            raise CoreError.INVALID_STATE.error(_("差し戻された申請のみ修正できます。"))
        check, violations = application_check(
            employee=employee, dates=requested, location=location, unit=unit, exclude_request=request
        )
        default_version, override_version = policy_versions(check.policy)
        request.days.all().delete()
        request_days_record(request=request, employee=employee, dates=requested, location=location, unit=unit)
        request.location, request.unit, request.work_plan = location, unit, work_plan
        request.after_the_fact = requested[0] < check.context.application_date
        request.policy_version, request.department_policy_version = default_version, override_version
        request.warnings = [_stored_warning(v) for v in rules.soft(violations)]
        request.save(
            update_fields=[
                "location",
                "unit",
                "work_plan",
                "after_the_fact",
                "policy_version",
                "department_policy_version",
                "warnings",
            ]
        )
        title, body = _document_text(
            employee=employee, dates=requested, location=location, unit=unit, work_plan=work_plan
        )
        payload = {
            **document.payload,
            "dates": [day.isoformat() for day in requested],
            "location": location,
            "unit": unit,
        }
        document_revise(
            document=document,
            actor=employee,
            title=title,
            body=body,
            payload=payload,
            comment=_("テレワーク申請の修正(%(at)s)")
            % {"at": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
        )
        document_resubmit(document=document, actor=employee)
    request.refresh_from_db()
    return request
