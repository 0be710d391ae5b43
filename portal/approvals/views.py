"""決裁 `/approvals/`: the inbox of every kind (approve, reject, send back, bulk approve, 後閲 and 供覧 to
acknowledge) and a document's page with its route, its 決裁欄, the rule check and the actions the person may
take. Every read and write is the approvals selectors' and services' (the API's)."""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from approvals import selectors, services
from approvals.models import DocumentKind, DocumentStatus, StepKind
from approvals.printing import document_print_sheet
from attendance import selectors as attendance_selectors
from portal.approvals.forms import (
    APPROVE,
    REJECT,
    AcknowledgeForm,
    AttachmentForm,
    BulkApproveForm,
    DecisionForm,
    code_message,
)
from portal.approvals.items import asked_events, describe, kind_label
from portal.decorators import page
from portal.forms import run_lookup, run_service
from telework import rules
from telework import selectors as telework_selectors
from telework.models import RequestStatus

MY_DOCUMENTS = 20
# Items of the inbox a page shows, as the API's page: a busy 課長's 600 items stay a page a phone renders at once.
INBOX_PAGE_SIZE = 50
ACKNOWLEDGED_KINDS = (StepKind.CIRCULATE, StepKind.POST_REVIEW)


def visible_document(*, user, document_id: int):
    """The document if the person may see it; a 404 page otherwise (its existence is not revealed)."""
    return run_lookup(selectors.document_for_user, document_id=document_id, user=user)


def _inbox_context(request, *, bulk_form: BulkApproveForm | None = None) -> dict:
    inbox_page = Paginator(selectors.inbox_for(user=request.user), INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    items = describe(list(inbox_page.object_list))
    bulk_ids = [
        item.document.pk
        for item in items
        if item.bulk_approvable and item.row.step.kind not in ACKNOWLEDGED_KINDS
    ]
    checked = {int(pk) for pk in bulk_form.data.getlist("documents") if pk.isdigit()} if bulk_form else set()
    return {
        "checked": checked,
        "items": items,
        "inbox_page": inbox_page,
        "reviews": describe(list(selectors.post_reviews_for(user=request.user))),
        "bulk_ids": bulk_ids,
        "bulk_form": bulk_form or BulkApproveForm(),
        "mine": list(selectors.documents_visible_to(user=request.user, mine=True)[:MY_DOCUMENTS]),
        "acknowledged_kinds": ACKNOWLEDGED_KINDS,
    }


@page
@require_GET
def inbox(request):
    """GET /approvals/: what waits for the person's decision now, the 後閲 to acknowledge, their own documents."""
    return render(request, "portal/approvals/inbox.html", _inbox_context(request))


@page
@require_GET
def post_reviews(request):
    """GET /approvals/post-reviews/: the 後閲 to acknowledge are a section of the inbox."""
    return redirect(f"{reverse('portal:approvals:inbox')}#reviews-heading")


@page
@require_POST
def bulk_approve(request):
    """POST /approvals/bulk/: 一括承認 of the ticked documents, each in its own transaction (the API's service)."""
    form = BulkApproveForm(request.POST)
    if not form.is_valid():
        context = _inbox_context(request, bulk_form=form)
        return render(request, "portal/approvals/inbox.html", context, status=form.error_status)
    result = services.documents_bulk_approve(
        actor=request.user, document_ids=form.cleaned_data["documents"], comment=form.cleaned_data["comment"]
    )
    if result.approved:
        count = len(result.approved)
        messages.success(
            request,
            ngettext("%(count)d件を承認しました。", "%(count)d件を承認しました。", count) % {"count": count},
        )
    for document_id, code in result.failed:
        messages.error(
            request,
            _("文書 %(id)s は承認できませんでした: %(reason)s")
            % {"id": document_id, "reason": code_message(code)},
        )
    return redirect("portal:approvals:inbox")


def _warns(document) -> bool:
    """Whether the approver of this document may have warnings to acknowledge (a telework request's soft rules)."""
    return document.kind == DocumentKind.TELEWORK


def _telework_check(request, document) -> dict | None:
    """The rule check as of now of a submitted telework request, for anyone but the applicant (as the API's)."""
    if document.kind != DocumentKind.TELEWORK or document.drafter_id == request.user.pk:
        return None
    telework = telework_selectors.request_queryset().filter(document=document).first()
    if telework is None:
        return {"request": None}
    check = None
    if telework.status == RequestStatus.SUBMITTED:
        violations = telework_selectors.request_check(telework)
        language = request.LANGUAGE_CODE
        check = {
            "ok": not rules.hard(violations),
            "violations": [v.message(language) for v in rules.hard(violations)],
            "warnings": [v.message(language) for v in rules.soft(violations)],
        }
    return {"request": telework, "check": check}


def _correction_day(document):
    """The day a correction is about, its figures as they stand, and the events asked for."""
    if document.kind != DocumentKind.ATTENDANCE_CORRECTION or not document.payload.get("date"):
        return None
    on = date.fromisoformat(document.payload["date"])
    summaries = attendance_selectors.day_summaries_of(pairs=[(document.drafter_id, on)])
    return {
        "date": on,
        "day": summaries.get((document.drafter_id, on)),
        "events": asked_events(document.payload.get("events", [])),
    }


def document_context(request, document_id: int, **forms) -> dict:
    """What the document's page shows: the 決裁欄 (the print sheet), the person's waiting row and the forms of
    the actions they may take."""
    sheet = run_lookup(document_print_sheet, document_id=document_id, user=request.user)
    document = sheet.document
    row = selectors.inbox_for(user=request.user).filter(step__document=document).first()
    review = selectors.post_reviews_for(user=request.user).filter(step__document=document).first()
    acknowledging = review or (row if row is not None and row.step.kind in ACKNOWLEDGED_KINDS else None)
    deciding = row if row is not None and acknowledging is None else None
    is_drafter = document.drafter_id == request.user.pk
    editable = (
        is_drafter
        and document.kind == DocumentKind.GENERAL
        and document.status in (DocumentStatus.DRAFT, DocumentStatus.RETURNED)
    )
    return {
        "sheet": sheet,
        "document": document,
        "kind_label": kind_label(document.kind),
        "row": deciding,
        "acknowledging": acknowledging,
        "decision_form": forms.get("decision_form")
        or (DecisionForm(initial={"decision": APPROVE}, warnings=_warns(document)) if deciding else None),
        "acknowledge_form": forms.get("acknowledge_form") or (AcknowledgeForm() if acknowledging else None),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(),
        "editable": editable,
        "can_withdraw": is_drafter and document.status == DocumentStatus.IN_REVIEW,
        "can_attach": editable or deciding is not None,
        "telework": _telework_check(request, document),
        "correction": _correction_day(document),
        "print_url": reverse("approvals-document-print", args=[document.pk]),
    }


def render_document(request, document_id: int, *, status: int = 200, **forms):
    return render(
        request,
        "portal/approvals/document.html",
        document_context(request, document_id, **forms),
        status=status,
    )


@page
@require_GET
def document(request, document_id: int):
    """GET /approvals/documents/<id>/: the document, its route and 決裁欄, what the person may do; 404 when they
    may not see it."""
    return render_document(request, document_id)


DECISIONS = {
    APPROVE: (services.document_approve, _("承認しました。")),
    REJECT: (services.document_reject, _("否決しました。")),
    "return": (services.document_return, _("差し戻しました。")),
}


@page
@require_POST
def decide(request, document_id: int):
    """POST /approvals/documents/<id>/decide/: 承認・否決・差戻し with a comment; the refusal of the service (not
    your turn, a telework rule broken, warnings to acknowledge) is shown on the document's page."""
    document = visible_document(user=request.user, document_id=document_id)
    form = DecisionForm(request.POST, warnings=_warns(document))
    if form.is_valid():
        decision = form.cleaned_data["decision"]
        service, done = DECISIONS[decision]
        kwargs = {"document": document, "actor": request.user, "comment": form.cleaned_data["comment"]}
        if decision == APPROVE:
            kwargs["acknowledge_warnings"] = form.cleaned_data.get("acknowledge_warnings", False)
        if run_service(form, service, **kwargs) is not None:
            messages.success(request, f"{document.title}: {done}")
            return redirect("portal:approvals:inbox")
    return render_document(request, document_id, status=form.error_status, decision_form=form)


@page
@require_POST
def acknowledge(request, document_id: int):
    """POST /approvals/documents/<id>/acknowledge/: 確認 of a 後閲 (a decision a deputy took) or a 供覧."""
    document = visible_document(user=request.user, document_id=document_id)
    form = AcknowledgeForm(request.POST)
    if (
        form.is_valid()
        and run_service(
            form,
            services.document_acknowledge,
            document=document,
            actor=request.user,
            comment=form.cleaned_data["comment"],
        )
        is not None
    ):
        messages.success(request, _("%(title)s: 確認しました。") % {"title": document.title})
        return redirect("portal:approvals:inbox")
    return render_document(request, document_id, status=form.error_status, acknowledge_form=form)
