"""Role-based permission classes for DRF views."""

from rest_framework.permissions import BasePermission


def has_role(*codes: str) -> type[BasePermission]:
    """A permission class that lets through an authenticated user holding any of the role codes."""

    class HasRole(BasePermission):
        def has_permission(self, request, view) -> bool:
            user = request.user
            return bool(user and user.is_authenticated and user.has_role(*codes))

    HasRole.__name__ = f"HasRole_{'_'.join(codes)}"
    return HasRole
