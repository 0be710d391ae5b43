"""Role-based permission classes for DRF views, and the mixin that loads the caller's roles once."""

from django.db.models import prefetch_related_objects
from rest_framework.permissions import BasePermission


class RolesPrefetchedMixin:
    """Loads the caller's roles once per request, so every role check after it costs no query."""

    def check_permissions(self, request):
        if request.user.is_authenticated:
            prefetch_related_objects([request.user], "roles")
        super().check_permissions(request)


def has_role(*codes: str) -> type[BasePermission]:
    """A permission class that lets through an authenticated user holding any of the role codes."""

    class HasRole(BasePermission):
        def has_permission(self, request, view) -> bool:
            user = request.user
            return bool(user and user.is_authenticated and user.has_role(*codes))

    HasRole.__name__ = f"HasRole_{'_'.join(codes)}"
    return HasRole
