"""The organisation's stable error codes: departments, employees and their roles, absences, login.

The generic codes (`invalid`, `required`, `unique`, `invalid_choice`, `end_before_start`, `permission_denied`...)
are `core.errors.CoreError`'s. The password codes are those of Django's password validators, which name the
problem in `errors` with their own message.
"""

from django.utils.translation import gettext_lazy as _

from core.errors import ErrorCode


class OrgError(ErrorCode):
    DEPARTMENT_HAS_EMPLOYEES = "department_has_employees", 409, _("所属職員がいる課は廃止できません。")
    ADMIN_ONLY = "admin_only", 403, _("システム管理者のみが行えます。")
    CANNOT_DEACTIVATE_SELF = "cannot_deactivate_self", 409, _("自分自身を無効にはできません。")
    ALREADY_INACTIVE = "already_inactive", 409, _("この職員は既に無効です。")
    EMPLOYEE_INACTIVE = "employee_inactive", 409, _("この職員は無効です。")
    ABSENCE_OVERLAP = "absence_overlap", 409, _("この期間には既に不在が登録されています。")
    MANAGER_REQUIRES_POSITION = (
        "manager_requires_position",
        400,
        _("管理職の役割は係長以上の職位にのみ付与されます。"),
    )
    SECTION_NOT_IN_DEPARTMENT = "section_not_in_department", 422, _("その係は指定の課に属していません。")
    CHIEF_NOT_IN_DEPARTMENT = "chief_not_in_department", 422, _("係長にはその課の職員を指定してください。")
    SECTION_HAS_MEMBERS = "section_has_members", 409, _("所属職員がいる係は廃止できません。")
    TRANSFER_BEFORE_LATER_ONE = (
        "transfer_before_later_one",
        409,
        _("%(start)s より後の人事異動が既に登録されています。"),
    )
    DEPUTY_SELF = "deputy_self", 422, _("本人を代決者にはできません。")
    DEPUTY_INACTIVE = "deputy_inactive", 422, _("代決者には在職中の職員を指定してください。")
    PASSWORD_TOO_SIMILAR = "password_too_similar", 400, _("パスワードが利用者の情報と似すぎています。")
    PASSWORD_TOO_SHORT = "password_too_short", 400, _("パスワードが短すぎます。")
    PASSWORD_TOO_COMMON = "password_too_common", 400, _("よく使われるパスワードです。")
    PASSWORD_ENTIRELY_NUMERIC = "password_entirely_numeric", 400, _("パスワードが数字だけです。")
    CURRENT_PASSWORD_INCORRECT = "current_password_incorrect", 400, _("現在のパスワードが正しくありません。")
    TOKEN_NOT_FOUND = "token_not_found", 404, _("APIトークンが見つかりません。")
    INVALID_CREDENTIALS = "invalid_credentials", 400, _("ユーザー名またはパスワードが正しくありません。")
    ACCOUNT_LOCKED = (
        "account_locked",
        429,
        _(
            "ログインの失敗が続いたため、アカウントを一時的にロックしています。しばらくしてから再度お試しください。"
        ),
    )
