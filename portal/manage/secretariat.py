"""推進状況 `/manage/secretariat/` (the secretariat): each department's rollout phase against plan with the form
to move it, the town's telework policy (テレワーク実施要綱) and its main limits to change, and the dashboard
one click away; through rollout's and telework's services and selectors (the API's)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from org.models import RoleCode
from portal.decorators import page
from portal.forms import run_service
from portal.manage.forms import PhaseForm, PolicyForm
from rollout import selectors as rollout_selectors
from rollout import services as rollout_services
from telework import selectors as telework_selectors
from telework import services as telework_services
from telework.models import Location, Phase


def _ensure_secretariat(user) -> None:
    if not user.has_role(RoleCode.SECRETARIAT):
        raise PermissionDenied


def phase_auto_id(code: str) -> str:
    """Each department's phase form has its own element ids (one page holds a form per department)."""
    return f"id_{slugify(code)}_%s"


def _policy_initial(policy: dict) -> dict:
    return {name: policy.get(name) for name in PolicyForm.FIELDS}


def _page(request, *, phase_form=None, policy_form=None, status=200):
    today = timezone.localdate()
    departments = list(rollout_selectors.active_departments().order_by("sort_order", "code"))
    rollouts = rollout_selectors.department_rollouts(departments=departments, today=today)
    policy = telework_selectors.policy_detail()
    context = {
        "rollouts": [
            {
                "entry": entry,
                "phase_label": Phase(entry.phase).label,
                "form": phase_form
                if phase_form is not None and phase_form.data.get("department") == entry.department.code
                else PhaseForm(
                    initial={"department": entry.department.code, "phase": entry.phase, "date": today},
                    auto_id=phase_auto_id(entry.department.code),
                ),
            }
            for entry in rollouts
        ],
        "policy": policy,
        "locations": [Location(code).label for code in policy.get("allowed_locations") or []],
        "policy_form": policy_form or PolicyForm(initial=_policy_initial(policy)),
        "today": today,
    }
    return render(request, "portal/manage/secretariat.html", context, status=status)


@page
@require_GET
def secretariat(request):
    """GET /manage/secretariat/."""
    _ensure_secretariat(request.user)
    return _page(request)


@page
@require_POST
def phase(request):
    """POST /manage/secretariat/phase/ {department, phase, date, note}: 段階の移行."""
    _ensure_secretariat(request.user)
    form = PhaseForm(request.POST, auto_id=phase_auto_id(request.POST.get("department", "")))
    if form.is_valid():
        data = form.cleaned_data
        moved = run_service(
            form,
            rollout_services.phase_move,
            actor=request.user,
            department=data["department"],
            phase=data["phase"],
            on=data["date"],
            note=data["note"],
        )
        if moved is not None:
            messages.success(
                request,
                _("%(department)sを「%(phase)s」にしました。")
                % {"department": data["department"].name, "phase": Phase(data["phase"]).label},
            )
            return redirect("portal:manage:secretariat")
    return _page(request, phase_form=form, status=form.error_status)


@page
@require_POST
def policy(request):
    """POST /manage/secretariat/policy/: the town default's main limits (empty = no limit)."""
    _ensure_secretariat(request.user)
    form = PolicyForm(request.POST)
    if form.is_valid():
        fields = {name: form.cleaned_data[name] for name in PolicyForm.FIELDS}
        run_service(form, telework_services.policy_update, actor=request.user, **fields)
        if not form.errors:
            messages.success(request, _("テレワーク実施要綱を更新しました。"))
            return redirect("portal:manage:secretariat")
    return _page(request, policy_form=form, status=form.error_status)
