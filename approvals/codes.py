"""The stable error codes of approvals (services, routing templates, attachments, selectors) and `api/approvals`.

Raise a member (`raise ApprovalsError.NOT_YOUR_TURN.error()`) or list it in a problem's `errors`
(`ApprovalsError.INVALID_AMOUNT.field("amount")`); the generic codes (`invalid`, `required`, `read_only`,
`permission_denied`, `not_found`, `rule_violation`) are `core.errors.CoreError`'s. A code that only appears in
`errors` carries the status of the problem that lists it. English texts: `approvals/locale/en`.
"""

from django.utils.translation import gettext_lazy as _

from core.errors import ErrorCode


class ApprovalsError(ErrorCode):
    """Codes of 電子決裁: documents, their route and decisions, delegations, attachments, route templates."""

    # 404: the document (or delegation) does not exist or the actor may not see it; its existence is not told
    DOCUMENT_NOT_FOUND = "document_not_found", 404, _("見つかりません。")
    DELEGATION_NOT_FOUND = "delegation_not_found", 404, _("見つかりません。")

    # 403: the actor sees the document but has no part in this action
    NOT_DRAFTER = "not_drafter", 403, _("起案者のみが行えます。")
    NOT_AN_APPROVER = "not_an_approver", 403, _("この文書の処理者ではありません。")
    NOT_DELEGATOR = "not_delegator", 403, _("本人または管理者のみが委任を設定できます。")
    DRAFTER_CANNOT_DECIDE = (
        "drafter_cannot_decide",
        403,
        _("起案者は自分の文書を処理できません(本人・代決・委任のいずれでも)。"),
    )
    CONSULT_OTHER_DEPARTMENT = (
        "consult_other_department",
        403,
        _("合議はその課の者(課長、その委任を受けた者・代決者)のみが処理できます。"),
    )
    NOT_DOCUMENT_OFFICER = (
        "not_document_officer",
        403,
        _("処理者の変更はシステム管理者またはその課の文書主任のみが行えます。"),
    )
    NOT_ATTACHMENT_OWNER = (
        "not_attachment_owner",
        403,
        _("この添付ファイルを変更できるのは登録した人だけです。"),
    )

    # 409: the state of the document, the step or the delegation refuses the action
    ALREADY_DECIDED = "already_decided", 409, _("この文書は既に処理が完了しています。")
    NOT_YOUR_TURN = "not_your_turn", 409, _("まだ処理の順番ではありません。")
    NOT_DECIDED = "not_decided", 409, _("決裁済みの文書のみ修正できます。")
    DELEGATION_ENDED = "delegation_ended", 409, _("この委任は既に終了しているか、取り消されています。")
    ONE_ROW_PER_STEP = "one_row_per_step", 409, _("同じステップで2人分の処理はできません。")
    ATTACHMENTS_FROZEN = (
        "attachments_frozen",
        409,
        _("回付後の文書の添付ファイルは、起案者に差し戻されるまで変更できません。"),
    )
    KIND_NOT_EDITABLE = (
        "kind_not_editable",
        409,
        _("この種別の文書はここでは修正できません。申請の画面から修正してください。"),
    )
    STEP_NOT_OPEN = "step_not_open", 409, _("このステップは処理が済んでいるため、処理者を変更できません。")

    # 422: rules refuse the request
    NO_DEPARTMENT = "no_department", 422, _("所属のない職員は起案できません。")
    NO_ROUTE_RULE = "no_route_rule", 422, _("この種別の決裁ルートが設定されていません。")
    NO_FINAL_APPROVER = "no_final_approver", 422, _("決裁者が見つかりません(専決区分の職位が空席です)。")
    VACANT_POST = "vacant_post", 422, _("空席の職があるため回付できません。")
    BULK_NOT_ALLOWED = "bulk_not_allowed", 422, _("この種別の文書は一括承認できません。")
    UNKNOWN_STEP = "unknown_step", 422, _("指定のステップはこの文書の現在の回付にありません。")
    REASSIGN_TO_DRAFTER = "reassign_to_drafter", 422, _("起案者を処理者にはできません。")
    REASSIGN_TARGET_ON_STEP = "reassign_target_on_step", 422, _("この職員は既にこのステップの処理者です。")
    INVALID_TO_STEP = "invalid_to_step", 422, _("差戻し先のステップが不正です。")
    FILE_TOO_LARGE = "file_too_large", 422, _("ファイルが大きすぎます。")
    FILE_EMPTY = "file_empty", 422, _("空のファイルは添付できません。")
    CONTENT_TYPE_NOT_ALLOWED = "content_type_not_allowed", 422, _("この種類のファイルは添付できません。")

    # fields of a draft (400, the shape of input)
    INVALID_KIND = "invalid_kind", 400, _("不明な種別です。")
    INVALID_RETENTION = "invalid_retention", 400, _("保存年限は1・3・5・10・30年または永年です。")
    INVALID_AMOUNT = "invalid_amount", 400, _("金額が不正です。")
    RETENTION_REQUIRED = (
        "retention_required",
        400,
        _("保存年限を指定してください(永年保存は null を明示します)。分類に保存年限の定めがありません。"),
    )
    CONSULT_OWN_DEPARTMENT = "consult_own_department", 422, _("自分の課を合議先にはできません。")
    APPROVER_REQUIRED = (
        "approver_required",
        400,
        _("このステップには処理者が複数いるため、変更する処理者を指定してください。"),
    )

    # fields of a delegation (422, 委任の規則)
    SELF_DELEGATION = "self_delegation", 422, _("自分自身には委任できません。")
    INACTIVE = "inactive", 422, _("無効な職員です。")

    # fields of a route template (422, approvals.routing.validate_template)
    INVALID_TEMPLATE = "invalid_template", 422, _("ステップを1つ以上並べてください。")
    INVALID_STEP = "invalid_step", 422, _("ステップの定義が不正です。")
    INVALID_SELECTOR = "invalid_selector", 422, _("処理者の指定が不正です。")
    INVALID_CONDITION = "invalid_condition", 422, _("条件の指定が不正です。")
    INVALID_MODE = "invalid_mode", 422, _("方式の指定が不正です。")
    ONE_FINAL_STEP = "one_final_step", 422, _("決裁のステップはちょうど1つ必要です。")
    AFTER_FINAL = "after_final", 422, _("決裁の後には供覧のステップだけを置けます。")
