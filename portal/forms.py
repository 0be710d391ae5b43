"""The one place where a service's `DomainError` becomes what a page shows, and the base of every portal form.

A view validates the form's shape, then calls the service through `run_service`: a `DomainError` is shown next
to the field it names (`errors[].field`, renamed by `fields` when the form calls it otherwise) or above the form,
the bound form keeps what was typed, and `form.error_status` is the status to answer with (400, 409, 422, 429).
A button without a form (submit, cancel, revoke) calls `run_action`, which shows the error as a message.
What the person may not see stays a 404 and what they may not do a 403, as in the API.
"""

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404

from core.errors import DomainError, NotFound, PermissionDenied

T = TypeVar("T")


class PortalForm(forms.Form):
    """A form whose fields render with their label, help and errors (`portal/_field.html`)."""

    template_name = "portal/_form.html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.error_status = 400 if self.is_bound else 200


def add_domain_error(form: forms.Form, exc: DomainError, *, fields: Mapping[str, str] | None = None) -> None:
    """Every item of `exc.errors` next to its field (the whole form when it names none or one the form lacks);
    without items, the error's detail above the form."""
    fields = fields or {}
    items = exc.errors or [{"field": None, "code": exc.code, "message": str(exc.detail)}]
    for item in items:
        name = fields.get(item.get("field") or "", item.get("field"))
        target = name if name in form.fields else None
        form.add_error(target, ValidationError(str(item["message"]), code=item.get("code")))
    form.error_status = exc.status_code


def run_lookup(selector: Callable[..., T], /, **kwargs: Any) -> T:
    """`selector(**kwargs)` for a page: what the person may not see (NotFound) is the 404 page, what they may not
    do (PermissionDenied) the 403 page."""
    try:
        return selector(**kwargs)
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc.detail)) from exc


def run_service(
    form: forms.Form, service: Callable[..., T], /, *, fields: Mapping[str, str] | None = None, **kwargs: Any
) -> T | None:
    """`service(**kwargs)`; on a `DomainError` the form carries it (see `add_domain_error`) and None is returned,
    so the caller re-renders when `form.errors`. NotFound is a 404 page and PermissionDenied a 403 page."""
    try:
        return run_lookup(service, **kwargs)
    except DomainError as exc:
        add_domain_error(form, exc, fields=fields)
        return None


def run_action(request, service: Callable[..., Any], /, **kwargs: Any) -> bool:
    """`service(**kwargs)` for a button: True when it succeeded; on a `DomainError` its detail and every listed
    item become an error message of the next page and False is returned; NotFound and PermissionDenied as in
    `run_lookup`."""
    try:
        run_lookup(service, **kwargs)
    except DomainError as exc:
        items = [str(item["message"]) for item in exc.errors]
        messages.error(request, " ".join([str(exc.detail), *items]))
        return False
    return True
