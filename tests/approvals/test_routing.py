"""The route interpreter (pure): 専決 thresholds, skipping the drafter, collapsing repeats, consult modes."""

import pytest

from approvals.routing import (
    DEFAULT_TEMPLATES,
    SKIP_DRAFTER,
    SKIP_FINAL,
    SKIP_REPEATED,
    SKIP_VACANT,
    DocumentFacts,
    OrgFacts,
    build_route,
    validate_template,
)

STAFF, CHIEF, DIRECTOR, DEPUTY, MAYOR, KAIKEI, KIKAKU = 1, 2, 3, 4, 5, 6, 7
POSITIONS = {"deputy_mayor": DEPUTY, "mayor": MAYOR}


def org(drafter=STAFF, position="staff", consult=(), chief=CHIEF, director=DIRECTOR):
    return OrgFacts(
        drafter=drafter,
        drafter_position=position,
        chief=chief,
        director=director,
        consult_directors=tuple(consult),
        positions=POSITIONS,
    )


def live(specs):
    return [(s.kind, s.approvers) for s in specs if not s.skipped]


def general(amount, **kwargs):
    return build_route(
        DEFAULT_TEMPLATES["general"], org(**kwargs), DocumentFacts(kind="general", amount=amount)
    )


@pytest.mark.parametrize("amount", [None, 0, 50_000, 99_999])
def test_small_amount_goes_chief_then_director_final(amount):
    assert live(general(amount)) == [("review", (CHIEF,)), ("final", (DIRECTOR,))]


def test_director_review_is_recorded_as_skipped_when_director_decides():
    specs = general(50_000)
    assert [(s.kind, s.skip_reason) for s in specs] == [("review", ""), ("review", SKIP_FINAL), ("final", "")]


def test_half_million_with_consult_goes_to_deputy_mayor():
    assert live(general(500_000, consult=[KAIKEI])) == [
        ("review", (CHIEF,)),
        ("review", (DIRECTOR,)),
        ("consult", (KAIKEI,)),
        ("final", (DEPUTY,)),
    ]


def test_five_million_has_deputy_mayor_review_and_mayor_final():
    assert live(general(5_000_000)) == [
        ("review", (CHIEF,)),
        ("review", (DIRECTOR,)),
        ("review", (DEPUTY,)),
        ("final", (MAYOR,)),
    ]


def test_threshold_boundaries():
    assert live(general(100_000))[-1] == ("final", (DEPUTY,))
    assert live(general(999_999))[-1] == ("final", (DEPUTY,))
    assert live(general(1_000_000))[-1] == ("final", (MAYOR,))


def test_consult_step_groups_every_director_all_of():
    consult = next(s for s in general(None, consult=[KAIKEI, KIKAKU]) if s.kind == "consult")
    assert consult.approvers == (KAIKEI, KIKAKU)
    assert (consult.mode, consult.required_count) == ("all", 2)


def test_chief_drafter_skips_own_review():
    assert live(general(50_000, drafter=CHIEF, position="chief")) == [("final", (DIRECTOR,))]


def test_director_drafter_small_amount_goes_to_the_superior():
    # issue 11: the drafter never decides their own step; the 決裁 goes to the next rank up (副町長)
    specs = general(50_000, drafter=DIRECTOR, position="director")
    assert live(specs) == [("final", (DEPUTY,))]
    assert (specs[0].kind, specs[0].skip_reason) == ("review", SKIP_DRAFTER)


def test_director_drafter_large_amount_goes_to_deputy_mayor():
    assert live(general(500_000, drafter=DIRECTOR, position="director")) == [("final", (DEPUTY,))]


def test_vacant_chief_is_skipped():
    specs = general(50_000, chief=None)
    assert specs[0].skip_reason == SKIP_VACANT
    assert live(specs) == [("final", (DIRECTOR,))]


def test_same_person_twice_in_a_row_is_asked_once():
    template = [
        {"kind": "review", "approver": "drafter_chief"},
        {"kind": "review", "approver": {"employee": DIRECTOR}},
        {"kind": "final", "approver": "drafter_director"},
    ]
    specs = build_route(template, org(), DocumentFacts(kind="general"))
    assert [s.skip_reason for s in specs] == ["", SKIP_REPEATED, ""]
    assert live(specs) == [("review", (CHIEF,)), ("final", (DIRECTOR,))]


def test_any_of_and_n_of_m_groups_with_roles():
    template = [
        {"kind": "consult", "approvers": [{"role": "hr"}], "mode": "any"},
        {
            "kind": "consult",
            "approvers": [{"role": "hr"}, {"employee": KIKAKU}],
            "mode": "n_of_m",
            "required": 2,
        },
        {"kind": "final", "approver": {"position": "mayor"}},
    ]
    facts = OrgFacts(
        drafter=STAFF, drafter_position="staff", positions=POSITIONS, roles={"hr": (KAIKEI, STAFF)}
    )
    specs = build_route(template, facts, DocumentFacts(kind="general"))
    assert (specs[0].approvers, specs[0].mode, specs[0].required_count) == ((KAIKEI,), "any", 1)
    assert (specs[1].approvers, specs[1].mode, specs[1].required_count) == ((KAIKEI, KIKAKU), "n_of_m", 2)


def test_category_condition_picks_authority():
    template = [
        {
            "kind": "final",
            "authority": [
                {"when": {"category_in": ["人事"]}, "approver": {"position": "mayor"}},
                {"approver": "drafter_director"},
            ],
        }
    ]
    personnel = build_route(template, org(), DocumentFacts(kind="general", category="人事"))
    other = build_route(template, org(), DocumentFacts(kind="general", category="庶務"))
    assert live(personnel) == [("final", (MAYOR,))]
    assert live(other) == [("final", (DIRECTOR,))]


def test_default_templates_are_valid():
    for template in DEFAULT_TEMPLATES.values():
        assert validate_template(template) == []


def test_validation_lists_every_problem():
    errors = validate_template(
        [
            {"kind": "approve", "approver": "someone"},
            {"kind": "consult", "approvers": [{"role": "hr"}], "mode": "n_of_m"},
            {"kind": "review", "approver": "drafter_chief", "when": {"amount_over": 1}},
        ]
    )
    codes = {(e["field"], e["code"]) for e in errors}
    assert ("steps[0].kind", "invalid_kind") in codes
    assert ("steps[0].approver", "invalid_selector") in codes
    assert ("steps[1].required", "invalid_mode") in codes
    assert ("steps[2].when.amount_over", "invalid_condition") in codes
    assert ("steps", "one_final_step") in codes


def test_only_circulate_steps_may_follow_the_final():
    template = [
        {"kind": "final", "approver": "drafter_director"},
        {"kind": "review", "approver": "drafter_chief"},
    ]
    assert [e["code"] for e in validate_template(template)] == ["after_final"]
