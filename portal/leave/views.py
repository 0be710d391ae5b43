"""Leave `/leave/`: my annual balance (as `GET /api/v1/leave/balance/`), the application (the API's service,
every violation next to its field with what was typed kept, the warnings after filing), my requests with their
documents and cancel (404 for anyone else's)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leave import selectors, services
from leave.codes import LeaveError
from leave.models import ACTIVE_STATUSES
from portal.decorators import page
from portal.forms import run_action, run_lookup, run_service
from portal.leave.forms import LeaveApplicationForm

MY_REQUESTS = 20


def _page(request, form: LeaveApplicationForm | None = None, status: int = 200):
    employee = request.user
    context = {
        "balance": selectors.balance(employee=employee),
        "form": form or LeaveApplicationForm(),
        "requests": list(selectors.requests_of(employee=employee)[:MY_REQUESTS]),
        "cancellable": ACTIVE_STATUSES,
    }
    return render(request, "portal/leave/home.html", context, status=status)


@page
def home(request):
    return _page(request)


@page
@require_POST
def apply(request):
    """休暇申請: every violation next to its field (422) with what was typed kept; the warnings after filing."""
    form = LeaveApplicationForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        created = run_service(
            form,
            services.leave_request_create,
            employee=request.user,
            leave_type=data.pop("type"),
            **data,
        )
        if created is not None:
            messages.success(request, _("休暇を申請しました。承認されるとお知らせします。"))
            for warning in created.warnings:
                messages.warning(
                    request,
                    LeaveError(warning["code"]).field(warning["field"], **warning["params"])["message"],
                )
            return redirect("portal:leave:home")
    return _page(request, form, status=form.error_status)


@page
@require_POST
def cancel(request, request_id: int):
    """取消 (the API's service): 404 for a request the person may not see."""
    found = run_lookup(selectors.request_for_viewer, viewer=request.user, request_id=request_id)
    if run_action(request, services.leave_request_cancel, request=found, actor=request.user):
        messages.success(request, _("休暇の申請を取り消しました。"))
    return redirect("portal:leave:home")
