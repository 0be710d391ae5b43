"""My attendance `/attendance/`: the month as a table, the correction request from a day's row, and the
timesheet's submission once the month can be submitted."""

from datetime import date, timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attendance import selectors
from attendance.models import ClockKind, MonthStatus
from attendance.services.corrections import correction_request
from attendance.services.months import first_submission_day, timesheet_submit
from org.selectors import business_calendar
from portal.attendance.forms import EVENT_FIELDS, CorrectionForm, DayForm, MonthForm
from portal.decorators import page
from portal.forms import run_action, run_service
from portal.labels import anomaly_words


def _month_of(request) -> date:
    """The month asked for (`?month=YYYY-MM`), this month otherwise."""
    form = MonthForm(request.GET)
    chosen = form.cleaned_data.get("month") if form.is_valid() else None
    return selectors.month_start(chosen or timezone.localdate())


def _month_url(month: date) -> str:
    return f"{reverse('portal:attendance')}?month={month:%Y-%m}"


@page
def month(request):
    employee = request.user
    first = _month_of(request)
    today = timezone.localdate()
    sheet = selectors.timesheet(employee=employee, month=first)
    by_date = {day.date: day for day in sheet.days}
    calendar = business_calendar()
    rows = []
    day = first
    while day <= selectors.month_end(first):
        summary = by_date.get(day)
        rows.append(
            {
                "date": day,
                "closure": calendar.closure_reason(day),
                "summary": summary,
                "anomalies": anomaly_words(summary.anomalies if summary else ()),
                "correctable": day <= today and sheet.status == MonthStatus.OPEN,
            }
        )
        day += timedelta(days=1)
    context = {
        "month": first,
        "previous": _month_url(first - timedelta(days=1)),
        "next": _month_url(selectors.month_end(first) + timedelta(days=1))
        if first < today.replace(day=1)
        else "",
        "rows": rows,
        "totals": sheet.totals,
        "status": sheet.status,
        "status_label": MonthStatus(sheet.status).label,
        "can_submit": sheet.status == MonthStatus.OPEN and today >= first_submission_day(first),
    }
    return render(request, "portal/attendance/month.html", context)


@page
@require_POST
def timesheet(request):
    """月次勤務表の提出 of the month in the form; the refusal (days left open, month not over) in words."""
    first = _month_of(request)
    if run_action(request, timesheet_submit, employee=request.user, month=first):
        messages.success(request, _("%(month)sの勤務表を提出しました。") % {"month": f"{first:%Y-%m}"})
    return redirect(_month_url(first))


@page
def correction(request):
    """打刻修正申請 of a day: GET the form (the day's recorded times filled in), POST files the request."""
    if request.method == "POST":
        form = CorrectionForm(request.POST)
        if form.is_valid():
            events, fields = form.events()
            filed = run_service(
                form,
                correction_request,
                fields=fields,
                employee=request.user,
                day=form.cleaned_data["date"],
                events=events,
                reason=form.cleaned_data["reason"],
            )
            if filed is not None:
                messages.success(request, _("打刻修正を申請しました。承認されると勤務実績に反映されます。"))
                return redirect(_month_url(filed.date))
        return render(request, "portal/attendance/correction.html", {"form": form}, status=form.error_status)
    return render(
        request, "portal/attendance/correction.html", {"form": CorrectionForm(initial=_recorded(request))}
    )


def _recorded(request) -> dict:
    """The form's first values: the day asked for (`?date=`, today otherwise) and the times recorded on it."""
    form = DayForm(request.GET)
    day = (form.cleaned_data.get("date") if form.is_valid() else None) or timezone.localdate()
    initial = {"date": day}
    events = list(selectors.effective_events(employee_id=request.user.pk, day=day))
    for name, kind in EVENT_FIELDS:
        times = [timezone.localtime(event.at).time() for event in events if event.kind == kind]
        if times:
            initial[name] = times[-1] if kind == ClockKind.OUT else times[0]
    if events:
        initial["location"] = events[0].location
    return initial
