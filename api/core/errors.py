"""Every error under /api/ becomes application/problem+json here, in one place.

Shape: {type, title, status, detail, code, errors: [{field, code, message, params}]}; `code` is stable
snake_case, `detail` is in the request's language (Japanese by default, English with `Accept-Language: en`).
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import set_rollback

from api.core.codes import ApiError
from core.errors import CoreError, DomainError, ErrorCode, TooManyRequests, field_error

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

# The code of each status for errors that reach the API without an exception of ours (Django's own 404, 405,
# 500 pages), whose catalogue message is the problem's detail.
STATUS_CODES: dict[int, ErrorCode] = {
    400: ApiError.BAD_REQUEST,
    401: ApiError.NOT_AUTHENTICATED,
    403: CoreError.PERMISSION_DENIED,
    404: CoreError.NOT_FOUND,
    405: ApiError.METHOD_NOT_ALLOWED,
    406: ApiError.NOT_ACCEPTABLE,
    413: ApiError.PAYLOAD_TOO_LARGE,
    415: ApiError.UNSUPPORTED_MEDIA_TYPE,
    429: CoreError.THROTTLED,
    500: ApiError.SERVER_ERROR,
    503: ApiError.SERVICE_UNAVAILABLE,
}


def status_code_of(status_code: int) -> ErrorCode:
    """The generic code of a status (`error` for one without its own)."""
    return STATUS_CODES.get(status_code, ApiError.ERROR)


def status_detail(status_code: int) -> str:
    """The generic message of a status, in the active language."""
    return str(status_code_of(status_code).message)


def problem_body(*, status_code: int, code: str, detail: str, errors: list | None = None, **extra) -> dict:
    body = {
        "type": f"urn:townhall:problem:{code!s}",
        "title": TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": str(detail),
        "code": str(code),
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
    """DRF's nested ValidationError detail → [{field, code, message, params}] (`events[0].at`, null for the whole)."""
    items: list[dict] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            if isinstance(
                key, int
            ):  # a list's errors by index: `events[0].at` for an item, the list's name for a value
                name = f"{prefix}[{key}]" if isinstance(value, dict) else prefix
            else:
                field = key if key != "non_field_errors" else ""
                name = f"{prefix}.{field}" if prefix and field else (prefix or field)
            items += _flatten_validation(value, codes.get(key) if isinstance(codes, dict) else codes, name)
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            sub_codes = codes[index] if isinstance(codes, list) and index < len(codes) else codes
            if isinstance(value, dict | list):
                items += _flatten_validation(
                    value, sub_codes, f"{prefix}[{index}]" if prefix else f"[{index}]"
                )
            else:
                items += _flatten_validation(value, sub_codes, prefix)
    else:
        code = codes if isinstance(codes, str) else getattr(detail, "code", None)
        items.append(field_error(prefix or None, code or CoreError.INVALID, detail))
    return items


def _detail_text(detail) -> str:
    if isinstance(detail, list | tuple) and detail:
        return _detail_text(detail[0])
    if isinstance(detail, dict) and detail:
        return _detail_text(next(iter(detail.values())))
    return str(detail)


def _render_as_json(context) -> None:
    """Errors are JSON even when the browsable API was negotiated: never an HTML page."""
    request = context.get("request") if context else None
    if request is not None:
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: domain errors, DRF errors and Django's 404/403 → problem+json.

    Anything else is logged and answered with a 500 problem, with DEBUG on or off (never a stack trace).
    """
    set_rollback()
    _render_as_json(context)
    if isinstance(exc, DomainError):
        response = problem_response(
            status_code=exc.status_code,
            code=exc.code,
            detail=exc.detail,
            errors=exc.errors if exc.errors else None,
            **({"params": exc.params} if exc.params else {}),
        )
        if isinstance(exc, TooManyRequests) and exc.retry_after:
            response["Retry-After"] = str(max(1, round(exc.retry_after)))
        return response
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        return problem_response(status_code=413, code=ApiError.PAYLOAD_TOO_LARGE, detail=status_detail(413))
    elif isinstance(exc, SuspiciousOperation):
        return problem_response(status_code=400, code=ApiError.BAD_REQUEST, detail=status_detail(400))
    if isinstance(exc, exceptions.ValidationError):
        return problem_response(
            status_code=status.HTTP_400_BAD_REQUEST,
            code=CoreError.INVALID,
            detail=CoreError.INVALID.message,
            errors=_flatten_validation(exc.detail, exc.get_codes()),
        )
    if isinstance(exc, exceptions.APIException):
        return _api_exception_response(exc)
    logger.error("Unhandled error in API view", exc_info=exc)
    return problem_response(status_code=500, code=ApiError.SERVER_ERROR, detail=status_detail(500))


def _api_exception_response(exc: exceptions.APIException) -> Response:
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else exc.default_code
    detail = _detail_text(exc.detail)
    if isinstance(exc, exceptions.Throttled):
        detail = (
            _("リクエストが多すぎます。%(wait)d秒後に再度お試しください。") % {"wait": int(exc.wait)}
            if exc.wait
            else status_detail(429)
        )
    response = problem_response(status_code=exc.status_code, code=code, detail=detail)
    if getattr(exc, "auth_header", None):
        response["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        response["Retry-After"] = str(max(1, round(exc.wait)))
    return response
