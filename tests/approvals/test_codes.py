"""The catalogue of approvals' error codes: every code is a member with a status and a message in Japanese and
English, and no module of approvals (or of its API) spells a code as a bare string."""

import ast
from pathlib import Path

import pytest
from django.utils import translation

from approvals.codes import ApprovalsError
from core.errors import ERROR_CLASSES, CoreError

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([*(ROOT / "approvals").rglob("*.py"), *(ROOT / "api" / "approvals").rglob("*.py")])


def bare_codes(path: Path) -> list[str]:
    """`code="..."` arguments and `{"code": "..."}` items written as string literals, with their line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.keyword) and node.arg == "code" and isinstance(node.value, ast.Constant):
            found.append(f"{path.relative_to(ROOT)}:{node.value.lineno} code={node.value.value!r}")
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "code" and isinstance(value, ast.Constant):
                    found.append(f"{path.relative_to(ROOT)}:{key.lineno} 'code': {value.value!r}")
    return found


def test_no_module_of_approvals_spells_a_code_as_a_string():
    # given every module of approvals and api/approvals (migrations included)
    # when they are read
    found = [item for path in SOURCES for item in bare_codes(path)]
    # then every code comes from a catalogue
    assert SOURCES
    assert found == []


@pytest.mark.parametrize("member", list(ApprovalsError), ids=str)
def test_each_code_has_a_status_and_a_japanese_and_an_english_message(member):
    # given a code of the catalogue
    # when its message is read in each language
    with translation.override("ja"):
        japanese = str(member.message)
    with translation.override("en"):
        english = str(member.message)
    # then it answers with a problem status and is translated
    assert member.status in ERROR_CLASSES
    assert member.value.islower()
    assert japanese
    assert english
    assert english != japanese


def test_a_code_is_in_one_catalogue_only():
    # given the generic codes and those of approvals
    # then no code is in both
    assert {m.value for m in ApprovalsError} & {m.value for m in CoreError} == set()


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
