"""htmx requests: the server answers a fragment to an htmx request and the whole page otherwise."""

from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """True for a request htmx made (`HX-Request: true`), which wants a fragment, not a page."""
    return request.headers.get("HX-Request") == "true"
