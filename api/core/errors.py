"""Every error under /api/ becomes application/problem+json here, in one place.

Shape: {type, title, status, detail, code, errors: [{field, code, message, params}]}.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from org.errors import DomainError

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    423: "Locked",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def problem_body(*, status_code: int, code: str, detail: str, errors: list | None = None, **extra) -> dict:
    body = {
        "type": f"urn:townhall:problem:{code}",
        "title": TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": str(detail),
        "code": code,
    }
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    return body


def problem_response(*, status_code: int, code: str, detail: str, errors: list | None = None, **extra):
    return Response(
        problem_body(status_code=status_code, code=code, detail=detail, errors=errors, **extra),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def _flatten_validation(detail, codes, prefix: str = "") -> list[dict]:
    """DRF's nested ValidationError detail → [{field, code, message, params}]."""
    items: list[dict] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            field = key if key != "non_field_errors" else ""
            name = f"{prefix}.{field}" if prefix and field else (prefix or field)
            items += _flatten_validation(value, codes.get(key) if isinstance(codes, dict) else codes, name)
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            sub_codes = codes[index] if isinstance(codes, list) and index < len(codes) else codes
            if isinstance(value, dict | list):
                items += _flatten_validation(value, sub_codes, f"{prefix}[{index}]" if prefix else str(index))
            else:
                items += _flatten_validation(value, sub_codes, prefix)
    else:
        code = codes if isinstance(codes, str) else getattr(detail, "code", "invalid")
        items.append(
            {"field": prefix or None, "code": code or "invalid", "message": str(detail), "params": {}}
        )
    return items


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: domain errors, DRF errors and Django's 404/403 → problem+json."""
    set_rollback()
    if isinstance(exc, DomainError):
        return problem_response(
            status_code=exc.status_code,
            code=exc.code,
            detail=exc.detail,
            errors=exc.errors if exc.errors else None,
            **({"params": exc.params} if exc.params else {}),
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten_validation(exc.detail, exc.get_codes())
        return problem_response(
            status_code=status.HTTP_400_BAD_REQUEST,
            code="invalid",
            detail=_("入力内容に誤りがあります。"),
            errors=errors,
        )
    if isinstance(exc, exceptions.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            code = {"not_authenticated": "not_authenticated"}.get(code, code)
        response = problem_response(status_code=exc.status_code, code=code, detail=_detail_text(exc.detail))
        for name, value in headers.items():
            response[name] = value
        return response
    logger.exception("Unhandled error in API view", exc_info=exc)
    return problem_response(
        status_code=500, code="server_error", detail=_("サーバー内部でエラーが発生しました。")
    )


def _detail_text(detail) -> str:
    if isinstance(detail, list | tuple) and detail:
        return str(detail[0])
    if isinstance(detail, dict) and detail:
        return str(next(iter(detail.values())))
    return str(detail)
