"""Routes of the record: attachments, the audit trail and chain, the print page (included by urls.py)."""

from django.urls import path

from api.approvals import views_record

urlpatterns = [
    path(
        "documents/<int:document_id>/attachments/",
        views_record.DocumentAttachmentsView.as_view(),
        name="approvals-document-attachments",
    ),
    path(
        "documents/<int:document_id>/attachments/<int:attachment_id>/",
        views_record.AttachmentDetailView.as_view(),
        name="approvals-attachment-detail",
    ),
    path(
        "documents/<int:document_id>/audit/",
        views_record.DocumentAuditView.as_view(),
        name="approvals-document-audit",
    ),
    path(
        "documents/<int:document_id>/print/",
        views_record.DocumentPrintView.as_view(),
        name="approvals-document-print",
    ),
    path("audit/", views_record.AuditChainView.as_view(), name="approvals-audit-chain"),
]
