"""The codes the HTTP layer answers itself: authentication, negotiation, parsing, limits, idempotency, and the
field codes of DRF's serializers that can appear in a problem's `errors`.

Generic codes that domain apps raise too (`invalid`, `required`, `unique`, `invalid_choice`, `permission_denied`,
`not_found`, `conflict`, `throttled`...) are `core.errors.CoreError`'s, so each code is in exactly one catalogue.
"""

from django.utils.translation import gettext_lazy as _

from core.errors import ErrorCode


class ApiError(ErrorCode):
    # the request as a whole
    BAD_REQUEST = "bad_request", 400, _("リクエストの形式が正しくありません。")
    PARSE_ERROR = "parse_error", 400, _("リクエストの本文を解釈できません。")
    NOT_AUTHENTICATED = "not_authenticated", 401, _("認証が必要です。")
    AUTHENTICATION_FAILED = "authentication_failed", 401, _("認証情報が正しくありません。")
    METHOD_NOT_ALLOWED = "method_not_allowed", 405, _("このメソッドは使用できません。")
    NOT_ACCEPTABLE = "not_acceptable", 406, _("要求された形式では応答できません。")
    PAYLOAD_TOO_LARGE = "payload_too_large", 413, _("リクエストが大きすぎます。")
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type", 415, _("サポートされていないメディアタイプです。")
    SERVER_ERROR = "server_error", 500, _("サーバー内部でエラーが発生しました。")
    SERVICE_UNAVAILABLE = "service_unavailable", 503, _("サービスを一時的に利用できません。")
    ERROR = "error", 500, _("リクエストを処理できません。")
    # the bounds of every input (api.core.limits, api.core.parsers, api.core.middleware)
    INVALID_CHARACTER = (
        "invalid_character",
        400,
        _("制御文字など、使用できない文字が含まれています。"),
    )
    JSON_TOO_DEEP = "json_too_deep", 400, _("JSON の入れ子が深すぎます。")
    DATE_OUT_OF_RANGE = "date_out_of_range", 400, _("範囲外の日付です。")
    # Idempotency-Key (api.core.idempotency)
    INVALID_IDEMPOTENCY_KEY = (
        "invalid_idempotency_key",
        400,
        _("Idempotency-Key は1〜255文字の半角英数記号で指定してください。"),
    )
    IDEMPOTENCY_IN_PROGRESS = (
        "idempotency_in_progress",
        409,
        _("同じ Idempotency-Key のリクエストを処理中です。しばらくしてから再度お試しください。"),
    )
    IDEMPOTENCY_KEY_REUSED = (
        "idempotency_key_reused",
        422,
        _("この Idempotency-Key は別の内容のリクエストで使用済みです。"),
    )
    # DRF's field codes in `errors` (the message is DRF's own, in the request's language)
    NULL = "null", 400, _("null は指定できません。")
    BLANK = "blank", 400, _("空にはできません。")
    EMPTY = "empty", 400, _("1件以上指定してください。")
    MAX_LENGTH = "max_length", 400, _("長すぎます。")
    MIN_LENGTH = "min_length", 400, _("短すぎます。")
    MAX_VALUE = "max_value", 400, _("大きすぎる値です。")
    MIN_VALUE = "min_value", 400, _("小さすぎる値です。")
    MAX_STRING_LENGTH = "max_string_length", 400, _("数値の桁が多すぎます。")
    MAX_DIGITS = "max_digits", 400, _("桁数が多すぎます。")
    MAX_DECIMAL_PLACES = "max_decimal_places", 400, _("小数点以下の桁数が多すぎます。")
    MAX_WHOLE_DIGITS = "max_whole_digits", 400, _("整数部の桁数が多すぎます。")
    DOES_NOT_EXIST = "does_not_exist", 400, _("指定された対象が存在しません。")
    INCORRECT_TYPE = "incorrect_type", 400, _("型が正しくありません。")
    NOT_A_LIST = "not_a_list", 400, _("リストを指定してください。")
    NOT_A_DICT = "not_a_dict", 400, _("オブジェクトを指定してください。")
    DATE = "date", 400, _("日時ではなく日付を指定してください。")
    DATETIME = "datetime", 400, _("日付ではなく日時を指定してください。")
    MAKE_AWARE = "make_aware", 400, _("この時刻はタイムゾーン上に存在しません。")
    OVERFLOW = "overflow", 400, _("範囲外の日時です。")
    NO_NAME = "no_name", 400, _("ファイル名がありません。")
