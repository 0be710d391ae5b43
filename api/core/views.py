"""Operational views: /healthz (liveness), /readyz (readiness), the catalogue of error codes, and the 404/500 handlers that keep /api/ on
problem+json."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.urls import reverse
from django.views import defaults
from django.views.generic import TemplateView
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.core import catalogue, serializers
from api.core.codes import ApiError
from api.core.errors import status_detail
from api.core.middleware import is_api_request, problem_http_response
from api.core.schema import error_codes
from config.celery_app import app as celery_app
from core.errors import CoreError


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return False
    return True


def _broker_state() -> str:
    """`eager` when tasks run in-process (embedded mode), else `ok` or `down` for the Celery broker."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    try:
        with celery_app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    except Exception:
        return "down"
    return "ok"


def _cache_state() -> str:
    """`local` for a cache inside the process (embedded mode), else `ok` or `down` for Redis."""
    ping = getattr(cache, "ping", None)
    if ping is None:
        return "local"
    return "ok" if ping() else "down"


def healthz(request):
    """Liveness: 200 `{database: ok}` while the process and the database answer, whatever the broker and the
    cache do (a container restarted for a broker outage would serve nobody); 503 `{database: down}`."""
    database = "ok" if _database_ok() else "down"
    return JsonResponse(
        {"database": database},
        status=200 if database == "ok" else 503,
        headers={"Cache-Control": "no-store"},
    )


def readyz(request):
    """Readiness: 200 `{database, broker: ok|eager, cache: ok|local}`; 503 with `down` for what is down. The
    web process still serves while the broker or the cache is down (the outbox keeps notifications, the cache
    fails open): this tells the operator, not the orchestrator, that something needs repair."""
    result = {
        "database": "ok" if _database_ok() else "down",
        "broker": _broker_state(),
        "cache": _cache_state(),
    }
    healthy = "down" not in result.values()
    return JsonResponse(result, status=200 if healthy else 503, headers={"Cache-Control": "no-store"})


class ErrorCodeSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="stable snake_case code of a problem or of an item of its `errors`"
    )
    status = serializers.IntegerField(help_text="HTTP status of the problem that carries it")
    title_ja = serializers.CharField()
    title_en = serializers.CharField()


class ErrorCatalogueView(APIView):
    """エラーコード一覧: every stable code the API can answer, from every app's catalogue, sorted by code.

    Public (no login, no throttle): clients build their messages and tests from it."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @extend_schema(responses=ErrorCodeSerializer(many=True), tags=["errors"])
    @error_codes()
    def get(self, request):
        return Response(ErrorCodeSerializer(catalogue.entries(catalogue.catalogues()), many=True).data)


class GuideView(TemplateView):
    """はじめに: the getting-started page of the API (/api/docs/guide/), public, no asset from outside."""

    template_name = "api/guide.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "base": self.request.build_absolute_uri("/").rstrip("/"),
            "schema_url": reverse("schema"),
            "docs_url": reverse("docs"),
            "errors_url": reverse("error-catalogue"),
        }


def page_not_found(request, exception):
    if is_api_request(request):
        return problem_http_response(status_code=404, code=CoreError.NOT_FOUND, detail=status_detail(404))
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api_request(request):
        return problem_http_response(status_code=500, code=ApiError.SERVER_ERROR, detail=status_detail(500))
    return defaults.server_error(request)


def bad_request(request, exception):
    if is_api_request(request):
        return problem_http_response(status_code=400, code=ApiError.BAD_REQUEST, detail=status_detail(400))
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api_request(request):
        return problem_http_response(
            status_code=403, code=CoreError.PERMISSION_DENIED, detail=status_detail(403)
        )
    return defaults.permission_denied(request, exception)
