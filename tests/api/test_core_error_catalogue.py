"""GET /api/v1/errors/ publishes every catalogue of error codes; each code is declared once (the system check)."""

import pytest
from django.core.management import call_command
from django.utils.translation import gettext_lazy as _

from api.core import catalogue
from api.core.codes import ApiError
from attendance.codes import AttendanceError
from core import errors
from core.errors import CoreError, DomainError, ErrorCode
from org.codes import OrgError

URL = "/api/v1/errors/"


@pytest.fixture
def listed(api_client, db) -> dict[str, dict]:
    response = api_client.get(URL)
    assert response.status_code == 200
    rows = response.json()
    assert [row["code"] for row in rows] == sorted(row["code"] for row in rows)
    return {row["code"]: row for row in rows}


def test_the_catalogue_is_public_and_lists_every_code_with_status_and_both_languages(listed):
    # then core's, the organisation's, attendance's and the HTTP layer's codes are there
    for catalogue_class in (CoreError, OrgError, AttendanceError, ApiError):
        for member in catalogue_class:
            assert listed[member.value]["status"] == member.status
            assert listed[member.value]["title_ja"] == str(member.message)
    assert listed["month_closed"] == {
        "code": "month_closed",
        "status": 409,
        "title_ja": "%(month)s は締め済みのため変更できません。",
        "title_en": "%(month)s is closed and cannot be changed.",
    }
    assert listed["account_locked"]["status"] == 429
    assert listed["not_authenticated"]["title_en"] == "Authentication is required."
    assert listed["end_before_start"]["title_en"] == "The end date must not be before the start date."
    # and every title has its English text (none is left in Japanese)
    untranslated = [code for code, row in listed.items() if row["title_en"] == row["title_ja"]]
    assert untranslated == []


def test_the_catalogue_needs_no_login_even_with_a_bad_token(api_client, db):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert api_client.get(URL).status_code == 200


def test_a_code_declared_in_two_catalogues_fails_the_check():
    # given a second catalogue that declares `month_closed` again
    class Other(ErrorCode):
        MONTH_CLOSED = "month_closed", 409, _("締め済み")
        FRESH = "fresh_code", 400, _("新しい")

    # when the check looks at every catalogue and that one
    problems = catalogue.check_unique_codes([*catalogue.catalogues(), Other])
    # then it names the code and both catalogues; the real catalogues alone pass `manage.py check`
    assert [problem.id for problem in problems] == ["api.E001"]
    assert "'month_closed'" in problems[0].msg
    assert "attendance.codes.AttendanceError" in problems[0].msg
    assert catalogue.check_unique_codes(catalogue.catalogues()) == []
    call_command("check", "--fail-level", "ERROR")


def test_every_default_code_of_the_error_classes_is_catalogued():
    listed = {member.value for found in catalogue.catalogues() for member in found}
    classes = [
        value for value in vars(errors).values() if isinstance(value, type) and issubclass(value, DomainError)
    ]
    assert {cls.default_code for cls in classes} <= listed
