"""OpenAPI schema generation: every operation documents the problem+json errors it can return, and their codes.

Added to each operation unless the view already declares the status (a declared 4xx gets the Problem body):
401 and 403 when the operation needs a login; 404 on routes with path parameters and on paginated lists
(an unknown page); 400 everywhere (a control character in a path or query: `invalid_character`); 413 and 415
with a request body (which may also not parse, nest too deep or carry an `unknown_field`); 406 and 429
everywhere; for `@idempotent` methods the `Idempotency-Key` header, 400, 409 and 422.

The codes: each of those statuses lists its generic codes (GENERIC_CODES); an operation names the catalogue codes
its view, serializer and service can answer with `@error_codes(OrgError.ABSENCE_OVERLAP,
fields=(CoreError.END_BEFORE_START,))` on the view method (or on the view class, for all its operations):
problem codes first, then `fields=` the codes that appear in `errors` (inside an `invalid` 400 or a
`rule_violation` 422, by the code's status), and `rule_fields=` the 400 codes that a service lists among the
violations of a `rule_violation` 422. Each code adds its status; each status's response lists its codes in the
description and as one example body per code.

Every operation under /api/v1/ declares its codes, `@error_codes()` when it answers only the generic ones
(`tests/api/test_schema_codes.py` fails on an operation that declares nothing).
"""

import uritemplate
from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import relations
from rest_framework.settings import api_settings

from api.core import docs, limits, serializers
from api.core.codes import ApiError
from api.core.errors import PROBLEM_CONTENT_TYPE, TITLES
from api.core.examples import EXAMPLES
from api.core.filters import DjangoFilterBackend
from api.core.idempotency import IDEMPOTENCY_HEADER, is_idempotent
from core.errors import CoreError, ErrorCode

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

# The codes that the generic statuses carry on every operation that has them (besides its own).
GENERIC_CODES: dict[int, tuple[ErrorCode, ...]] = {
    400: (CoreError.INVALID,),
    401: (ApiError.NOT_AUTHENTICATED, ApiError.AUTHENTICATION_FAILED),
    403: (CoreError.PERMISSION_DENIED,),
    404: (CoreError.NOT_FOUND,),
    406: (ApiError.NOT_ACCEPTABLE,),
    415: (ApiError.UNSUPPORTED_MEDIA_TYPE,),
    429: (CoreError.THROTTLED,),
}
# api.core's input limits: any path or query may hold a refused character; any body may not parse, nest too deep,
# be too large or carry a field the endpoint does not take.
INPUT_CODES = (ApiError.INVALID_CHARACTER,)
BODY_CODES = (ApiError.PARSE_ERROR, ApiError.JSON_TOO_DEEP, ApiError.PAYLOAD_TOO_LARGE)
BODY_FIELD_CODES = (CoreError.UNKNOWN_FIELD,)
IDEMPOTENCY_CODES = (
    ApiError.INVALID_IDEMPOTENCY_KEY,
    ApiError.IDEMPOTENCY_IN_PROGRESS,
    ApiError.IDEMPOTENCY_KEY_REUSED,
)


# The problem that carries a field code of each status in its `errors`.
FIELD_PROBLEMS = {400: CoreError.INVALID, 422: CoreError.RULE_VIOLATION}


def error_codes(
    *codes: ErrorCode, fields: tuple[ErrorCode, ...] = (), rule_fields: tuple[ErrorCode, ...] = ()
):
    """Names the catalogue codes a view method (or `@action`, or every operation of a view class) can
    answer: `codes` as the problem's `code`, `fields` as codes of its `errors` items (in the problem of the
    code's status), `rule_fields` as 400 codes listed in the `errors` of a `rule_violation` 422; the schema
    documents them per status. With no argument: the operation answers only the generic codes.

    Put it directly on the method (in any order with `@idempotent`, `@action` and `extend_schema`), or on the
    class, which sets the class attribute `error_codes` the schema reads (assigning that attribute in the class
    body instead would hide this decorator from the methods below it)."""
    unknown = [code for code in fields if code.status not in FIELD_PROBLEMS]
    if unknown:
        raise ValueError(f"field codes are 400 or 422 codes: {unknown}")
    placed = [(code.status, code) for code in fields] + [(422, code) for code in rule_fields]

    def decorate(view_method):
        view_method.error_codes = (*getattr(view_method, "error_codes", ()), *codes)
        view_method.error_field_codes = (*getattr(view_method, "error_field_codes", ()), *placed)
        return view_method

    return decorate


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


TIME_OF_DAY = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"


def _over_nullable_key(field) -> bool:
    """Whether a serializer's relation reads a foreign key that may be empty."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or "." in field.source:
        return False
    try:
        return bool(getattr(model._meta.get_field(field.source), "null", False))
    except FieldDoesNotExist:
        return False


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

    def get_filter_backends(self):
        """django-filter's backend filters nothing on a view without a filter set: no parameters from it."""
        backends = super().get_filter_backends()
        if getattr(self.view, "filterset_class", None) or getattr(self.view, "filterset_fields", None):
            return backends
        return [backend for backend in backends if not issubclass(backend, DjangoFilterBackend)]

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        """The bounds of api.core.serializers' relations: a key of 64 bits, a list of at most `max_length`; a
        time of day as sent (`08:30:00`: OpenAPI's `time` format would demand an offset); a read-only relation
        over a nullable foreign key is nullable."""
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if schema.get("format") == "time":
            del schema["format"]
            schema.setdefault("pattern", TIME_OF_DAY)
            schema.setdefault("example", "08:30:00")
        if field.read_only and isinstance(field, relations.RelatedField) and _over_nullable_key(field):
            schema["nullable"] = True
        if isinstance(field, relations.PrimaryKeyRelatedField) and schema.get("type") == "integer":
            schema.setdefault("minimum", 1)
            schema.setdefault("maximum", limits.INT_MAX)
        if isinstance(field, relations.ManyRelatedField) and schema.get("type") == "array":
            schema.setdefault("maxItems", getattr(field, "max_length", None) or limits.max_list_length())
        return schema

    def _map_basic_serializer(self, serializer, direction):
        """A serializer that leaves fields out for some callers names the ones always sent
        (`always_present_fields`); only those are `required` in its response schema."""
        schema = super()._map_basic_serializer(serializer, direction)
        present = getattr(serializer, "always_present_fields", None)
        if direction == "response" and present is not None and "required" in schema:
            schema["required"] = [name for name in schema["required"] if name in present]
        return schema

    def map_parsers(self):
        """Request bodies are JSON (API.md); the form parsers of the defaults serve the browsable API and are not
        documented. A view that chooses its own parsers (an upload) documents those."""
        # by value: a reload of DRF's settings (a test changing REST_FRAMEWORK) makes a new, equal list
        if list(self.view.parser_classes) == list(api_settings.DEFAULT_PARSER_CLASSES):
            return ["application/json"]
        return super().map_parsers()

    def get_summary(self):
        """The operation's summary from api.core.docs (an `extend_schema(summary=...)` wins)."""
        documented = docs.OPERATIONS.get(self.get_operation_id())
        return documented[0] if documented else super().get_summary()

    def get_description(self):
        """The operation's own description from api.core.docs, else the view's docstring."""
        documented = docs.OPERATIONS.get(self.get_operation_id())
        return documented[1] if documented else super().get_description()

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is not None:
            self._add_problem_responses(operation)
            self._add_examples(operation)
        return operation

    def _add_examples(self, operation: dict) -> None:
        """The real examples of api.core.examples: the request body's, and each response's beside its code examples."""
        examples = EXAMPLES.get(operation["operationId"], {})
        if "request" in examples:
            for media in operation.get("requestBody", {}).get("content", {}).values():
                media["examples"] = {"example": {"summary": "example", "value": examples["request"]}}
        for status, value in examples.get("responses", {}).items():
            for media in operation["responses"][status].get("content", {}).values():
                media["examples"] = {
                    "example": {"summary": "example", "value": value},
                    **media.get("examples", {}),
                }

    def _view_method(self):
        action = getattr(self.view, "action", None) or self.method.lower()
        return getattr(self.view, action, None)

    def _is_idempotent(self) -> bool:
        return is_idempotent(self._view_method())

    def _declared(self, attribute: str) -> tuple:
        """The operation's own codes (`error_field_codes`: (status, code) pairs): the view class's and its
        method's (`@error_codes`)."""
        return (*getattr(type(self.view), attribute, ()), *getattr(self._view_method(), attribute, ()))

    def _codes_by_status(self, statuses: set[int]) -> dict[int, list[ErrorCode]]:
        found: dict[int, list[ErrorCode]] = {}
        for status in statuses:
            found.setdefault(status, []).extend(GENERIC_CODES.get(status, ()))
        if self._is_idempotent():
            for code in IDEMPOTENCY_CODES:
                found.setdefault(code.status, []).append(code)
        for code in self._declared("error_codes"):
            found.setdefault(code.status, []).append(code)
        for status, _code in self._declared("error_field_codes"):
            found.setdefault(status, []).append(FIELD_PROBLEMS[status])
        return {status: list(dict.fromkeys(codes)) for status, codes in found.items()}

    def _field_codes_by_status(self) -> dict[int, list[ErrorCode]]:
        found: dict[int, list[ErrorCode]] = {}
        for status, code in dict.fromkeys(self._declared("error_field_codes")):
            found.setdefault(status, []).append(code)
        return found

    def _error_statuses(self, operation: dict) -> set[int]:
        statuses = {400, 406, 429}  # 400: a control character in any path or query (INPUT_CODES)
        security = operation.get("security", [])
        if security and {} not in security:
            statuses |= {401, 403}
        if uritemplate.variables(self.path) or (
            self.method == "GET" and self._is_list_view() and self._get_paginator()
        ):
            statuses.add(404)
        if "requestBody" in operation:
            statuses |= {413, 415}
        if self._is_idempotent():
            statuses |= {400, 409, 422}
        return statuses

    @staticmethod
    def _add_input_codes(codes: dict[int, list], field_codes: dict[int, list], *, has_body: bool) -> None:
        """The codes of api.core's input limits, which every operation (and every body) can meet."""
        for code in (*INPUT_CODES, *(BODY_CODES if has_body else ())):
            codes.setdefault(code.status, []).append(code)
        for code in BODY_FIELD_CODES if has_body else ():
            field_codes.setdefault(code.status, []).append(code)
            codes.setdefault(code.status, []).append(FIELD_PROBLEMS[code.status])
        for found in (codes, field_codes):
            for status, listed in found.items():
                found[status] = list(dict.fromkeys(listed))

    def _add_problem_responses(self, operation: dict) -> None:
        problem = self.resolve_serializer(ProblemSerializer, "response")
        responses = operation.setdefault("responses", {})
        declared = {int(status) for status in responses if status.isdigit() and int(status) >= 400}
        codes = self._codes_by_status(self._error_statuses(operation) | declared)
        field_codes = self._field_codes_by_status()
        self._add_input_codes(codes, field_codes, has_body="requestBody" in operation)
        for status in sorted(codes):
            responses.setdefault(str(status), {"description": ERROR_DESCRIPTIONS.get(status, "Error.")})
        for status, response in responses.items():
            if status.isdigit() and int(status) >= 400:
                if not response.get("description"):
                    response["description"] = ERROR_DESCRIPTIONS.get(int(status), "Error.")
                number = int(status)
                response["content"] = self._problem_content(
                    problem, number, codes.get(number, []), field_codes.get(number, [])
                )
                if codes.get(number):
                    names = ", ".join(f"`{code.value}`" for code in codes[number])
                    response["description"] = f"{response['description']} Codes: {names}."
                if field_codes.get(number):
                    names = ", ".join(f"`{code.value}`" for code in field_codes[number])
                    response["description"] = f"{response['description']} In `errors`: {names}."
        operation["responses"] = dict(sorted(responses.items()))

    @staticmethod
    def _problem_content(problem, status: int, codes: list[ErrorCode], field_codes: list[ErrorCode]) -> dict:
        """The Problem body, with one example per code (the catalogue's Japanese title as the detail)."""

        def body(code: ErrorCode, **extra) -> dict:
            return {
                "type": f"urn:townhall:problem:{code.value}",
                "title": TITLES.get(status, "Error"),
                "status": status,
                "detail": str(code.message),
                "code": code.value,
                **extra,
            }

        examples = {code.value: {"summary": code.value, "value": body(code)} for code in codes}
        for code in field_codes:
            item = {"field": None, "code": code.value, "message": str(code.message), "params": {}}
            examples[f"errors: {code.value}"] = {
                "summary": f"errors[].code = {code.value}",
                "value": body(FIELD_PROBLEMS[status], errors=[item]),
            }
        media: dict = {"schema": problem.ref}
        if examples:
            media["examples"] = examples
        return {PROBLEM_CONTENT_TYPE: media}
