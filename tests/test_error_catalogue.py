"""Every stable error code is a member of one catalogue (an `ErrorCode` enum in an app's `codes.py`), with a
problem status and its Japanese and English message, and no module of a domain app or of the API spells a code as
a bare string: a code raised anywhere is therefore a code that `GET /api/v1/errors/` lists."""

import ast
from pathlib import Path

import pytest
from django.utils import translation

from api.core import catalogue

ROOT = Path(__file__).resolve().parents[1]
# Every package whose code can raise or answer an error code; core/errors.py declares the base classes' defaults
# (checked against CoreError in tests/api/test_core_error_catalogue.py).
PACKAGES = ["core", "org", "notifications", "approvals", "leave", "attendance", "telework", "rollout", "api"]
PROBLEM_STATUSES = {400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 429, 500, 503}
MEMBERS = [member for found in catalogue.catalogues() for member in found]


def _sources() -> list[Path]:
    return [
        path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts and path.name != "codes.py" and path != ROOT / "core" / "errors.py"
    ]


def bare_codes(path: Path) -> list[str]:
    """`code="..."` / `default_code="..."` keywords, `"code": "..."` dict items and `default_code = "..."`
    assignments written with a string literal, each with its line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.keyword) and node.arg in {"code", "default_code"}:
            value = node.value
        elif isinstance(node, ast.Dict):
            value = next(
                (
                    v
                    for k, v in zip(node.keys, node.values, strict=True)
                    if isinstance(k, ast.Constant) and k.value == "code"
                ),
                None,
            )
        elif isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "default_code" for target in node.targets
        ):
            value = node.value
        else:
            continue
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
            found.append(f"{where}:{value.lineno}: {value.value!r}")
    return found


def test_no_module_spells_a_code_as_a_bare_string():
    # given every module of every domain app and of the API
    sources = _sources()
    assert len(sources) > 100
    # when they are read, then every code comes from a catalogue
    assert [bare for path in sources for bare in bare_codes(path)] == []


def test_the_scan_finds_a_bare_code(tmp_path):
    # given a module that raises with a literal code and builds a literal field error
    module = tmp_path / "bad.py"
    module.write_text('raise Conflict(code="oops")\nerrors = [{"field": "x", "code": "typo"}]\n')
    # then both are found
    assert bare_codes(module) == ["bad.py:1: 'oops'", "bad.py:2: 'typo'"]


def test_every_catalogue_of_every_app_is_discovered():
    # then each app that raises codes has its catalogue among those the endpoint lists
    names = {found.__module__ for found in catalogue.catalogues()}
    assert {
        "core.errors",
        "org.codes",
        "approvals.codes",
        "attendance.codes",
        "telework.codes",
        "rollout.codes",
        "api.core.codes",
    } <= names


@pytest.mark.parametrize("member", MEMBERS, ids=lambda member: f"{type(member).__name__}.{member.name}")
def test_each_code_has_a_problem_status_and_a_japanese_and_an_english_message(member):
    # when its message is read in each language
    with translation.override("ja"):
        japanese = str(member.message)
    with translation.override("en"):
        english = str(member.message)
    # then it is snake_case, answers with a problem status, and is translated
    assert member.value == member.value.lower()
    assert member.value.replace("_", "").isalnum()
    assert member.status in PROBLEM_STATUSES
    assert japanese
    assert english != japanese
    assert english.isascii()


def test_a_code_is_declared_in_one_catalogue_only():
    codes = [member.value for member in MEMBERS]
    assert sorted(code for code in set(codes) if codes.count(code) > 1) == []
