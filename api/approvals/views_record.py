"""HTTP of the record: attachments (upload, list, download, remove), the audit trail, the print page."""

from django.http import FileResponse, HttpResponse, HttpResponseNotModified
from django.template.loader import render_to_string
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from api.approvals.serializers_record import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    ChainStatusSerializer,
    DocumentAuditSerializer,
)
from api.core.idempotency import idempotent
from api.core.parsers import FormParser, MultiPartParser
from api.core.permissions import has_role
from api.core.schema import error_codes
from approvals.attachments import (
    attachment_add,
    attachment_for_document,
    attachment_remove,
    document_attachments,
)
from approvals.audit import document_audit, verify_chain
from approvals.codes import ApprovalsError
from approvals.printing import document_print_sheet
from approvals.selectors import document_for_user
from core.errors import CoreError


class FirstRendererNegotiation(BaseContentNegotiation):
    """Downloads and the print page answer with their own type whatever `Accept` says; errors stay JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class DocumentAttachmentsView(APIView):
    """添付ファイル一覧・追加."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses=AttachmentSerializer(many=True))
    @error_codes(ApprovalsError.DOCUMENT_NOT_FOUND)
    def get(self, request, document_id: int):
        document = document_for_user(document_id=document_id, user=request.user)
        return Response(AttachmentSerializer(document_attachments(document=document), many=True).data)

    @extend_schema(
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={
            201: AttachmentSerializer,
            409: OpenApiResponse(
                description="The drafter's attachments are frozen from circulation until a return "
                "(`attachments_frozen`), everyone's once decided (`already_decided`)."
            ),
            422: OpenApiResponse(description="`file_too_large`, `file_empty` or `content_type_not_allowed`."),
        },
        description="The drafter (or HR for the kinds whose policy names it) attaches to a draft or a returned "
        "document (`purpose: document`); while in review, whoever may decide a waiting step adds a reference "
        "(`purpose: reference`, 参考資料).",
    )
    @error_codes(
        ApprovalsError.DOCUMENT_NOT_FOUND,
        ApprovalsError.ATTACHMENTS_FROZEN,
        ApprovalsError.ALREADY_DECIDED,
        ApprovalsError.FILE_TOO_LARGE,
        ApprovalsError.FILE_EMPTY,
        ApprovalsError.CONTENT_TYPE_NOT_ALLOWED,
        fields=(
            ApprovalsError.FILE_TOO_LARGE,
            ApprovalsError.FILE_EMPTY,
            ApprovalsError.CONTENT_TYPE_NOT_ALLOWED,
        ),
    )
    @error_codes(
        ApprovalsError.DOCUMENT_NOT_FOUND,
        ApprovalsError.ALREADY_DECIDED,
        ApprovalsError.FILE_TOO_LARGE,
        ApprovalsError.FILE_EMPTY,
        ApprovalsError.CONTENT_TYPE_NOT_ALLOWED,
    )
    @idempotent
    def post(self, request, document_id: int):
        serializer = AttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = document_for_user(document_id=document_id, user=request.user)
        attachment = attachment_add(
            document=document, actor=request.user, uploaded_file=serializer.validated_data["file"]
        )
        return Response(AttachmentSerializer(attachment).data, status=201)


class AttachmentDetailView(APIView):
    """添付ファイルのダウンロード・削除."""

    content_negotiation_class = FirstRendererNegotiation

    @extend_schema(
        description="Downloads the file (`Content-Disposition` with an RFC 5987 `filename*`); `ETag` and "
        "`X-Content-SHA256` carry its SHA-256, `If-None-Match` with it answers 304.",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 304: None},
    )
    @error_codes(ApprovalsError.DOCUMENT_NOT_FOUND)
    def get(self, request, document_id: int, attachment_id: int):
        document = document_for_user(document_id=document_id, user=request.user)
        attachment = attachment_for_document(document=document, attachment_id=attachment_id)
        etag = f'"{attachment.sha256}"'
        if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
            response = HttpResponseNotModified()
        else:
            response = FileResponse(
                attachment.file.open("rb"),
                as_attachment=True,
                filename=attachment.name,
                content_type=attachment.content_type,
            )
            response["Content-Length"] = str(attachment.size)
        response["ETag"] = etag
        response["X-Content-SHA256"] = attachment.sha256
        response["Cache-Control"] = "private, no-cache"
        return response

    @extend_schema(
        responses={
            204: None,
            409: OpenApiResponse(
                description="A draft's attachment after circulation (`attachments_frozen`), a reference after "
                "its uploader decided, or anything once decided (`already_decided`)."
            ),
        },
        description="Only the uploader removes an attachment (403 `not_attachment_owner`).",
    )
    @error_codes(
        ApprovalsError.DOCUMENT_NOT_FOUND,
        CoreError.NOT_FOUND,
        ApprovalsError.NOT_ATTACHMENT_OWNER,
        ApprovalsError.ATTACHMENTS_FROZEN,
        ApprovalsError.ALREADY_DECIDED,
    )
    @error_codes(ApprovalsError.DOCUMENT_NOT_FOUND, ApprovalsError.ALREADY_DECIDED)
    def delete(self, request, document_id: int, attachment_id: int):
        document = document_for_user(document_id=document_id, user=request.user)
        attachment = attachment_for_document(document=document, attachment_id=attachment_id)
        attachment_remove(attachment=attachment, actor=request.user)
        return Response(status=204)


class DocumentAuditView(APIView):
    """監査証跡: the document's events and whether the chain holds through them."""

    @extend_schema(responses=DocumentAuditSerializer)
    @error_codes(ApprovalsError.DOCUMENT_NOT_FOUND)
    def get(self, request, document_id: int):
        document = document_for_user(document_id=document_id, user=request.user)
        status, events = document_audit(document=document)
        body = {
            "valid": status.valid,
            "broken_seq": status.broken_seq,
            "reason": status.reason,
            "document": status.document,
            "events": events,
        }
        return Response(DocumentAuditSerializer(body).data)


class AuditChainView(APIView):
    """監査チェーンの検証 (admin): the whole chain, the first broken link and the head."""

    permission_classes = [has_role("admin")]

    @extend_schema(responses=ChainStatusSerializer)
    @error_codes()
    def get(self, request):
        return Response(ChainStatusSerializer(verify_chain()).data)


class DocumentPrintView(APIView):
    """印刷用ページ: the document with its 決裁欄 as a printable A4 HTML page."""

    content_negotiation_class = FirstRendererNegotiation

    @extend_schema(responses={(200, "text/html"): OpenApiTypes.STR})
    @error_codes(ApprovalsError.DOCUMENT_NOT_FOUND)
    def get(self, request, document_id: int):
        sheet = document_print_sheet(document_id=document_id, user=request.user)
        html = render_to_string(
            "approvals/print.html",
            {
                "sheet": sheet,
                "doc": sheet.document,
                "printed_at": timezone.now(),
                "printed_by": request.user,
            },
            request=request,
        )
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
        response["Cache-Control"] = "private, no-store"
        return response
