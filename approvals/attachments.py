"""添付ファイル: add and remove a document's attachments (size and type limits, SHA-256, audited).

Attachments may change only until the decision; afterwards they are part of the record (409).
"""

import hashlib
import mimetypes
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from approvals import lock_objects
from approvals.audit import audit_append
from approvals.codes import ApprovalsError
from approvals.models import Document, StepApprover, StepStatus
from approvals.models_record import Attachment
from approvals.selectors import acting_rows, principals_of
from core.errors import CoreError

ATTACHMENT_ADDED = "attachment_added"
ATTACHMENT_REMOVED = "attachment_removed"

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
SNIFFED_TYPES = frozenset({PDF, PNG, JPEG})
ZIP_TYPES = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/zip",
    }
)
TEXT_TYPES = frozenset({"text/csv", "text/plain"})

_MAGIC = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))


def sniff_content_type(*, head: bytes, declared: str, name: str) -> str | None:
    """The content type of a file from its first bytes; None when the bytes contradict the claim.

    PDF, PNG and JPEG are recognised from their bytes whatever the client says. Otherwise the type the
    client declared (or, failing that, the one the file name suggests) is taken if the bytes fit it:
    a ZIP container for Office files, text without NUL bytes for CSV and plain text.
    """
    for magic, content_type in _MAGIC:
        if head.startswith(magic):
            return content_type
    claimed = (declared or "").split(";")[0].strip().lower()
    if not claimed or claimed == "application/octet-stream":
        claimed = (mimetypes.guess_type(name)[0] or "application/octet-stream").lower()
    if claimed in SNIFFED_TYPES:
        return None
    if claimed in ZIP_TYPES:
        return claimed if head.startswith(b"PK\x03\x04") else None
    if claimed in TEXT_TYPES or claimed.startswith("text/"):
        return claimed if b"\x00" not in head else None
    return claimed


@dataclass(frozen=True)
class _Digest:
    size: int
    sha256: str
    head: bytes


def _digest(uploaded_file) -> _Digest:
    sha, size, head = hashlib.sha256(), 0, b""
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        if len(head) < 4096:
            head += chunk[: 4096 - len(head)]
        sha.update(chunk)
        size += len(chunk)
    uploaded_file.seek(0)
    return _Digest(size=size, sha256=sha.hexdigest(), head=head)


def _clean_name(name: str) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    base = "".join(ch for ch in base if ch >= " " and ch != "\x7f")
    return base[:255] or "attachment"


def _may_attach(*, document: Document, actor) -> bool:
    """The drafter, or whoever may decide a step now waiting (the approver, their delegate or deputy)."""
    if document.drafter_id == actor.pk:
        return True
    waiting = StepApprover.objects.filter(step__document=document, step__status=StepStatus.WAITING)
    if waiting.filter(approver=actor).exists():
        return True
    return bool(acting_rows(user=actor, document=document, principals=principals_of(user=actor)))


def attachment_add(*, document: Document, actor, uploaded_file) -> Attachment:
    """添付ファイルを追加する. The caller has already checked that `actor` may see the document.

    Raises RuleViolation (422) for a file too large or of a type not allowed, PermissionDenied (403) for
    someone who may not attach, Conflict (409) once the document is decided.
    """
    name = _clean_name(getattr(uploaded_file, "name", ""))
    digest = _digest(uploaded_file)
    max_bytes = settings.APPROVAL_ATTACHMENT_MAX_BYTES
    if digest.size > max_bytes:
        limit = _("ファイルの上限は {max_bytes} バイトです。").format(max_bytes=max_bytes)
        raise ApprovalsError.FILE_TOO_LARGE.error(
            errors=[ApprovalsError.FILE_TOO_LARGE.field("file", limit, max_bytes=max_bytes, size=digest.size)]
        )
    if digest.size == 0:
        raise ApprovalsError.FILE_EMPTY.error(errors=[ApprovalsError.FILE_EMPTY.field("file")])
    content_type = sniff_content_type(
        head=digest.head, declared=getattr(uploaded_file, "content_type", "") or "", name=name
    )
    allowed = {item.lower() for item in settings.APPROVAL_ATTACHMENT_CONTENT_TYPES}
    if content_type is None or content_type not in allowed:
        not_allowed = ApprovalsError.CONTENT_TYPE_NOT_ALLOWED
        raise not_allowed.error(
            errors=[not_allowed.field("file", content_type=content_type or "", allowed=sorted(allowed))]
        )
    stored_name = None
    try:
        with transaction.atomic():
            document = lock_objects.document_for_update(pk=document.pk)
            if not _may_attach(document=document, actor=actor):
                raise CoreError.PERMISSION_DENIED.error(_("この文書にファイルを添付する権限がありません。"))
            if document.is_decided:
                raise ApprovalsError.ALREADY_DECIDED.error(_("決裁後の文書の添付ファイルは変更できません。"))
            attachment = Attachment(
                document=document,
                name=name,
                size=digest.size,
                content_type=content_type,
                sha256=digest.sha256,
                uploaded_by=actor,
            )
            attachment.file.save(name, uploaded_file, save=False)
            stored_name = attachment.file.name
            attachment.save()
            audit_append(
                document=document,
                action=ATTACHMENT_ADDED,
                actor=actor,
                data={
                    "attachment": attachment.pk,
                    "name": name,
                    "size": digest.size,
                    "content_type": content_type,
                    "sha256": digest.sha256,
                },
            )
    except BaseException:
        if stored_name:
            default_storage.delete(stored_name)
        raise
    return attachment


def attachment_remove(*, attachment: Attachment, actor) -> None:
    """添付ファイルを削除する: by its uploader or the drafter, before the decision. The audit keeps its hash."""
    with transaction.atomic():
        document = lock_objects.document_for_update(pk=attachment.document_id)
        attachment = Attachment.objects.filter(pk=attachment.pk, document=document).first()
        if attachment is None:
            raise CoreError.NOT_FOUND.error()
        if actor.pk not in {attachment.uploaded_by_id, document.drafter_id}:
            raise CoreError.PERMISSION_DENIED.error(_("この添付ファイルを削除する権限がありません。"))
        if document.is_decided:
            raise ApprovalsError.ALREADY_DECIDED.error(_("決裁後の文書の添付ファイルは変更できません。"))
        stored_name = attachment.file.name
        audit_append(
            document=document,
            action=ATTACHMENT_REMOVED,
            actor=actor,
            data={
                "attachment": attachment.pk,
                "name": attachment.name,
                "size": attachment.size,
                "sha256": attachment.sha256,
            },
        )
        attachment.delete()
        transaction.on_commit(lambda: default_storage.delete(stored_name))


def attachment_for_document(*, document: Document, attachment_id: int) -> Attachment:
    """An attachment of a document the caller may see (404 otherwise)."""
    attachment = Attachment.objects.filter(document=document, pk=attachment_id).first()
    if attachment is None:
        raise CoreError.NOT_FOUND.error()
    return attachment


def document_attachments(*, document: Document):
    return Attachment.objects.filter(document=document).select_related("uploaded_by")
