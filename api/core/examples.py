"""Real examples of the main requests and responses of the schema, keyed by `operationId` like api.core.docs;
api.core.schema.AutoSchema puts them beside each operation's code examples."""

from core.errors import CoreError
from telework.codes import TeleworkError

# operationId: {"request": example body, "responses": {status: example body}}; one example each, the main cases.
EXAMPLES: dict[str, dict] = {
    "auth_token_create": {
        "request": {"username": "oikawa.misaki", "password": "Furano-demo-2026"},
        "responses": {"200": {"token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"}},
    },
    "attendance_clock_create": {
        "request": {"kind": "in", "location": "home"},
        "responses": {
            "201": {
                "id": 1,
                "employee": 24,
                "kind": "in",
                "at": "2026-12-02T08:29:56+09:00",
                "work_date": "2026-12-02",
                "location": "home",
                "source": "web",
                "corrects": None,
                "replaced": False,
            },
        },
    },
    "telework_requests_create": {
        "request": {"dates": ["2026-12-16", "2026-12-18"], "location": "home", "work_plan": "予算資料の作成"},
        "responses": {
            "422": {
                "type": "urn:townhall:problem:rule_violation",
                "title": "Unprocessable Content",
                "status": 422,
                "detail": "テレワーク実施要綱の規則に違反しています。",
                "code": CoreError.RULE_VIOLATION.value,
                "errors": [
                    {
                        "field": "location",
                        "code": TeleworkError.PHASE_NOT_OPEN.value,
                        "message": "所属課は一部運用中のため、外勤(モバイル)のみ申請できます。",
                        "params": {"phase": "partial", "location": "home", "allowed_locations": ["mobile"]},
                    },
                    {
                        "field": None,
                        "code": TeleworkError.SECURITY_TRAINING_REQUIRED.value,
                        "message": "2026年度の情報セキュリティ研修を受講してください。",
                        "params": {"fiscal_year": 2026, "completed_fiscal_year": None},
                    },
                ],
            },
        },
    },
    "approvals_documents_create": {
        "request": {
            "kind": "general",
            "title": "備品購入について",
            "body": "コピー用紙を購入します。",
            "amount": 30000,
            "retention_years": 5,
            "consult_departments": [],
        },
        "responses": {
            "201": {
                "id": 7,
                "kind": "general",
                "title": "備品購入について",
                "status": "draft",
                "drafter": 24,
                "drafter_name": "及川 美咲",
                "department": "kikaku",
                "department_name": "企画課",
                "category": "",
                "amount": 30000,
                "number": "",
                "current_step": None,
                "created_at": "2026-12-02T09:49:57+09:00",
                "submitted_at": None,
                "decided_at": None,
                "body": "コピー用紙を購入します。",
                "retention_years": 5,
                "consult_departments": [],
                "payload": {},
                "corrects": None,
                "number_seq": None,
                "fiscal_year": None,
                "disposal_date": None,
                "round": 0,
                "route_rule_version": None,
                "updated_at": "2026-12-02T09:49:57+09:00",
                "steps": [],
            }
        },
    },
    "approvals_documents_submit_create": {"request": {}},
    "approvals_documents_approve_create": {
        "request": {"comment": "確認しました。"},
    },
    "approvals_documents_reject_create": {"request": {"comment": "予算の根拠を示してください。"}},
    "approvals_documents_return_create": {
        "request": {"comment": "金額を見直してください。", "to_step": None}
    },
    "approvals_documents_withdraw_create": {"request": {}},
}
