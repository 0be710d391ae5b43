"""導入推進ダッシュボード: the server-rendered page of the rollout (KPI, phases against plan, adoption charts).

The page draws what the rollout API returns, fetched with the session; it holds no figure of its own.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from org.calendar import fiscal_year
from org.models import RoleCode
from rollout import calculations
from telework.models import Phase

DASHBOARD_ROLES = (RoleCode.SECRETARIAT, RoleCode.MANAGER, RoleCode.ADMIN)


def page_labels() -> dict[str, str]:
    """The words the page's script writes, in the request's language."""
    return {
        "none": _("なし"),
        "late": _("遅れ"),
        "onPlan": _("計画どおり"),
        "planned": _("計画"),
        "fiscalYear": _("R%(year)s年度"),
        "planLegend": _("┊ 計画日（赤: 予定日を過ぎて未到達）"),
        "rate": _("利用率（%）"),
        "teleworkDays": _("実施日数"),
        "days": _("日"),
        "month": _("%(month)s月"),
        "loadError": _("データを読み込めませんでした"),
    }


@login_required
def rollout_dashboard(request):
    """GET /dashboard/rollout/?fiscal_year=2026: secretariat and managers (the latter see their department)."""
    if not request.user.has_role(*DASHBOARD_ROLES):
        raise PermissionDenied
    try:
        year = int(request.GET.get("fiscal_year", ""))
    except ValueError:
        year = fiscal_year(timezone.localdate())
    year = min(max(year, 2000), 2100)
    context = {
        "fiscal_year": year,
        "config": {
            "fiscalYear": year,
            "today": timezone.localdate().isoformat(),
            "api": "/api/v1/telework/rollout/",
            "phases": [{"code": code, "label": str(Phase(code).label)} for code in calculations.PHASES],
            "locations": {"home": _("在宅"), "satellite": _("サテライト"), "mobile": _("モバイル・外勤")},
            "labels": page_labels(),
        },
    }
    return render(request, "dashboard/rollout.html", context)
