"""Telework `/telework/`: the policy as it applies to me, the application with its rules checked as I pick
(htmx, `POST /telework/check/`), my requests (cancel, the day report), the department's calendar and the
iCalendar subscription."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from org.selectors import business_calendar
from portal.decorators import page
from portal.forms import run_action, run_lookup, run_service
from portal.telework.forms import ApplicationForm, CheckForm, DayReportForm
from portal.telework.picker import days_left, picker_days
from telework import rules, selectors, services
from telework.models import Location

CALENDAR_DAYS = 14
MY_REQUESTS = 20


def _form_options(request, policy: dict) -> dict:
    return {
        "today": timezone.localdate(),
        "allowed_locations": policy.get("allowed_locations"),
        "allow_half_days": bool(policy.get("allow_half_days")),
    }


def _page(request, form: ApplicationForm | None = None, status: int = 200):
    employee = request.user
    department = employee.department
    today = timezone.localdate()
    policy = selectors.policy_detail(department=department)
    taken = selectors.active_dates_of(employee)
    blackout = {item.date: item.reason for item in policy["blackout_dates"]}
    if form is None:
        form = ApplicationForm(**_form_options(request, policy))
    context = {
        "policy": policy,
        "locations": [Location(code).label for code in policy.get("allowed_locations") or ()],
        "blackout": sorted(blackout.items()),
        "left": days_left(today=today, policy=policy, taken=taken),
        "weeks": picker_days(today=today, calendar=business_calendar(), blackout=blackout, taken=taken),
        "form": form,
        "picked": set(form["dates"].value() or ()),
        "requests": list(selectors.requests_of(employee=employee)[:MY_REQUESTS]),
        "today": today,
        "calendar": (
            selectors.department_calendar(
                department=department, start=today, end=today + timedelta(days=CALENDAR_DAYS - 1)
            )
            if department
            else []
        ),
    }
    return render(request, "portal/telework/overview.html", context, status=status)


@page
def overview(request):
    return _page(request)


@page
@require_POST
def check(request):
    """The rules against the dates picked so far, every violation in words (the fragment under the picker)."""
    employee = request.user
    policy = selectors.policy_detail(department=employee.department)
    form = CheckForm(request.POST, **_form_options(request, policy))
    violations = None
    if form.is_valid() and form.cleaned_data["dates"]:
        data = form.cleaned_data
        checked = selectors.rule_context(
            employee=employee, dates=data["dates"], location=data["location"], unit=data["unit"]
        )
        violations = rules.check_all(checked.context)
    language = get_language()
    context = {
        "form": form,
        "checked": violations is not None,
        "hard": [v.message(language) for v in rules.hard(violations or [])],
        "soft": [v.message(language) for v in rules.soft(violations or [])],
    }
    return render(request, "portal/telework/_check.html", context)


@page
@require_POST
def apply(request):
    """テレワーク申請: every violation next to the dates (422) with what was picked kept."""
    employee = request.user
    policy = selectors.policy_detail(department=employee.department)
    form = ApplicationForm(request.POST, **_form_options(request, policy))
    if form.is_valid():
        data = form.cleaned_data
        created = run_service(
            form,
            services.telework_request_create,
            employee=employee,
            dates=data["dates"],
            location=data["location"],
            unit=data["unit"],
            work_plan=data["work_plan"],
        )
        if created is not None:
            messages.success(request, _("テレワークを申請しました。承認されるとお知らせします。"))
            for warning in created.warnings:
                key = "message_en" if (get_language() or "").startswith("en") else "message_ja"
                messages.warning(request, warning[key])
            return redirect("portal:telework")
    return _page(request, form, status=form.error_status)


def _my_request(request, request_id: int):
    return run_lookup(selectors.request_for_viewer, viewer=request.user, request_id=request_id)


@page
@require_POST
def cancel(request, request_id: int):
    telework_request = _my_request(request, request_id)
    if run_action(request, services.telework_request_cancel, request=telework_request, actor=request.user):
        messages.success(request, _("テレワーク申請を取り消しました。"))
    return redirect("portal:telework")


@page
@require_POST
def report(request, request_id: int):
    """業務報告 of one approved day."""
    telework_request = _my_request(request, request_id)
    form = DayReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("業務報告の入力内容に誤りがあります。"))
    elif run_action(
        request,
        services.day_report_submit,
        request=telework_request,
        actor=request.user,
        date=form.cleaned_data["date"],
        summary=form.cleaned_data["summary"],
    ):
        messages.success(request, _("業務報告を提出しました。"))
    return redirect(f"{reverse('portal:telework')}#request-{request_id}")


@page
@require_POST
def calendar_token(request):
    """iCalendar の購読URL: a new one (the previous stops working), shown once."""
    token = services.calendar_token_rotate(employee=request.user)
    url = f"{settings.SITE_URL}{reverse('telework-calendar-feed')}?token={token}"
    messages.success(
        request,
        _("カレンダーの購読URLを発行しました。この画面でのみ表示されます: %(url)s") % {"url": url},
    )
    return redirect("portal:settings" if request.POST.get("next") == "settings" else "portal:telework")
