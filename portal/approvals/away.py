"""不在・委任 `/approvals/away/`: what an approver sets up before they are away. An absence (不在: a business trip,
a training; approved leave records its own) lets their deputy (代決者) decide for them; a delegation (委任) has
someone decide their items for a period, of every kind or of the kinds named. Both listed with their cancel.

The same services and selectors as `POST /api/v1/org/absences/` and `/api/v1/approvals/delegations/`: every
refusal next to its field with what was typed kept; a cancel of anything the person may not touch is a 404."""

from datetime import timedelta

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from approvals import selectors as approval_selectors
from approvals import services as approval_services
from approvals.models import DocumentKind
from org import selectors as org_selectors
from org import services as org_services
from org.models import Employee, Position
from portal.approvals.forms import AbsenceForm, DelegationForm
from portal.decorators import page
from portal.forms import run_action, run_lookup, run_service

PAGE = "portal:approvals:away"
# Absences and delegations that ended longer ago than this are no longer listed.
LISTED_DAYS_BACK = 30
ROWS = 20
# Besides the person's own department, whom a delegation may go to: the town's 課長 and above.
TOWN_WIDE_DELEGATES = (Position.DIRECTOR, Position.DEPUTY_MAYOR, Position.MAYOR)
KIND_LABELS = dict(DocumentKind.choices)


def _delegates(employee: Employee) -> QuerySet[Employee]:
    """Whom the delegation form offers (a choice kept short, not a rule: the API takes any active account): the
    active staff of the person's department and the town's 課長 and above, but themself."""
    offered = Q(position__in=TOWN_WIDE_DELEGATES)
    if employee.department_id is not None:
        offered |= Q(department_id=employee.department_id)
    return (
        org_selectors.active_employees()
        .filter(offered)
        .exclude(pk=employee.pk)
        .select_related("department")
        .order_by("department__sort_order", "department__code", "id")
    )


def _page(request, *, absence_form=None, delegation_form=None, status: int = 200):
    employee = request.user
    today = timezone.localdate()
    since = today - timedelta(days=LISTED_DAYS_BACK)
    absences = list(org_selectors.own_absences(employee=employee, since=since)[:ROWS])
    for absence in absences:
        absence.cancellable = absence.created_by_id == employee.pk and absence.end >= today
    delegations = list(approval_selectors.delegations_of(user=employee).filter(end__gte=since)[:ROWS])
    for delegation in delegations:
        delegation.phase = delegation.phase_on(today)
        delegation.kind_labels = [str(KIND_LABELS.get(kind, kind)) for kind in delegation.kinds]
        delegation.revocable = delegation.delegator_id == employee.pk and delegation.phase in (
            "upcoming",
            "running",
        )
    context = {
        "deputy": employee.deputy,
        "absence_form": absence_form or AbsenceForm(prefix="absence"),
        "delegation_form": delegation_form
        or DelegationForm(prefix="delegation", delegates=_delegates(employee)),
        "absences": absences,
        "given": [d for d in delegations if d.delegator_id == employee.pk],
        "received": [d for d in delegations if d.delegate_id == employee.pk],
    }
    return render(request, "portal/approvals/away.html", context, status=status)


@page
@require_GET
def away(request):
    """GET /approvals/away/: my absences and delegations (given and received) of the last month and to come."""
    return _page(request)


@page
@require_POST
def absence_record(request):
    """不在の登録 for myself; the service refuses an end before the start and an overlap with one recorded."""
    form = AbsenceForm(request.POST, prefix="absence")
    if form.is_valid():
        recorded = run_service(
            form, org_services.absence_create, actor=request.user, employee=request.user, **form.cleaned_data
        )
        if recorded is not None:
            messages.success(request, _("不在を登録しました。不在の間は代決者が代わりに決裁できます。"))
            return redirect(PAGE)
    return _page(request, absence_form=form, status=form.error_status)


@page
@require_POST
def absence_delete(request, absence_id: int):
    """不在の取消 of one I recorded myself and that has not ended (one of approved leave goes with its leave's
    cancel; a past one stays the record behind my deputy's decisions): else 404."""
    absence = run_lookup(
        org_selectors.own_absence, viewer=request.user, absence_id=absence_id, on=timezone.localdate()
    )
    if run_action(request, org_services.absence_delete, actor=request.user, absence=absence):
        messages.success(request, _("不在を取り消しました。"))
    return redirect(PAGE)


@page
@require_POST
def delegation_give(request):
    """委任: the delegate decides my items for the period; every refusal next to its field."""
    form = DelegationForm(request.POST, prefix="delegation", delegates=_delegates(request.user))
    if form.is_valid():
        given = run_service(
            form,
            approval_services.delegation_create,
            actor=request.user,
            delegator=request.user,
            **form.cleaned_data,
        )
        if given is not None:
            messages.success(
                request,
                _("%(name)sさんに決裁を委任しました(%(start)s〜%(end)s)。")
                % {"name": given.delegate.name, "start": given.start, "end": given.end},
            )
            return redirect(PAGE)
    return _page(request, delegation_form=form, status=form.error_status)


@page
@require_POST
def delegation_revoke(request, delegation_id: int):
    """委任の取消 by its delegator or an admin, as the API (the service: 404 for anyone else, 409 once it is
    over)."""
    delegation = run_lookup(approval_selectors.delegation_get, delegation_id=delegation_id)
    if run_action(request, approval_services.delegation_revoke, delegation=delegation, actor=request.user):
        messages.success(request, _("委任を取り消しました。"))
    return redirect(PAGE)
