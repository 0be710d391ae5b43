"""Row locks: the one lock order of the whole town hall, and the helper that takes a set of rows in it.

Every app names its row locks in its `lock_objects.py` (small functions that `select_for_update()` in one place;
services call them and never lock inline). A transaction takes row locks only in this order, so no two
transactions ever wait for each other in a cycle (PostgreSQL would abort one with `deadlock detected`):

1. The filer's own rows, when a person files something (an application, a clock event, a PC log): their
   employee row FOR NO KEY UPDATE (`attendance.lock_objects.employee_lock`) before anything else; what the
   filing then creates (the new document and its rows) nobody else can hold yet.
2. Existing domain rows, app by app in the layering's order: org → notifications → approvals → leave →
   attendance → telework → rollout; within an app in the order its `lock_objects.py` docstring states.
   An approval decision is the approvals core's frame around the other apps: the document first, then the
   kind's rows that its handler locks, in their app's order (attendance: the correction or the month, then the
   employee FOR NO KEY UPDATE, which a filer may hold: step 1 of that filer's transaction, which never waits for
   this document; telework: the request, then the department days by date), then the number counter.
3. The approvals audit chain head, always last and once: every service that writes audit events runs inside
   `approvals.audit.audit_batch()`, which locks the head when the outermost batch ends.

Within one kind of row, several rows are locked in primary-key order (`rows_locked`), so two transactions that
lock overlapping sets (two employees naming each other as deputy, a department's months) queue, never cross.
A row that is only referenced by a foreign key is not locked FOR UPDATE: the commit's FOR KEY SHARE check on it
would wait for that lock. On SQLite, which ignores row locks, transactions are IMMEDIATE (config/settings.py).
"""

from typing import TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def rows_locked(queryset: QuerySet[M], *, no_key: bool = False, of: tuple[str, ...] = ()) -> list[M]:
    """The rows of `queryset`, locked FOR UPDATE (FOR NO KEY UPDATE with `no_key`) in primary-key order.

    Must be called inside a transaction: the locks are held until it ends."""
    return list(queryset.select_for_update(no_key=no_key, of=of).order_by("pk"))
