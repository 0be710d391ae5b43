"""起案と修正: a draft document is created, and edited by its drafter while it is a draft or returned."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from approvals import lock_objects
from approvals.audit import audit_append, audit_batch
from approvals.codes import ApprovalsError
from approvals.models import RETENTION_YEARS, Action, Document, DocumentKind, DocumentStatus
from approvals.registry import get_kind
from approvals.services._action import document_action, ensure_visible
from approvals.services._common import grant_view
from core.errors import CoreError
from org.models import Department, Employee

EDITABLE_FIELDS = ("title", "body", "category", "amount", "retention_years")


def _validate_fields(*, title: str, retention_years: int | None, amount: int | None) -> None:
    errors = []
    if not title or not title.strip():
        errors.append(CoreError.REQUIRED.field("title", _("件名は必須です。")))
    if retention_years is not None and retention_years not in RETENTION_YEARS:
        errors.append(
            ApprovalsError.INVALID_RETENTION.field("retention_years", choices=list(RETENTION_YEARS))
        )
    if amount is not None and amount < 0:
        errors.append(ApprovalsError.INVALID_AMOUNT.field("amount"))
    if errors:
        raise CoreError.INVALID.error(errors=errors)


def document_create(
    *,
    kind: str,
    drafter: Employee,
    title: str,
    body: str = "",
    category: str = "",
    amount: int | None = None,
    retention_years: int | None = None,
    consult_departments: Iterable[Department] = (),
    payload: dict | None = None,
    corrects: Document | None = None,
) -> Document:
    """起案: a draft document of the drafter's department; `corrects` links a correction (修正) to a decided one."""
    if kind not in DocumentKind.values or get_kind(kind) is None:
        raise CoreError.INVALID.error(errors=[ApprovalsError.INVALID_KIND.field("kind")])
    _validate_fields(title=title, retention_years=retention_years, amount=amount)
    if drafter.department_id is None:
        raise ApprovalsError.NO_DEPARTMENT.error()
    with transaction.atomic(), audit_batch():
        if corrects is not None:
            original = lock_objects.document_for_update(pk=corrects.pk)
            ensure_visible(original, drafter)
            if original.status != DocumentStatus.APPROVED:
                raise ApprovalsError.NOT_DECIDED.error()
        document = Document.objects.create(
            kind=kind,
            title=title.strip(),
            body=body,
            category=category,
            amount=amount,
            retention_years=retention_years,
            drafter=drafter,
            department_id=drafter.department_id,
            payload=payload or {},
            corrects=corrects,
        )
        document.consult_departments.set(list(consult_departments))
        grant_view(document, [drafter.pk])
        audit_append(
            document=document,
            action=Action.CREATE,
            actor=drafter,
            data={
                "kind": kind,
                "title": document.title,
                "amount": amount,
                "corrects": corrects.pk if corrects else None,
            },
        )
    return document


def document_update(
    *, document: Document, actor: Employee, consult_departments: Iterable[Department] | None = None, **changes
) -> Document:
    """修正: the drafter edits a draft or returned document (title, body, category, amount, retention_years)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise CoreError.INVALID.error(errors=[CoreError.READ_ONLY.field(name) for name in sorted(unknown)])
    with document_action(document=document, actor=actor, action=Action.UPDATE) as acting:
        document = acting.document
        merged = {name: changes.get(name, getattr(document, name)) for name in EDITABLE_FIELDS}
        _validate_fields(
            title=merged["title"], retention_years=merged["retention_years"], amount=merged["amount"]
        )
        for name, value in changes.items():
            setattr(document, name, value.strip() if name == "title" else value)
        document.save()
        if consult_departments is not None:
            document.consult_departments.set(list(consult_departments))
        audit_append(
            document=document,
            action=Action.UPDATE,
            actor=actor,
            data={
                "fields": sorted(changes)
                + (["consult_departments"] if consult_departments is not None else []),
            },
        )
    return document
