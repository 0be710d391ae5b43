"""The domain error hierarchy, the field-error helper and the base of every app's catalogue of stable codes.

Domain code just raises (`raise ApprovalsError.NOT_YOUR_TURN.error()`); `api.core.errors` turns a `DomainError`
into problem+json in one place and `portal/` shows it next to the field. Each app lists its codes in one
`ErrorCode` enum (its `codes.py`): the stable snake_case code, the HTTP status and the Japanese message, whose
English text is in the app's message catalogue. `GET /api/v1/errors/` publishes every catalogue.
"""

from enum import StrEnum
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
    """The shape of the input is wrong (400); `errors` names each field."""

    status_code = 400
    default_code = "invalid"
    default_detail = _("入力内容に誤りがあります。")


class PermissionDenied(DomainError):
    """The actor may see the object but may not take this action (403)."""

    status_code = 403
    default_code = "permission_denied"
    default_detail = _("この操作を行う権限がありません。")


class NotFound(DomainError):
    """The object does not exist or the actor may not see it (404: existence is not disclosed)."""

    status_code = 404
    default_code = "not_found"
    default_detail = _("見つかりません。")


class Conflict(DomainError):
    """The object's state does not allow the action (already decided, not your turn, month closed)."""

    status_code = 409
    default_code = "conflict"
    default_detail = _("現在の状態ではこの操作はできません。")


class RuleViolation(DomainError):
    """Business rules refuse the request (422); `errors` lists every violation, not only the first."""

    status_code = 422
    default_code = "rule_violation"
    default_detail = _("規則に違反しているため受け付けられません。")


class TooManyRequests(DomainError):
    """Too many attempts for now (429); `retry_after` (seconds) says when to try again."""

    status_code = 429
    default_code = "throttled"
    default_detail = _("リクエストが多すぎます。しばらくしてから再度お試しください。")

    def __init__(self, detail: Any = None, *, retry_after: int | None = None, **kwargs: Any) -> None:
        super().__init__(detail, **kwargs)
        self.retry_after = retry_after


ERROR_CLASSES: dict[int, type[DomainError]] = {
    cls.status_code: cls
    for cls in (ValidationFailed, PermissionDenied, NotFound, Conflict, RuleViolation, TooManyRequests)
}


def field_error(field: str | None, code: str, message: Any, /, **params: Any) -> dict:
    """One item of a problem's `errors`: `{field, code, message, params}` (`field` None for the whole input)."""
    return {"field": field, "code": str(code), "message": str(message), "params": params}


class ErrorCode(StrEnum):
    """Base of each app's catalogue. A member is its stable code (a `str`), with `status` and `message`.

    Declare members as `NOT_YOUR_TURN = "not_your_turn", 409, _("まだ処理の順番ではありません。")`. The status
    is that of the problem the code answers; a code that only appears inside `errors` carries the status of
    the problem that lists it (400 for the shape of input, 422 for rules).
    """

    def __new__(cls, code: str, status: int, message: Any):
        member = str.__new__(cls, code)
        member._value_ = code
        member.status = status
        member.message = message
        return member

    def error(self, detail: Any = None, *, errors: list[dict] | None = None, **params: Any) -> DomainError:
        """The exception to raise: the `DomainError` class of the status, this code, the catalogue's message
        (filled with `params`) unless the raise site gives a more specific `detail`."""
        if detail is None:
            detail = str(self.message) % params if params else self.message
        return ERROR_CLASSES[self.status](detail, code=self.value, params=params, errors=errors)

    def field(self, field: str | None, message: Any = None, /, **params: Any) -> dict:
        """This code as an item of a problem's `errors`, with the catalogue's message unless one is given."""
        if message is None:
            message = str(self.message) % params if params else self.message
        return field_error(field, self.value, message, **params)


class CoreError(ErrorCode):
    """Codes that every app uses: the generic ones of each status and the common field codes."""

    INVALID = "invalid", 400, _("入力内容に誤りがあります。")
    REQUIRED = "required", 400, _("必須項目です。")
    READ_ONLY = "read_only", 400, _("変更できない項目です。")
    UNKNOWN_FIELD = "unknown_field", 400, _("この項目は指定できません。")
    UNIQUE = "unique", 400, _("既に使われている値です。")
    INVALID_CHOICE = "invalid_choice", 400, _("選択肢にない値です。")
    END_BEFORE_START = "end_before_start", 400, _("終了日は開始日以降にしてください。")
    INVALID_STATE = "invalid_state", 409, _("現在の状態ではこの操作はできません。")
    PERMISSION_DENIED = "permission_denied", 403, _("この操作を行う権限がありません。")
    NOT_FOUND = "not_found", 404, _("見つかりません。")
    NOT_WORKING_DAY = "not_working_day", 422, _("閉庁日です。")
    PAST_DATE = "past_date", 422, _("過ぎた日は申請・承認できません(事後申請の期限を過ぎています)。")
    CONFLICT = "conflict", 409, _("現在の状態ではこの操作はできません。")
    RULE_VIOLATION = "rule_violation", 422, _("規則に違反しているため受け付けられません。")
    THROTTLED = "throttled", 429, _("リクエストが多すぎます。しばらくしてから再度お試しください。")
