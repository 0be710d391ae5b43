"""`/manage/`: the page of the person's role (a manager's department, HR's month closing, the secretariat's
rollout); 403 for someone with none of them."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from org.models import RoleCode
from portal.decorators import page

ROLE_PAGES = (
    (RoleCode.MANAGER, "portal:manage:department"),
    (RoleCode.HR, "portal:manage:hr"),
    (RoleCode.SECRETARIAT, "portal:manage:secretariat"),
)


@page
@require_GET
def index(request):
    for role, name in ROLE_PAGES:
        if request.user.has_role(role):
            return redirect(name)
    raise PermissionDenied
