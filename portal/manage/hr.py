"""月次締め `/manage/hr/` (HR): each department's timesheets of a month by status, closing a department's
approved months, and the payroll CSV; through attendance's services, selectors and exports (the API's)."""

from collections import Counter
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from attendance import exports, services
from attendance import selectors as attendance_selectors
from attendance.models import MonthStatus
from org import selectors as org_selectors
from org.models import RoleCode
from portal.decorators import page
from portal.forms import run_service
from portal.manage.forms import CloseForm, ExportForm, MonthForm


def _ensure_hr(user) -> None:
    if not user.has_role(RoleCode.HR, RoleCode.ADMIN):
        raise PermissionDenied


def previous_month(today):
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def month_overview(month) -> list[dict]:
    """Per department: its active staff's timesheets of the month counted by status (a month nobody submitted
    is open). Three queries whatever the number of departments and staff."""
    departments = list(org_selectors.department_list().filter(is_active=True))
    staff = list(
        org_selectors.active_employees().filter(department__isnull=False).values_list("id", "department_id")
    )
    statuses = attendance_selectors.month_statuses(employee_ids=[pk for pk, _d in staff], month=month)
    counts: dict[int, Counter] = {department.pk: Counter() for department in departments}
    for employee_id, department_id in staff:
        if department_id in counts:
            counts[department_id][statuses.get(employee_id, MonthStatus.OPEN)] += 1
    return [
        {
            "department": department,
            "headcount": sum(counts[department.pk].values()),
            "counts": [(label, counts[department.pk][code]) for code, label in MonthStatus.choices],
            "approved": counts[department.pk][MonthStatus.APPROVED],
            "closed": counts[department.pk][MonthStatus.CLOSED],
        }
        for department in departments
    ]


def _page(request, form, *, status=200):
    month = (
        form.cleaned_data["month"]
        if form.is_bound and form.is_valid()
        else previous_month(timezone.localdate())
    )
    context = {"form": form, "month": month, "rows": month_overview(month)}
    return render(request, "portal/manage/hr.html", context, status=status)


@page
@require_GET
def hr(request):
    """GET /manage/hr/?month=YYYY-MM (last month by default)."""
    _ensure_hr(request.user)
    form = MonthForm(request.GET or None)
    return _page(request, form, status=form.error_status if form.is_bound and form.errors else 200)


@page
@require_POST
def close(request):
    """POST /manage/hr/close/ {month, department}: 月次締め of the department's approved months."""
    _ensure_hr(request.user)
    form = CloseForm(request.POST)
    if form.is_valid():
        month, department = form.cleaned_data["month"], form.cleaned_data["department"]
        closed = run_service(
            form, services.month_close, actor=request.user, month=month, department=department
        )
        if closed is not None:
            messages.success(
                request,
                ngettext(
                    "%(department)s: %(count)d人の勤務表を締めました。",
                    "%(department)s: %(count)d人の勤務表を締めました。",
                    len(closed),
                )
                % {"department": department.name, "count": len(closed)},
            )
            return redirect(f"{reverse('portal:manage:hr')}?month={month:%Y-%m}")
    return _page(request, form, status=form.error_status)


@page
@require_GET
def export(request):
    """GET /manage/hr/export.csv?month=YYYY-MM&department=&kind=days|summary: the payroll CSV (UTF-8 with BOM)."""
    _ensure_hr(request.user)
    form = ExportForm(request.GET)
    if not form.is_valid():
        return _page(request, form, status=400)
    month, department = form.cleaned_data["month"], form.cleaned_data["department"]
    summary = form.cleaned_data["kind"] == "summary"
    rows = (exports.summary_rows if summary else exports.day_rows)(
        month=month, department_code=department.code if department else None
    )
    name = f"attendance-{'summary-' if summary else ''}{f'{department.code}-' if department else ''}{month:%Y-%m}.csv"
    response = HttpResponse(exports.to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
