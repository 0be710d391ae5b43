"""Routes of login, logout and /me/."""

from django.urls import path

from api.auth.views import MeView, TokenObtainView, TokenRevokeView

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="auth-token"),
    path("auth/token/revoke/", TokenRevokeView.as_view(), name="auth-token-revoke"),
    path("me/", MeView.as_view(), name="me"),
]
