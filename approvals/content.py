"""文書の内容のハッシュ: what approvers see of a document, reduced to one SHA-256 that every audit event of the
document carries (`data["content"]`), so the chain proves the content as well as the actions.

The content is the kind, title, body, amount, category, retention, the consult departments (codes, sorted),
the attachments' SHA-256 (sorted) and the kind's payload, encoded as JSON with sorted keys and no whitespace.
"""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder

CONTENT_KEY = "content"


def content_digest(values: dict) -> str:
    """SHA-256 (hex) of the canonical encoding of content values (pure)."""
    encoded = json.dumps(
        values, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder
    )
    return hashlib.sha256(encoded.encode()).hexdigest()


def content_values(*, document, consult_codes: list[str], attachment_hashes: list[str]) -> dict:
    """The content values of a document whose related rows were read by the caller (pure)."""
    return {
        "kind": document.kind,
        "title": document.title,
        "body": document.body,
        "amount": document.amount,
        "category": document.category,
        "retention_years": document.retention_years,
        "consult_departments": sorted(consult_codes),
        "attachments": sorted(attachment_hashes),
        "payload": document.payload,
    }


def document_content_hash(document) -> str:
    """The hash of the document as its rows stand now (two queries: consult departments, attachments)."""
    from approvals.models_record import Attachment

    consult = list(document.consult_departments.values_list("code", flat=True))
    hashes = list(Attachment.objects.filter(document_id=document.pk).values_list("sha256", flat=True))
    return content_digest(content_values(document=document, consult_codes=consult, attachment_hashes=hashes))


def prefetched_content_hash(document) -> str:
    """The same from `consult_departments` and `attachments` prefetched on the document (no query)."""
    consult = [department.code for department in document.consult_departments.all()]
    hashes = [attachment.sha256 for attachment in document.attachments.all()]
    return content_digest(content_values(document=document, consult_codes=consult, attachment_hashes=hashes))


def first_of_last_content(events: list[tuple[int, dict]]) -> tuple[int, str] | None:
    """Of a document's events [(seq, data)] in chain order, the content hash the latest ones claim and the seq
    of the first event of that run (since the last change of content); None when no event carries one."""
    claimed: str | None = None
    since: int | None = None
    for seq, data in events:
        digest = (data or {}).get(CONTENT_KEY)
        if digest is None:
            continue
        if digest != claimed:
            claimed, since = digest, seq
    return (since, claimed) if claimed is not None else None
