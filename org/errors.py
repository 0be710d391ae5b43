"""The domain error hierarchy shared by every app: each error has a stable `code` and an HTTP status.

Domain code just raises; `api.core.errors` turns these into problem+json in one place. `org` holds the
hierarchy because every other app already depends on it.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """Base of every business error. `code` is stable and snake_case; `params` fill the message."""

    status_code = 400
    default_code = "invalid"
    default_detail = _("リクエストを処理できません。")

    def __init__(
        self,
        detail: Any = None,
        *,
        code: str | None = None,
        params: dict | None = None,
        errors: list[dict] | None = None,
    ) -> None:
        self.detail = detail if detail is not None else self.default_detail
        self.code = code or self.default_code
        self.params = params or {}
        self.errors = errors or []
        super().__init__(str(self.detail))


class ValidationFailed(DomainError):
    status_code = 400
    default_code = "invalid"
    default_detail = _("入力内容に誤りがあります。")


class NotFound(DomainError):
    status_code = 404
    default_code = "not_found"
    default_detail = _("見つかりません。")


class PermissionDenied(DomainError):
    status_code = 403
    default_code = "permission_denied"
    default_detail = _("この操作を行う権限がありません。")


class Conflict(DomainError):
    """The object's state does not allow the action (already decided, not your turn, month closed)."""

    status_code = 409
    default_code = "conflict"
    default_detail = _("現在の状態ではこの操作はできません。")


class RuleViolation(DomainError):
    """Business rules refuse the request; `errors` lists every violation, not only the first."""

    status_code = 422
    default_code = "rule_violation"
    default_detail = _("規則に違反しているため受け付けられません。")
