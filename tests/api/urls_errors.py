"""Test-only routes that fail on purpose (a Django view and a DRF view raising), plus the real URLs."""

from django.urls import include, path
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from core.errors import Conflict, RuleViolation


def django_boom(request):
    raise RuntimeError("secret detail that must not leak")


class DrfBoom(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError("secret detail that must not leak")


class DomainErrors(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        if request.query_params.get("kind") == "conflict":
            raise Conflict(code="month_closed")
        raise RuleViolation(
            errors=[
                {"field": "dates", "code": "max_days_per_week", "message": "週2日まで", "params": {"max": 2}}
            ]
        )


urlpatterns = [
    path("api/test/django-boom/", django_boom),
    path("api/test/drf-boom/", DrfBoom.as_view()),
    path("api/test/domain/", DomainErrors.as_view()),
    path("", include("config.urls")),
]

handler400 = "api.core.views.bad_request"
handler403 = "api.core.views.permission_denied"
handler404 = "api.core.views.page_not_found"
handler500 = "api.core.views.server_error"
