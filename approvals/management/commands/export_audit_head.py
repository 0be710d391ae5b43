"""manage.py export_audit_head: print the audit chain's head so it can be kept off the server."""

import json

from django.core.management.base import BaseCommand

from approvals.audit import chain_head


class Command(BaseCommand):
    help = "監査チェーンの先頭を出力する: print the current head (seq and hash) of the audit chain."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args, format="json", **options):
        head = chain_head()
        if format == "text":
            self.stdout.write(f"{head['seq']}:{head['hash']}")
        else:
            self.stdout.write(json.dumps(head, sort_keys=True))
