"""起案 `/approvals/new/`: a 起案文書 drafted, edited while a draft or returned, submitted (回議) or resubmitted,
withdrawn (引上げ), and its attachments; through the approvals services the API calls."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from approvals import services
from approvals.attachments import attachment_add
from approvals.models import DocumentKind, DocumentStatus
from portal.approvals.forms import AttachmentForm, DraftForm
from portal.approvals.views import render_document, visible_document
from portal.decorators import page
from portal.forms import run_action, run_service


@page
@require_http_methods(["GET", "POST"])
def draft_new(request):
    """GET|POST /approvals/new/: 起案; the new draft's page follows, where files are attached and it is submitted."""
    form = DraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        document = run_service(
            form,
            services.document_create,
            kind=DocumentKind.GENERAL,
            drafter=request.user,
            **form.service_fields(),
        )
        if document is not None:
            messages.success(request, _("起案しました。添付ファイルを付けて回議してください。"))
            return redirect("portal:approvals:document", document_id=document.pk)
    return render(
        request, "portal/approvals/draft.html", {"form": form, "document": None}, status=form.error_status
    )


@page
@require_http_methods(["GET", "POST"])
def draft_edit(request, document_id: int):
    """GET|POST /approvals/documents/<id>/edit/: 修正 by the drafter (the service refuses anyone else or a
    document past its draft)."""
    document = visible_document(user=request.user, document_id=document_id)
    form = DraftForm(request.POST or None, initial=DraftForm.initial_of(document))
    if request.method == "POST" and form.is_valid():
        updated = run_service(
            form, services.document_update, document=document, actor=request.user, **form.service_fields()
        )
        if updated is not None:
            messages.success(request, _("修正しました。"))
            return redirect("portal:approvals:document", document_id=document.pk)
    return render(
        request, "portal/approvals/draft.html", {"form": form, "document": document}, status=form.error_status
    )


@page
@require_POST
def submit(request, document_id: int):
    """POST /approvals/documents/<id>/submit/: 回議 of a draft, 再回議 of a returned document (a refusal, e.g. a
    vacant post on the route, is shown as a message on the document's page)."""
    document = visible_document(user=request.user, document_id=document_id)
    resubmit = document.status == DocumentStatus.RETURNED
    service = services.document_resubmit if resubmit else services.document_submit
    if run_action(request, service, document=document, actor=request.user):
        messages.success(request, _("回議しました。"))
    return redirect("portal:approvals:document", document_id=document.pk)


@page
@require_POST
def withdraw(request, document_id: int):
    """POST /approvals/documents/<id>/withdraw/: 引上げ by the drafter before the final decision."""
    document = visible_document(user=request.user, document_id=document_id)
    if run_action(request, services.document_withdraw, document=document, actor=request.user):
        messages.success(request, _("引き上げました。"))
    return redirect("portal:approvals:document", document_id=document.pk)


@page
@require_POST
def attachment_upload(request, document_id: int):
    """POST /approvals/documents/<id>/attachments/: a file attached (size, type and frozen content are the
    service's rules; its refusal is shown next to the file field)."""
    document = visible_document(user=request.user, document_id=document_id)
    form = AttachmentForm(request.POST, request.FILES)
    if (
        form.is_valid()
        and run_service(
            form,
            attachment_add,
            fields={"file": "file"},
            document=document,
            actor=request.user,
            uploaded_file=form.cleaned_data["file"],
        )
        is not None
    ):
        messages.success(request, _("ファイルを添付しました。"))
        return redirect("portal:approvals:document", document_id=document.pk)
    return render_document(request, document_id, status=form.error_status, attachment_form=form)
