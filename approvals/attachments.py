"""添付ファイル: add and remove a document's attachments (size and type limits, SHA-256, audited).

What approvers decide is frozen: the drafter's attachments (and HR's, for the kinds whose policy names `hr`)
change only while the document is a draft or returned to the drafter (409 `attachments_frozen` once it is
circulated, 409 `already_decided` once decided). While it is in review, whoever may decide a waiting step
(the approver, their delegate or deputy) adds reference attachments (参考資料); only their uploader removes
one, before deciding their step. Nobody removes another person's attachment (403 `not_attachment_owner`).
"""

import hashlib
import mimetypes
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from approvals import lock_objects
from approvals.audit import audit_append, audit_batch
from approvals.codes import ApprovalsError
from approvals.models import Decision, Document, DocumentStatus, StepApprover, StepStatus
from approvals.models_record import Attachment, AttachmentPurpose
from approvals.selectors import acting_rows, principals_of
from approvals.services.numbering import kind_policy
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


EDITABLE_STATUSES = (DocumentStatus.DRAFT, DocumentStatus.RETURNED)


def _is_author(*, document: Document, actor) -> bool:
    """The drafter, or a holder of a role the kind's policy lets change its attachments (HR for its kinds)."""
    if document.drafter_id == actor.pk:
        return True
    policy = kind_policy(document.kind)
    return bool(policy and policy.handling_roles and actor.has_role(*policy.handling_roles))


def _pending_rows(*, document: Document, actor) -> list[StepApprover]:
    """The undecided rows of waiting steps the actor may decide now (as approver, delegate or deputy)."""
    waiting = StepApprover.objects.filter(
        step__document=document,
        step__round=document.round,
        step__status=StepStatus.WAITING,
        decision=Decision.PENDING,
    )
    own = list(waiting.filter(approver=actor))
    if own:
        return own
    return acting_rows(user=actor, document=document, principals=principals_of(user=actor))


def _purpose_for(*, document: Document, actor) -> str:
    """What the actor's upload is: the draft's attachment (before circulation) or an approver's reference
    (in review); raises 403 for someone with no part, 409 for a frozen or decided document."""
    if document.is_decided:
        raise ApprovalsError.ALREADY_DECIDED.error(_("決裁後の文書の添付ファイルは変更できません。"))
    if document.status in EDITABLE_STATUSES:
        if _is_author(document=document, actor=actor):
            return AttachmentPurpose.DOCUMENT
        raise CoreError.PERMISSION_DENIED.error(_("この文書にファイルを添付する権限がありません。"))
    if document.drafter_id != actor.pk and _pending_rows(document=document, actor=actor):
        return AttachmentPurpose.REFERENCE
    if _is_author(document=document, actor=actor):
        raise ApprovalsError.ATTACHMENTS_FROZEN.error()
    raise CoreError.PERMISSION_DENIED.error(_("この文書にファイルを添付する権限がありません。"))


def attachment_add(*, document: Document, actor, uploaded_file) -> Attachment:
    """添付ファイルを追加する. The caller has already checked that `actor` may see the document.

    Raises RuleViolation (422) for a file too large or of a type not allowed, PermissionDenied (403) for
    someone who may not attach, Conflict (409) once the document is circulated (the drafter's attachments)
    or decided.
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
        with transaction.atomic(), audit_batch():
            document = lock_objects.document_for_update(pk=document.pk)
            purpose = _purpose_for(document=document, actor=actor)
            attachment = Attachment(
                document=document,
                name=name,
                size=digest.size,
                content_type=content_type,
                sha256=digest.sha256,
                uploaded_by=actor,
                purpose=purpose,
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
                    "purpose": purpose,
                },
            )
    except BaseException:
        if stored_name:
            default_storage.delete(stored_name)
        raise
    return attachment


def attachment_remove(*, attachment: Attachment, actor) -> None:
    """添付ファイルを削除する: the uploader of a draft's attachment while the document is a draft or returned;
    the uploader of a reference while their own step still waits for them. The audit keeps its hash."""
    with transaction.atomic(), audit_batch():
        document = lock_objects.document_for_update(pk=attachment.document_id)
        attachment = Attachment.objects.filter(pk=attachment.pk, document=document).first()
        if attachment is None:
            raise CoreError.NOT_FOUND.error()
        if document.is_decided:
            raise ApprovalsError.ALREADY_DECIDED.error(_("決裁後の文書の添付ファイルは変更できません。"))
        if attachment.purpose == AttachmentPurpose.REFERENCE:
            if actor.pk != attachment.uploaded_by_id:
                raise ApprovalsError.NOT_ATTACHMENT_OWNER.error()
            if document.status != DocumentStatus.IN_REVIEW or not _pending_rows(
                document=document, actor=actor
            ):
                raise ApprovalsError.ALREADY_DECIDED.error(_("処理した後は参考資料を削除できません。"))
        else:
            if not _is_author(document=document, actor=actor):
                raise ApprovalsError.NOT_ATTACHMENT_OWNER.error()
            if document.status not in EDITABLE_STATUSES:
                raise ApprovalsError.ATTACHMENTS_FROZEN.error()
        stored_name = attachment.file.name
        removed = {
            "attachment": attachment.pk,
            "name": attachment.name,
            "size": attachment.size,
            "sha256": attachment.sha256,
            "purpose": attachment.purpose,
        }
        attachment.delete()
        audit_append(document=document, action=ATTACHMENT_REMOVED, actor=actor, data=removed)
        transaction.on_commit(lambda: default_storage.delete(stored_name))


def attachment_for_document(*, document: Document, attachment_id: int) -> Attachment:
    """An attachment of a document the caller may see (404 otherwise)."""
    attachment = Attachment.objects.filter(document=document, pk=attachment_id).first()
    if attachment is None:
        raise CoreError.NOT_FOUND.error()
    return attachment


def document_attachments(*, document: Document):
    return Attachment.objects.filter(document=document).select_related("uploaded_by")
