"""OpenAPI schema generation: every operation documents the problem+json errors it can return.

Added to each operation unless the view already declares the status (a declared 4xx gets the Problem body):
401 and 403 when the operation needs a login; 404 on routes with path parameters and on paginated lists
(an unknown page); 400 when there is a request body or query parameters; 415 with a request body; 406 and
429 everywhere; for `@idempotent` methods the `Idempotency-Key` header, 400, 409 and 422. Views declare
other statuses with `extend_schema(responses={409: OpenApiResponse(description="...")})`.
"""

import uritemplate
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from api.core.errors import PROBLEM_CONTENT_TYPE
from api.core.idempotency import IDEMPOTENCY_HEADER, is_idempotent

ERROR_DESCRIPTIONS = {
    400: "Invalid input: `errors` lists each field (`field`, `code`, `message`, `params`).",
    401: "No or invalid credentials (`WWW-Authenticate: Token`).",
    403: "The caller may not take this action.",
    404: "Not found, or not visible to the caller.",
    406: "The `Accept` header asks for a format the API cannot produce.",
    409: "The object's state does not allow the action (`conflict` or a more specific code).",
    413: "The request body is too large.",
    415: "Unsupported request media type.",
    422: "Business rules refuse the request: `errors` lists every violation.",
    429: "Too many requests (`throttled`); see `Retry-After`.",
}


class ProblemFieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True, help_text="`events[0].at`; null for the whole request")
    code = serializers.CharField()
    message = serializers.CharField()
    params = serializers.DictField()


class ProblemSerializer(serializers.Serializer):
    """application/problem+json (RFC 9457) with a stable snake_case `code`."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = ProblemFieldErrorSerializer(many=True, required=False)
    params = serializers.DictField(required=False, help_text="values that fill the message, when any")


class AutoSchema(SpectacularAutoSchema):
    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._is_idempotent():
            parameters.append(
                OpenApiParameter(
                    IDEMPOTENCY_HEADER,
                    {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
                    OpenApiParameter.HEADER,
                    description="Same key again → the first response again (`Idempotent-Replayed: true`); "
                    "kept 24 h per user.",
                )
            )
        return parameters

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is not None:
            self._add_problem_responses(operation)
        return operation

    def _is_idempotent(self) -> bool:
        action = getattr(self.view, "action", None) or self.method.lower()
        return is_idempotent(getattr(self.view, action, None))

    def _error_statuses(self, operation: dict) -> set[int]:
        statuses = {406, 429}
        security = operation.get("security", [])
        if security and {} not in security:
            statuses |= {401, 403}
        if uritemplate.variables(self.path) or (
            self.method == "GET" and self._is_list_view() and self._get_paginator()
        ):
            statuses.add(404)
        has_body = "requestBody" in operation
        if has_body or any(p.get("in") == "query" for p in operation.get("parameters", [])):
            statuses.add(400)
        if has_body:
            statuses.add(415)
        if self._is_idempotent():
            statuses |= {400, 409, 422}
        return statuses

    def _add_problem_responses(self, operation: dict) -> None:
        problem = self.resolve_serializer(ProblemSerializer, "response")
        content = {PROBLEM_CONTENT_TYPE: {"schema": problem.ref}}
        responses = operation.setdefault("responses", {})
        for code in sorted(self._error_statuses(operation)):
            responses.setdefault(str(code), {"description": ERROR_DESCRIPTIONS[code]})
        for code, response in responses.items():
            if code.isdigit() and int(code) >= 400:
                response["content"] = content
                if not response.get("description"):
                    response["description"] = ERROR_DESCRIPTIONS.get(int(code), "Error.")
        operation["responses"] = dict(sorted(responses.items()))
