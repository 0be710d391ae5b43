"""Shapes of the record endpoints: attachments, the audit trail and the chain status."""

from rest_framework import serializers

from approvals.models_record import Attachment


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True, use_url=False)


class AttachmentSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.IntegerField(source="uploaded_by_id", read_only=True)

    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "sha256", "content_type", "uploaded_by", "uploaded_at"]
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
    (so a change to an earlier event of any document counts), and no later event is missing up to the head
    (so deleting this document's last events counts too); `broken_seq` and `reason` name the first broken
    link otherwise. The outcome is cached for a minute per chain position; `verify_audit` walks afresh."""

    valid = serializers.BooleanField()
    broken_seq = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField(allow_null=True)
    events = AuditEventSerializer(many=True)


class ChainStatusSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    checked = serializers.IntegerField()
    broken_seq = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField(allow_null=True)
    head_seq = serializers.IntegerField()
    head_hash = serializers.CharField()
