"""manage.py verify_audit: walk the audit chain and name the first broken link (non-zero exit if broken): a link,
the head, an empty chain while documents exist, or a document whose rows no longer have the content its events
carry."""

from django.core.management.base import BaseCommand, CommandError

from approvals.audit import verify_chain
from approvals.models_record import AuditEvent


class Command(BaseCommand):
    help = "監査チェーンを検証する: verify the audit hash chain and report the first broken link."

    def add_arguments(self, parser):
        parser.add_argument(
            "--head",
            metavar="SEQ:HASH",
            help="a head exported earlier (export_audit_head) that the chain must still contain",
        )
        parser.add_argument("--chunk-size", type=int, default=2000)

    def handle(self, *args, head=None, chunk_size=2000, **options):
        status = verify_chain(chunk_size=chunk_size)
        if not status.valid:
            document = f", document {status.document}" if status.document is not None else ""
            raise CommandError(
                f"BROKEN at seq {status.broken_seq}: {status.reason}{document} "
                f"({status.checked} events verified; head seq {status.head_seq})",
                returncode=1,
            )
        if head:
            seq_text, _, digest = head.partition(":")
            if not seq_text.isdigit() or len(digest) != 64:
                raise CommandError("--head must be SEQ:HASH as printed by export_audit_head", returncode=2)
            if not AuditEvent.objects.filter(seq=int(seq_text), hash=digest).exists():
                raise CommandError(
                    f"BROKEN at seq {int(seq_text)}: exported_head_mismatch "
                    "(the chain no longer contains the head kept outside the server)",
                    returncode=1,
                )
        self.stdout.write(f"OK: {status.checked} events, head seq {status.head_seq} hash {status.head_hash}")
