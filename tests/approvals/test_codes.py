"""A code of approvals' catalogue raised as an error carries its status and message (the catalogue as a whole is
checked in tests/test_error_catalogue.py)."""

from approvals.codes import ApprovalsError


def test_a_raised_code_carries_its_status_and_message():
    # given a code of the catalogue
    # when it is raised without a detail, and with one
    plain = ApprovalsError.NOT_YOUR_TURN.error()
    specific = ApprovalsError.ALREADY_DECIDED.error("このステップは既に処理されています。")
    # then the exception has the code, the catalogue's status and the message
    assert (plain.code, plain.status_code, str(plain.detail)) == (
        "not_your_turn",
        409,
        "まだ処理の順番ではありません。",
    )
    assert (specific.code, specific.status_code, specific.detail) == (
        "already_decided",
        409,
        "このステップは既に処理されています。",
    )
