"""`portal`: what the layout's navigation needs, computed only when a template reads it."""

from functools import cached_property

from django.apps import apps
from django.http import HttpRequest

from approvals.selectors import inbox_for
from notifications.selectors import notification_list
from org.models import RoleCode


class PortalNav:
    """The person's waiting approvals, unread notifications and roles for `base.html` (lazy: no query unless
    the page shows the navigation)."""

    def __init__(self, request: HttpRequest) -> None:
        self.user = request.user

    @cached_property
    def signed_in(self) -> bool:
        return self.user.is_authenticated

    @cached_property
    def waiting_count(self) -> int:
        return inbox_for(user=self.user).count() if self.signed_in else 0

    @cached_property
    def unread_count(self) -> int:
        return notification_list(user=self.user, unread=True).count() if self.signed_in else 0

    @cached_property
    def roles(self) -> set[str]:
        return self.user.role_codes if self.signed_in else set()

    @cached_property
    def is_manager(self) -> bool:
        return RoleCode.MANAGER in self.roles

    @cached_property
    def is_hr(self) -> bool:
        return RoleCode.HR in self.roles

    @cached_property
    def is_secretariat(self) -> bool:
        return RoleCode.SECRETARIAT in self.roles

    @cached_property
    def leave_installed(self) -> bool:
        return apps.is_installed("leave")


def portal(request: HttpRequest) -> dict:
    return {"portal": PortalNav(request)}
