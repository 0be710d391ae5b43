"""要綱の合成: the effective policy is the town default overlaid with a department's override (pure, no ORM)."""

from collections.abc import Mapping
from datetime import date

from telework.rules import LOCATIONS, RULE_CODES, SEVERITIES, PolicyValues

# The policy fields, in API order; `severities` merges per rule code.
POLICY_FIELDS = (
    "allowed_locations",
    "max_days_per_week",
    "max_days_per_month",
    "max_consecutive_days",
    "advance_notice_business_days",
    "min_office_staff",
    "eligible_employment_types",
    "min_months_since_hire",
    "require_security_training",
    "require_security_pledge",
    "require_day_report",
    "allow_half_days",
    "after_the_fact_business_days",
    "require_start_end_report",
    "severities",
)
BOOLEAN_FIELDS = (
    "require_security_training",
    "require_security_pledge",
    "require_day_report",
    "allow_half_days",
    "require_start_end_report",
)


def merge_policy(default: Mapping, override: Mapping | None = None) -> dict:
    """Each field of the override that is not None replaces the default's; severities merge per code.

    Booleans missing in both are False; every other missing field means "no limit" (for
    `after_the_fact_business_days`: no 事後申請). A snapshot of an older version lacks the fields added since:
    they are missing, so they take these meanings."""
    override = override or {}
    merged = {}
    for name in POLICY_FIELDS:
        value = override.get(name)
        merged[name] = default.get(name) if value is None else value
    merged["severities"] = {**(default.get("severities") or {}), **(override.get("severities") or {})}
    if merged["allowed_locations"] is None:
        merged["allowed_locations"] = list(LOCATIONS)
    for name in BOOLEAN_FIELDS:
        merged[name] = bool(merged[name])
    return merged


def policy_values(effective: Mapping, *, blackout_dates: Mapping[date, str] | None = None) -> PolicyValues:
    """The rules' view of an effective policy."""
    eligible = effective.get("eligible_employment_types")
    return PolicyValues(
        allowed_locations=frozenset(effective["allowed_locations"]),
        max_days_per_week=effective.get("max_days_per_week"),
        max_days_per_month=effective.get("max_days_per_month"),
        max_consecutive_days=effective.get("max_consecutive_days"),
        advance_notice_business_days=effective.get("advance_notice_business_days"),
        min_office_staff=effective.get("min_office_staff"),
        blackout_dates=dict(blackout_dates or {}),
        eligible_employment_types=frozenset(eligible) if eligible is not None else None,
        min_months_since_hire=effective.get("min_months_since_hire"),
        require_security_training=bool(effective.get("require_security_training")),
        require_security_pledge=bool(effective.get("require_security_pledge")),
        require_day_report=bool(effective.get("require_day_report")),
        allow_half_days=bool(effective.get("allow_half_days")),
        after_the_fact_business_days=effective.get("after_the_fact_business_days"),
        require_start_end_report=bool(effective.get("require_start_end_report")),
        severities=dict(effective.get("severities") or {}),
    )


def severity_errors(severities: Mapping) -> list[str]:
    """Rule codes or severities that a severity map may not contain."""
    return [
        str(code)
        for code, severity in severities.items()
        if code not in RULE_CODES or severity not in SEVERITIES
    ]
