"""What the OpenAPI schema documents per operation and status, and a check that a problem an API test received
uses only those codes: `assert_codes_documented(response)` after a refusal fails when the view's
`@error_codes(...)` does not declare what it really answered."""

import functools
import re

from drf_spectacular.generators import SchemaGenerator

PROBLEM_CONTENT_TYPE = "application/problem+json"
FIELD_EXAMPLE_PREFIX = "errors: "


@functools.cache
def api_schema() -> dict:
    """The public schema, generated once per test run (it depends on the code only)."""
    return SchemaGenerator().get_schema(request=None, public=True)


def _template_pattern(template: str) -> re.Pattern:
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts) + r"\Z")


def operation_of(method: str, path: str) -> tuple[str, dict]:
    """The schema's (path template, operation) for a concrete request path; the most specific template wins."""
    matches = [
        (template.count("{"), template, item[method.lower()])
        for template, item in api_schema()["paths"].items()
        if method.lower() in item and _template_pattern(template).match(path)
    ]
    assert matches, f"no operation {method.upper()} {path} in the schema"
    _count, template, operation = min(matches, key=lambda match: match[0])
    return template, operation


def documented_codes(operation: dict, status: int) -> tuple[set[str], set[str]] | None:
    """(problem codes, codes of `errors` items) that the operation documents for the status; None when the
    status itself is not documented."""
    response = operation["responses"].get(str(status))
    if response is None:
        return None
    examples = response.get("content", {}).get(PROBLEM_CONTENT_TYPE, {}).get("examples", {})
    codes: set[str] = set()
    fields: set[str] = set()
    for name, example in examples.items():
        if name.startswith(FIELD_EXAMPLE_PREFIX):
            fields.update(item["code"] for item in example["value"]["errors"])
        else:
            codes.add(example["value"]["code"])
    return codes, fields


def undocumented(method: str, path: str, status: int, body: dict) -> list[str]:
    """What the schema does not document about a problem answered to `method path`: its status, its `code`,
    and each `errors[].code` (an item that repeats the problem's own code, pointing at its field, counts as it)."""
    template, operation = operation_of(method, path)
    where = f"{method.upper()} {template} {status}"
    documented = documented_codes(operation, status)
    if documented is None:
        return [f"{where}: the status is not documented"]
    codes, fields = documented
    missing = [] if body.get("code") in codes else [f"{where}: code {body.get('code')!r}"]
    for item in body.get("errors") or []:
        if item.get("code") not in fields and item.get("code") != body.get("code"):
            missing.append(f"{where}: errors[].code {item.get('code')!r}")
    return missing


def assert_codes_documented(response) -> None:
    """The problem a test client received is documented by its operation, status, code and `errors` codes."""
    assert response.status_code >= 400, response.status_code
    assert response["Content-Type"].startswith(PROBLEM_CONTENT_TYPE), response["Content-Type"]
    missing = undocumented(
        response.request["REQUEST_METHOD"],
        response.request["PATH_INFO"],
        response.status_code,
        response.json(),
    )
    assert missing == [], f"declare them with @error_codes on the view: {missing}"
