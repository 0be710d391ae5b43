"""The catalogues of telework and rollout (telework/codes.py, rollout/codes.py): every rule code is in telework's,
as a 422; a catalogue's error keeps its code, status and message (every catalogue's messages are checked in
tests/test_error_catalogue.py)."""

from core.errors import Conflict, CoreError, RuleViolation, ValidationFailed
from rollout.codes import RolloutError
from telework import rules
from telework.codes import TeleworkError

# The rule codes of API.md, every one of them implemented by a rule.
API_RULE_CODES = {
    "phase_not_open",
    "location_not_allowed",
    "not_working_day",
    "advance_notice",
    "max_days_per_week",
    "max_days_per_month",
    "max_consecutive_days",
    "blackout_date",
    "min_office_staff",
    "not_eligible_employment_type",
    "not_eligible_tenure",
    "security_training_required",
    "security_pledge_required",
    "overlapping_request",
    "past_date",
    "on_leave",
}
# Beyond API.md: half days (午前・午後) where the policy allows them.
EXTRA_RULE_CODES = {"half_day_not_allowed"}


def test_every_rule_code_is_a_422_of_the_catalogue():
    assert set(rules.RULE_CODES) == API_RULE_CODES | EXTRA_RULE_CODES
    for code in rules.RULE_CODES:
        # the date rules that leave shares are CoreError's (a code is declared in one catalogue)
        assert isinstance(code, TeleworkError) or code in (CoreError.NOT_WORKING_DAY, CoreError.PAST_DATE)
        assert code.status == 422


def test_a_catalogue_error_carries_its_code_status_and_message():
    unchanged = TeleworkError.PHASE_UNCHANGED.error(phase="trial")
    assert isinstance(unchanged, Conflict)
    assert (unchanged.code, unchanged.params, str(unchanged.detail)) == (
        "phase_unchanged",
        {"phase": "trial"},
        "すでにその段階です。",
    )
    late = RolloutError.PHASE_DATE_BEFORE_LAST.field("date", last="2026-04-01")
    assert late == {
        "field": "date",
        "code": "phase_date_before_last",
        "message": "移行日は前回の移行日（2026-04-01）以降にしてください。",
        "params": {"last": "2026-04-01"},
    }
    assert isinstance(TeleworkError.WARNINGS_NOT_ACKNOWLEDGED.error(), RuleViolation)
    assert isinstance(TeleworkError.TOO_MANY_DATES.error(max=31), ValidationFailed)
