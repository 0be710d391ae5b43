"""Makes sure nothing under /api/ answers with an HTML page (Django's own 404/405/500 included)."""

import json

from django.http import HttpResponse

from api.core.errors import PROBLEM_CONTENT_TYPE, problem_body

API_PREFIX = "/api/"


class ApiProblemMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400:
            return response
        content_type = response.get("Content-Type", "")
        if "json" in content_type:
            return response
        problem = problem_body(
            status_code=response.status_code,
            code={404: "not_found", 405: "method_not_allowed", 500: "server_error"}.get(
                response.status_code, "error"
            ),
            detail=response.reason_phrase,
        )
        return HttpResponse(
            json.dumps(problem, ensure_ascii=False),
            status=response.status_code,
            content_type=PROBLEM_CONTENT_TYPE,
        )
