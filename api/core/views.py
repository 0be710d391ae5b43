"""Operational views: /healthz, and the 404/500 handlers that keep /api/ on problem+json."""

import json

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views import defaults

from api.core.errors import PROBLEM_CONTENT_TYPE, problem_body
from api.core.middleware import API_PREFIX


def healthz(request):
    """Liveness and readiness: the database and the Celery broker (or `eager` in embedded mode)."""
    from django.conf import settings

    from config.celery_app import app

    result, healthy = {}, True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        result["database"] = "ok"
    except Exception:
        result["database"] = "down"
        healthy = False
    if settings.CELERY_TASK_ALWAYS_EAGER:
        result["broker"] = "eager"
    else:
        try:
            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            result["broker"] = "ok"
        except Exception:
            result["broker"] = "down"
            healthy = False
    return JsonResponse(result, status=200 if healthy else 503)


def _problem(status_code: int, code: str, detail: str) -> HttpResponse:
    body = problem_body(status_code=status_code, code=code, detail=detail)
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status_code, content_type=PROBLEM_CONTENT_TYPE
    )


def page_not_found(request, exception):
    if request.path.startswith(API_PREFIX):
        return _problem(404, "not_found", "見つかりません。")
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith(API_PREFIX):
        return _problem(500, "server_error", "サーバー内部でエラーが発生しました。")
    return defaults.server_error(request)
