"""Every code of every catalogue answers the status its meaning calls for (API.md, Conventions): 400 for the shape of
input, 422 for business rules, 409 for state, 404 for what the caller may not see, 403 for what they may not do."""

import re

import pytest

from api.core import catalogue
from api.core.codes import ApiError
from core.errors import CoreError

MEMBERS = {member.value: member for found in catalogue.catalogues() for member in found}

# API.md names these as the violations of a business rule (422 with every violation in `errors`).
API_MD_RULES = {
    # telework requests
    "phase_not_open", "location_not_allowed", "not_working_day", "advance_notice", "max_days_per_week",
    "max_days_per_month", "max_consecutive_days", "blackout_date", "min_office_staff",
    "not_eligible_employment_type", "not_eligible_tenure", "security_training_required",
    "security_pledge_required", "overlapping_request", "past_date", "on_leave",
    # leave requests
    "insufficient_balance", "hourly_limit", "overlapping_leave", "outside_window", "attachment_required",
}  # fmt: skip
# Well-formed input that breaks a rule about the records it names (a section of another department, oneself as
# one's own deputy, a day outside the request): rules, not shapes.
RECORD_RULES = {
    "section_not_in_department", "chief_not_in_department", "deputy_self", "deputy_inactive",
    "not_a_telework_day", "consult_own_department",
}  # fmt: skip
# What the name of a code says of its meaning → the status (the first pattern that matches decides).
MEANINGS = [
    (re.compile(r"(^|_)not_found$"), 404, "what the caller may not see"),
    (
        re.compile(r"(^permission_denied$|^(?!read_only$).*_only$|^not_(an_approver|drafter|delegator)$)"),
        403,
        "not allowed",
    ),
    (
        re.compile(r"(already|_closed$|^not_your_turn$|^conflict$|^invalid_state$|_in_progress$)"),
        409,
        "state",
    ),
]
SHAPE = {member.value for member in ApiError if member.status == 400} | {
    CoreError.INVALID.value,
    CoreError.REQUIRED.value,
    CoreError.INVALID_CHOICE.value,
    CoreError.UNKNOWN_FIELD.value,
    CoreError.READ_ONLY.value,
}


def test_the_catalogue_is_walked():
    assert len(MEMBERS) > 100


@pytest.mark.parametrize("code", sorted(API_MD_RULES & set(MEMBERS)))
def test_business_rule_codes_are_422(code):
    assert MEMBERS[code].status == 422


@pytest.mark.parametrize("code", sorted(RECORD_RULES))
def test_rules_about_the_records_named_are_422(code):
    assert MEMBERS[code].status == 422


@pytest.mark.parametrize("code", sorted(MEMBERS))
def test_each_code_answers_the_status_of_its_meaning(code):
    status = MEMBERS[code].status
    for pattern, expected, meaning in MEANINGS:
        if pattern.search(code):
            assert status == expected, f"{code} is {meaning}: {expected}, not {status}"
            return
    if code in SHAPE:
        assert status == 400
    # a rule's code is never a shape code, nor a shape code a rule's
    assert not (code in API_MD_RULES and status != 422)


def test_the_generic_problem_of_each_status_is_the_catalogues():
    assert (CoreError.RULE_VIOLATION.status, CoreError.CONFLICT.status) == (422, 409)
    assert (CoreError.NOT_FOUND.status, CoreError.PERMISSION_DENIED.status) == (404, 403)
    assert CoreError.INVALID.status == 400
