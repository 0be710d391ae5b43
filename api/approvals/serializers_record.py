"""Shapes of the record endpoints: attachments, the audit trail and the chain status."""

from api.core import serializers
from approvals.models_record import Attachment


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True, use_url=False)


class AttachmentSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.IntegerField(source="uploaded_by_id", read_only=True)

    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "sha256", "content_type", "purpose", "uploaded_by", "uploaded_at"]
        read_only_fields = fields


class AuditEventSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    action = serializers.CharField()
    actor = serializers.IntegerField(source="actor_id", allow_null=True)
    actor_name = serializers.SerializerMethodField()
    on_behalf_of = serializers.IntegerField(source="on_behalf_of_id", allow_null=True)
    comment = serializers.CharField()
    data = serializers.JSONField()
    at = serializers.DateTimeField()
    hash = serializers.CharField()
    prev_hash = serializers.CharField()

    def get_actor_name(self, event) -> str | None:
        return event.actor.name if event.actor_id else None


class DocumentAuditSerializer(serializers.Serializer):
    """`valid`: every link of the global chain holds from the genesis through this document's last event
    (so a change to an earlier event of any document counts), no later event is missing up to the head
    (so deleting this document's last events counts too), and the document's rows still have the content its
    latest events carry (`data.content`, recomputed on every request); `broken_seq` and `reason`
    (`hash_mismatch`, `prev_mismatch`, `seq_gap`, `head_mismatch`, `content_mismatch`) name the first broken
    link otherwise. The walk of the links is cached per chain position (any write moves the head)."""

    valid = serializers.BooleanField()
    broken_seq = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField(allow_null=True)
    document = serializers.IntegerField(allow_null=True, help_text="the document of a `content_mismatch`")
    events = AuditEventSerializer(many=True)


class ChainStatusSerializer(serializers.Serializer):
    """The whole chain: `reason` is `hash_mismatch`, `prev_mismatch`, `seq_gap`, `head_mismatch`,
    `empty_chain` (no event while documents exist) or `content_mismatch` (`document` names the document whose
    rows no longer match its events)."""

    valid = serializers.BooleanField()
    checked = serializers.IntegerField()
    broken_seq = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField(allow_null=True)
    document = serializers.IntegerField(allow_null=True)
    head_seq = serializers.IntegerField()
    head_hash = serializers.CharField()
