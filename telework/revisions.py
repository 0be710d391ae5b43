"""差戻し後の修正: a telework request whose document was returned to the applicant is changed (dates, location,
work plan), checked against every rule again as a new application would be, its document revised to say the
same (`approvals.services.document_revise`) and circulated again (再回議). Only its days and its document change:
the request keeps its id, history and the applicant.

Locks, in telework's order (telework.lock_objects): the applicant, the document, the request; the audit head last.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.audit import audit_batch
from approvals.models import DocumentStatus
from core.errors import CoreError
from org.models import Employee
from telework import rules
from telework.codes import TeleworkError
from telework.lock_objects import applicant_lock, document_lock, request_lock
from telework.models import RequestStatus, TeleworkDay, TeleworkRequest
from telework.selectors import policy_versions, rule_context
from telework.services import (
    _document_text,
    _ensure_department_days,
    _stored_warning,
    _validate_request,
    violation_error,
)


def telework_request_revise(
    *, request: TeleworkRequest, actor: Employee, dates: list[date], location: str, work_plan: str
) -> TeleworkRequest:
    """修正して再申請: by the applicant, while the request's document is returned to them. Every rule is checked
    as for a new application (its own days left out); hard violations refuse it (422 with all of them), soft
    ones are kept as warnings for the approvers. 403 for anyone else, 409 unless it is returned."""
    from approvals.services import document_resubmit, document_revise

    if actor.pk != request.employee_id:
        raise CoreError.PERMISSION_DENIED.error(_("申請者のみが修正できます。"))
    requested = _validate_request(dates=dates, location=location, work_plan=work_plan)
    with transaction.atomic(), audit_batch():
        employee = applicant_lock(actor)
        document = document_lock(request.document_id)
        request = request_lock(request.pk)
        if request.status != RequestStatus.SUBMITTED or document.status != DocumentStatus.RETURNED:
            raise CoreError.INVALID_STATE.error(_("差し戻された申請のみ修正できます。"))
        check = rule_context(employee=employee, dates=requested, location=location, exclude_request=request)
        violations = rules.check_all(check.context)
        hard = rules.hard(violations)
        if hard:
            raise CoreError.RULE_VIOLATION.error(
                _("テレワーク実施要綱の規則に違反しています。"), errors=[violation_error(v) for v in hard]
            )
        default_version, override_version = policy_versions(check.policy)
        request.days.all().delete()
        try:
            with transaction.atomic():
                TeleworkDay.objects.bulk_create(
                    TeleworkDay(
                        request=request,
                        date=day,
                        employee=employee,
                        department=employee.department,
                        location=location,
                    )
                    for day in requested
                )
        except IntegrityError:
            raise CoreError.RULE_VIOLATION.error(
                _("テレワーク実施要綱の規則に違反しています。"),
                errors=[TeleworkError.OVERLAPPING_REQUEST.field("dates")],
            ) from None
        _ensure_department_days(employee.department_id, requested)
        request.location, request.work_plan = location, work_plan
        request.policy_version, request.department_policy_version = default_version, override_version
        request.warnings = [_stored_warning(v) for v in rules.soft(violations)]
        request.save(
            update_fields=["location", "work_plan", "policy_version", "department_policy_version", "warnings"]
        )
        title, body = _document_text(
            employee=employee, dates=requested, location=location, work_plan=work_plan
        )
        payload = {**document.payload, "dates": [day.isoformat() for day in requested], "location": location}
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
