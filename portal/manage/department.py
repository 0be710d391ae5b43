"""所属の状況 `/manage/department/` (managers): the department's telework calendar for a week and today's
attendance anomalies of its staff, through the telework and attendance selectors the API reads."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from attendance import selectors as attendance_selectors
from org.models import RoleCode
from portal.decorators import page
from portal.labels import anomaly_words
from portal.manage.forms import WeekForm
from telework import selectors as telework_selectors

WEEK = 7


@page
@require_GET
def department(request):
    """GET /manage/department/?start=YYYY-MM-DD&day=YYYY-MM-DD: a manager's own department only (anyone else:
    403); `day` is the day of the anomalies (a notification's digest links its day), today by default."""
    user = request.user
    if not user.has_role(RoleCode.MANAGER) or user.department_id is None:
        raise PermissionDenied
    today = timezone.localdate()
    form = WeekForm(request.GET or None)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    day = chosen.get("day") or today
    start = chosen.get("start") or (day - timedelta(days=day.weekday()))
    calendar = telework_selectors.department_calendar(
        department=user.department, start=start, end=start + timedelta(days=WEEK - 1)
    )
    anomalies = [
        {"employee": summary.employee, "summary": summary, "words": anomaly_words(summary.anomalies)}
        for summary in attendance_selectors.department_anomalies(department_id=user.department_id, day=day)
    ]
    context = {
        "department": user.department,
        "form": form,
        "days": calendar,
        "day": day,
        "anomalies": anomalies,
        "previous_week": start - timedelta(days=WEEK),
        "next_week": start + timedelta(days=WEEK),
    }
    return render(
        request,
        "portal/manage/department.html",
        context,
        status=form.error_status if form.is_bound and form.errors else 200,
    )
