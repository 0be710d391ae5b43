"""Makes sure nothing under /api/ answers with an HTML page (Django's own 404/405/500 included), renews idle
sessions without writing them on every request, and sets the Content-Security-Policy without rebuilding it on
every response."""

import json
import time
from functools import cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as LibraryCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseBadRequest

from api.core import limits
from api.core.codes import ApiError
from api.core.errors import PROBLEM_CONTENT_TYPE, problem_body, status_code_of, status_detail

API_PREFIX = "/api/"

# Headers of the original error that a client still needs on the problem.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary")


def is_api_request(request) -> bool:
    return request.path.startswith(API_PREFIX)


def problem_http_response(*, status_code: int, code: str, detail: str) -> HttpResponse:
    """A problem+json response outside DRF (Django views, handlers, middleware)."""
    body = problem_body(status_code=status_code, code=code, detail=detail)
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status_code, content_type=PROBLEM_CONTENT_TYPE
    )


class ApiProblemMiddleware:
    """Turns any error response under /api/ that is not JSON into a problem (keeping Allow, Retry-After...)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_api_request(request) or response.status_code < 400:
            return response
        if "json" in response.get("Content-Type", ""):
            return response
        problem = problem_http_response(
            status_code=response.status_code,
            code=status_code_of(response.status_code),
            detail=status_detail(response.status_code),
        )
        for name in KEPT_HEADERS:
            if name in response:
                problem[name] = response[name]
        return problem


class InputCharactersMiddleware:
    """Refuses a path or a query string (names and values, once decoded) that holds a control character: a 400
    problem `invalid_character` under /api/, a plain 400 elsewhere. Bodies are checked by api.core.parsers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_control_character(request):
            if is_api_request(request):
                return problem_http_response(
                    status_code=400,
                    code=ApiError.INVALID_CHARACTER,
                    detail=str(ApiError.INVALID_CHARACTER.message),
                )
            return HttpResponseBadRequest()
        return self.get_response(request)

    @staticmethod
    def _has_control_character(request) -> bool:
        if limits.has_control_character(request.path_info):
            return True
        return any(
            limits.has_control_character(name) or any(limits.has_control_character(value) for value in values)
            for name, values in request.GET.lists()
        )


class SessionIdleRenewalMiddleware:
    """Sessions end after SESSION_COOKIE_AGE without a request (an idle time), renewed at most once every
    SESSION_RENEW_SECONDS: renewing on every request would write the session row on every request, and the
    parallel requests of one page (the dashboard's three reads) would race for it (SQLite refuses the second
    writer, which Django answers with a 400 "session interrupted"). Place it after SessionMiddleware."""

    KEY = "_renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key is not None:
            now = int(time.time())
            if now - int(session.get(self.KEY, 0)) >= settings.SESSION_RENEW_SECONDS:
                session[self.KEY] = now  # modified: saved with a fresh expiry when the response goes out
        return self.get_response(request)


# A response's own policy (django-csp's decorators) or exemption.
_PER_RESPONSE_POLICY = tuple(
    f"_csp_{part}{suffix}" for part in ("config", "update", "replace", "exempt") for suffix in ("", "_ro")
)


@cache
def _site_policies() -> tuple[str, str] | None:
    """The policy and the report-only policy of a response that changes nothing of them, built from the settings;
    None when a setting excludes URL prefixes (the library's way then)."""
    settings_of = [
        getattr(settings, name, None) or {}
        for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
    ]
    if any(policy.get("EXCLUDE_URL_PREFIXES") for policy in settings_of):
        return None
    return build_policy(), build_policy(report_only=True)


@receiver(setting_changed)
def _forget_site_policies(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _site_policies.cache_clear()


class CSPMiddleware(LibraryCSPMiddleware):
    """django-csp's middleware, with the site's policy built once per process: rebuilding it on every response
    cost more than any other middleware of a clock-in (bench/README.md). A request that used its nonce, a
    response with a policy of its own, and Django's debug pages go the library's way."""

    def process_response(self, request, response):
        policies = _site_policies()
        if (
            policies is None
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _PER_RESPONSE_POLICY)
            or (settings.DEBUG and response.status_code in (404, 500))
        ):
            return super().process_response(request, response)
        for header, policy in zip((HEADER, HEADER_REPORT_ONLY), policies, strict=True):
            if policy and header not in response:
                response[header] = policy
        # as the library does: the nonce can no longer reach a header that is written
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
