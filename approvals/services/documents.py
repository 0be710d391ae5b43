"""起案と修正: a draft document is created, and edited by its drafter while it is a draft or returned.

Only 起案文書 (`general`) are edited field by field (`document_update`, the generic PATCH); the other kinds stand
for an application of their app, which re-checks its own rules and then revises the document through
`document_revise` (so the document never says what the application does not).
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import lock_objects, routing
from approvals.audit import audit_append, audit_batch
from approvals.codes import ApprovalsError
from approvals.models import RETENTION_YEARS, Action, Document, DocumentKind, DocumentStatus
from approvals.posts import post_holders
from approvals.registry import get_kind
from approvals.services._action import document_action, ensure_visible
from approvals.services._common import grant_view
from approvals.services.numbering import OMITTED, resolve_retention
from core.errors import CoreError, ValidationFailed
from org.models import Department, Employee, Position

EDITABLE_FIELDS = ("title", "body", "category", "amount", "retention_years")


def _validate_fields(
    *,
    title: str,
    retention_years: int | None,
    amount: int | None,
    consult_departments: list[Department] | None = None,
    department_id: int | None = None,
    errors: list[dict] | None = None,
) -> None:
    """400 `invalid` with every problem of the fields (and the `errors` found before)."""
    errors = list(errors or [])
    if not title or not title.strip():
        errors.append(CoreError.REQUIRED.field("title", _("件名は必須です。")))
    if retention_years is not None and retention_years not in RETENTION_YEARS:
        errors.append(
            ApprovalsError.INVALID_RETENTION.field("retention_years", choices=list(RETENTION_YEARS))
        )
    if amount is not None and amount < 0:
        errors.append(ApprovalsError.INVALID_AMOUNT.field("amount"))
    if consult_departments and any(d.pk == department_id for d in consult_departments):
        errors.append(ApprovalsError.CONSULT_OWN_DEPARTMENT.field("consult_departments"))
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
    retention_years=OMITTED,
    consult_departments: Iterable[Department] = (),
    payload: dict | None = None,
    corrects: Document | None = None,
    department: Department | None = None,
) -> Document:
    """起案: a draft document of the drafter's department; `corrects` links a correction (修正) to a decided one.
    `department` files it in another department, whose route it then takes: what a domain service drafts in the
    name of a department whose 課長 post the drafter holds today (an acting 課長's overtime order); any other
    department is refused (403 `permission_denied`).

    `retention_years` (保存年限) given as None is 永年保存; left out, it comes from the category (文書分類表) or
    the kind (種別の文書規程), and without either the draft is refused (400 `retention_required`)."""
    if kind not in DocumentKind.values or get_kind(kind) is None:
        raise CoreError.INVALID.error(errors=[ApprovalsError.INVALID_KIND.field("kind")])
    consult_departments = list(consult_departments)
    missing: list[dict] = []
    try:
        retention_years = resolve_retention(kind=kind, category=category, retention_years=retention_years)
    except ValidationFailed as refused:
        retention_years, missing = None, refused.errors
    department_id = department.pk if department is not None else drafter.department_id
    if department_id != drafter.department_id and drafter.pk not in post_holders(
        post=routing.Post(Position.DIRECTOR, department_id), on=timezone.localdate()
    ):
        raise CoreError.PERMISSION_DENIED.error()
    _validate_fields(
        title=title,
        retention_years=retention_years,
        amount=amount,
        consult_departments=consult_departments,
        department_id=department_id,
        errors=missing,
    )
    if department_id is None:
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
            department_id=department_id,
            payload=payload or {},
            corrects=corrects,
        )
        document.consult_departments.set(consult_departments)
        grant_view(document, [drafter.pk])
        audit_append(
            document=document,
            action=Action.CREATE,
            actor=drafter,
            data={
                "kind": kind,
                "title": document.title,
                "amount": amount,
                "retention_years": retention_years,
                "corrects": corrects.pk if corrects else None,
            },
        )
    return document


def document_update(
    *, document: Document, actor: Employee, consult_departments: Iterable[Department] | None = None, **changes
) -> Document:
    """修正: the drafter edits a draft or returned 起案文書 (title, body, category, amount, retention_years,
    consult departments). Other kinds change through their own application (409 `kind_not_editable`)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise CoreError.INVALID.error(errors=[CoreError.READ_ONLY.field(name) for name in sorted(unknown)])
    with document_action(document=document, actor=actor, action=Action.UPDATE) as acting:
        document = acting.document
        if document.kind != DocumentKind.GENERAL:
            raise ApprovalsError.KIND_NOT_EDITABLE.error()
        merged = {name: changes.get(name, getattr(document, name)) for name in EDITABLE_FIELDS}
        consult = list(consult_departments) if consult_departments is not None else None
        _validate_fields(
            title=merged["title"],
            retention_years=merged["retention_years"],
            amount=merged["amount"],
            consult_departments=consult,
            department_id=document.department_id,
        )
        for name, value in changes.items():
            setattr(document, name, value.strip() if name == "title" else value)
        document.save()
        if consult is not None:
            document.consult_departments.set(consult)
        audit_append(
            document=document,
            action=Action.UPDATE,
            actor=actor,
            data={"fields": sorted(changes) + (["consult_departments"] if consult is not None else [])},
        )
    return document


def document_revise(
    *, document: Document, actor: Employee, title: str, body: str, payload: dict, comment: str = ""
) -> Document:
    """修正 of an application's document (not 起案文書) by its app, after the app re-checked its own rules and
    changed the application in the same transaction: the title, body and payload now say what the application
    does. Only the drafter, only while a draft or returned to them (409 otherwise); audited with the content."""
    with document_action(document=document, actor=actor, action=Action.UPDATE) as acting:
        document = acting.document
        if document.kind == DocumentKind.GENERAL:
            raise ApprovalsError.INVALID_KIND.error(errors=[ApprovalsError.INVALID_KIND.field("kind")])
        _validate_fields(title=title, retention_years=document.retention_years, amount=document.amount)
        changed = [
            name
            for name, value in (("title", title.strip()), ("body", body), ("payload", payload))
            if getattr(document, name) != value
        ]
        document.title, document.body, document.payload = title.strip(), body, payload
        document.save(update_fields=["title", "body", "payload", "updated_at"])
        audit_append(
            document=document, action=Action.UPDATE, actor=actor, comment=comment, data={"fields": changed}
        )
    return document
