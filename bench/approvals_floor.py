"""The floor of the approvals benchmark: the same pages as the inbox and the drafter's document list, each
from ONE hand-written SQL query (token check included) in a bare Django view, no DRF, no ORM.

Routes: /bench/floor/inbox/ and /bench/floor/documents/ beside the project's own URLs.
"""

import json

from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone

from config.urls import urlpatterns as project_urlpatterns

PAGE_SIZE = 50

_ME = """
me AS (
    SELECT e.id FROM org_accesstoken t JOIN org_employee e ON e.id = t.user_id
    WHERE t.token_key = left(%(token)s, 15)
      AND t.digest = encode(sha512(convert_to(%(token)s, 'UTF8')), 'hex')
      AND (t.expiry IS NULL OR t.expiry > now()) AND e.is_active
)"""

_DOCUMENT_COLUMNS = """
    d.id, d.kind, d.title, d.status, d.drafter_id, dr.name, dep.code, dep.name, d.category, d.amount,
    d.number, d.current_step_order, d.created_at, d.submitted_at, d.decided_at"""

INBOX_SQL = f"""
WITH {_ME},
principals AS (
    SELECT me.id AS approver_id, 'self' AS acting, NULL::jsonb AS kinds FROM me
    UNION ALL
    SELECT g.delegator_id, 'delegate', g.kinds FROM approvals_delegation g, me
    WHERE g.delegate_id = me.id AND g.start <= %(today)s AND g."end" >= %(today)s
    UNION ALL
    SELECT e.id, 'proxy', NULL FROM org_employee e JOIN org_absence a ON a.employee_id = e.id, me
    WHERE e.deputy_id = me.id AND e.is_active AND a.start <= %(today)s AND a."end" >= %(today)s
),
items AS (
    SELECT DISTINCT ON (sa.id) sa.id AS item_id, sa.approver_id, s."order", s.kind AS step_kind, s.opened_at,
        p.acting, d.id AS document_id
    FROM principals p
    JOIN approvals_stepapprover sa ON sa.approver_id = p.approver_id
    JOIN approvals_step s ON s.id = sa.step_id
    JOIN approvals_document d ON d.id = s.document_id
    WHERE sa.decision = 'pending' AND s.status = 'waiting' AND s.kind <> 'post_review'
      AND d.status IN ('in_review', 'approved')
      AND (p.acting <> 'delegate' OR jsonb_array_length(p.kinds) = 0 OR p.kinds ? d.kind)
    ORDER BY sa.id, CASE p.acting WHEN 'self' THEN 0 WHEN 'delegate' THEN 1 ELSE 2 END
)
SELECT i.item_id, i.approver_id, i."order", i.step_kind, i.opened_at, i.acting, {_DOCUMENT_COLUMNS},
    COUNT(*) OVER () AS total
FROM items i
JOIN approvals_document d ON d.id = i.document_id
JOIN org_employee dr ON dr.id = d.drafter_id
JOIN org_department dep ON dep.id = d.department_id
ORDER BY i.opened_at, i.item_id
LIMIT {PAGE_SIZE}
"""

DOCUMENTS_SQL = f"""
WITH {_ME}
SELECT {_DOCUMENT_COLUMNS}, COUNT(*) OVER () AS total
FROM approvals_document d
JOIN me ON d.drafter_id = me.id
JOIN org_employee dr ON dr.id = d.drafter_id
JOIN org_department dep ON dep.id = d.department_id
WHERE EXISTS (
    SELECT 1 FROM approvals_documentuserobjectpermission p
    JOIN auth_permission ap ON ap.id = p.permission_id
    WHERE p.content_object_id = d.id AND p.user_id = me.id AND ap.codename = 'view_document'
)
ORDER BY d.created_at DESC, d.id DESC
LIMIT {PAGE_SIZE}
"""


def _time(value):
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _document(row) -> dict:
    (id_, kind, title, status, drafter, drafter_name, dept, dept_name, category, amount, number, step, created,
     submitted, decided) = row  # fmt: skip
    return {
        "id": id_,
        "kind": kind,
        "title": title,
        "status": status,
        "drafter": drafter,
        "drafter_name": drafter_name,
        "department": dept,
        "department_name": dept_name,
        "category": category,
        "amount": amount,
        "number": number,
        "current_step": step,
        "created_at": _time(created),
        "submitted_at": _time(submitted),
        "decided_at": _time(decided),
    }


def _token(request) -> str | None:
    kind, _, key = request.headers.get("Authorization", "").partition(" ")
    return key.strip() if kind.lower() == "token" and key.strip() else None


def _page(request, results: list, total: int) -> HttpResponse:
    following = request.build_absolute_uri(f"{request.path}?page=2") if total > PAGE_SIZE else None
    body = {"count": total, "next": following, "previous": None, "results": results}
    return HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/json")


def _unauthorised() -> HttpResponse:
    return HttpResponse(status=401)


def floor_inbox(request) -> HttpResponse:
    """受信箱 page 1 from one query."""
    token = _token(request)
    if token is None:
        return _unauthorised()
    with connection.cursor() as cursor:
        cursor.execute(INBOX_SQL, {"token": token, "today": timezone.localdate()})
        rows = cursor.fetchall()
        if not rows:
            cursor.execute(f"WITH {_ME} SELECT count(*) FROM me", {"token": token})
            if not cursor.fetchone()[0]:
                return _unauthorised()
    results = [
        {
            "id": row[0],
            "document": _document(row[6:21]),
            "step": row[2],
            "step_kind": row[3],
            "opened_at": _time(row[4]),
            "approver": row[1],
            "acting_as": row[5],
            "on_behalf_of": None if row[5] == "self" else row[1],
        }
        for row in rows
    ]
    return _page(request, results, rows[0][-1] if rows else 0)


def floor_documents(request) -> HttpResponse:
    """The caller's own documents (mine=true) page 1 from one query."""
    token = _token(request)
    if token is None:
        return _unauthorised()
    with connection.cursor() as cursor:
        cursor.execute(DOCUMENTS_SQL, {"token": token})
        rows = cursor.fetchall()
    return _page(request, [_document(row[:15]) for row in rows], rows[0][-1] if rows else 0)


urlpatterns = [
    path("bench/floor/inbox/", floor_inbox),
    path("bench/floor/documents/", floor_documents),
    *project_urlpatterns,
]
