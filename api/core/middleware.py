"""Makes sure nothing under /api/ answers with an HTML page (Django's own 404/405/500 included)."""

import json

from django.http import HttpResponse

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
