"""決裁の操作 (every write of approvals), split by concern; import them from here: `approvals.services.document_approve`.

- `documents`: create (起案) and update (修正) a draft;
- `submission`: submit (回議) and resubmit (再回議), the route built from the kind's rule, its progress to the
  final decision (決裁), route rule publication;
- `decisions`: approve (承認/決裁, 代決 with its 後閲), reject (否決), acknowledge (確認), comment (意見);
- `returns`: return (差戻し) and withdraw (引上げ);
- `numbering`: the gapless 文書番号 and the disposal date (廃棄予定日);
- `delegations`: 委任, its rules and its revocation;
- `reminders`: 督促・エスカレーション and 後閲 reminders;
- `posts`: 処理者の変更 by an administrator or a 文書主任, and the waiting steps that follow a post on a 人事異動;
- `bulk`: 一括承認, each document in its own transaction.

Every action on a document opens with `_action.document_action`: one transaction that locks the document row
first, checks visibility, the actor's right and the state, runs the kind's handler where the action decides,
writes the notifications and batches its audit events, so the audit chain head is its last lock (the order is
in `approvals.lock_objects`). A service of another app that locks rows and then calls these services opens its
own `audit_batch()` around all of it. Notifications are delivered after the commit.
"""

from approvals.services.bulk import BulkApproval, documents_bulk_approve
from approvals.services.decisions import (
    document_acknowledge,
    document_approve,
    document_comment,
    document_reject,
)
from approvals.services.delegations import delegation_check, delegation_create, delegation_revoke
from approvals.services.documents import document_create, document_revise, document_update
from approvals.services.numbering import disposal_date
from approvals.services.posts import on_transfer, step_reassign
from approvals.services.reminders import approval_reminders_send, post_review_reminders_send
from approvals.services.returns import document_return, document_withdraw
from approvals.services.submission import (
    document_resubmit,
    document_submit,
    route_rule_publish,
    route_specs_for,
)

__all__ = [
    "BulkApproval",
    "approval_reminders_send",
    "delegation_check",
    "delegation_create",
    "delegation_revoke",
    "disposal_date",
    "document_acknowledge",
    "document_approve",
    "document_comment",
    "document_create",
    "document_reject",
    "document_resubmit",
    "document_return",
    "document_revise",
    "document_submit",
    "document_update",
    "document_withdraw",
    "documents_bulk_approve",
    "on_transfer",
    "post_review_reminders_send",
    "route_rule_publish",
    "route_specs_for",
    "step_reassign",
]
