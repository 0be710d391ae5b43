"""Routes of login, logout, /me/, the caller's password and tokens."""

from django.urls import path

from api.auth.views import MeView, PasswordChangeView, TokenObtainView, TokenRevokeView, TokenViewSet

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="auth-token"),
    path("auth/token/revoke/", TokenRevokeView.as_view(), name="auth-token-revoke"),
    path("me/", MeView.as_view(), name="me"),
    path("me/password/", PasswordChangeView.as_view(), name="me-password"),
    path("me/tokens/", TokenViewSet.as_view({"get": "list"}), name="me-tokens"),
    path("me/tokens/<int:pk>/", TokenViewSet.as_view({"delete": "destroy"}), name="me-token"),
]
