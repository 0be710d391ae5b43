"""The route interpreter and the organisation as it is (issue 11): the section chief and the 課長補佐 as selectors,
専決 by the drafter's rank, positions within the drafter's department, vacant posts and the drafter's own step."""

import pytest

from approvals.routing import (
    DEFAULT_TEMPLATES,
    SKIP_DRAFTER,
    SKIP_VACANT,
    TOWN_GENERAL_TEMPLATE,
    DocumentFacts,
    OrgFacts,
    Post,
    build_route,
    validate_template,
)

STAFF, CHIEF, ASSISTANT, DIRECTOR, DEPUTY, MAYOR, KAIKEI, KIKAKU = 1, 2, 3, 4, 5, 6, 7, 8
SOMU, KAIKEI_DEPT, KIKAKU_DEPT, SECTION = 10, 11, 12, 20


def org(drafter=STAFF, position="staff", **overrides):
    facts = {
        "drafter": drafter,
        "drafter_position": position,
        "chief": CHIEF,
        "director": DIRECTOR,
        "assistant_directors": (ASSISTANT,),
        "positions": {"deputy_mayor": (DEPUTY,), "mayor": (MAYOR,)},
        "department_positions": {"director": (DIRECTOR,), "chief": (CHIEF,)},
        "department": SOMU,
        "section": SECTION,
    }
    return OrgFacts(**{**facts, **overrides})


def live(specs):
    return [(s.kind, s.approvers) for s in specs if not s.skipped]


def general(amount, template=None, **kwargs):
    return build_route(
        template or DEFAULT_TEMPLATES["general"], org(**kwargs), DocumentFacts(kind="general", amount=amount)
    )


def test_the_town_rule_goes_through_the_section_chief_and_the_assistant_director():
    assert live(general(50_000, TOWN_GENERAL_TEMPLATE)) == [
        ("review", (CHIEF,)),
        ("review", (ASSISTANT,)),
        ("final", (DIRECTOR,)),
    ]


def test_the_assistant_director_drafting_skips_their_own_line():
    specs = general(50_000, TOWN_GENERAL_TEMPLATE, drafter=ASSISTANT, position="assistant_director")
    assert live(specs) == [("final", (DIRECTOR,))]


def test_the_section_chief_step_names_the_post():
    specs = general(50_000)
    assert specs[0].posts == (Post("chief", SOMU, SECTION),)
    assert specs[-1].posts == (Post("director", SOMU),)


@pytest.mark.parametrize("position", ["mayor", "deputy_mayor"])
def test_the_mayors_and_deputy_mayors_own_documents_go_to_the_mayor(position):
    drafter = MAYOR if position == "mayor" else DEPUTY
    specs = general(50_000, drafter=drafter, position=position, chief=None, director=None)
    final = specs[-1]
    if position == "mayor":
        # the top of the line decides their own matters: nobody above, decided on submission
        assert (final.kind, final.skip_reason) == ("final", SKIP_DRAFTER)
    else:
        assert live(specs) == [("final", (MAYOR,))]


def test_the_drafters_own_decision_goes_to_the_superior_or_is_refused():
    assert live(general(50_000, drafter=DIRECTOR, position="director")) == [("final", (DEPUTY,))]
    no_executives = general(50_000, drafter=DIRECTOR, position="director", positions={})
    assert no_executives[-1].vacant == (Post("deputy_mayor"),)
    assert not no_executives[-1].skipped


def test_if_drafter_names_a_role():
    template = [{"kind": "final", "approver": "drafter_director", "if_drafter": [{"role": "hr"}]}]
    specs = build_route(
        template,
        org(drafter=DIRECTOR, position="director", roles={"hr": (KAIKEI, DIRECTOR)}),
        DocumentFacts(kind="timesheet"),
    )
    assert live(specs) == [("final", (KAIKEI,))]


def test_a_position_resolves_within_the_drafters_department_unless_town_wide():
    template = [{"kind": "final", "approver": {"position": "director"}}]
    town_wide = [{"kind": "final", "approver": {"position": "director", "scope": "town"}}]
    facts = org(positions={"director": (DIRECTOR, KAIKEI, KIKAKU)})
    assert live(build_route(template, facts, DocumentFacts(kind="general"))) == [("final", (DIRECTOR,))]
    assert live(build_route(town_wide, facts, DocumentFacts(kind="general"))) == [
        ("final", (DIRECTOR, KAIKEI, KIKAKU))
    ]


def test_a_vacant_director_passes_the_small_decision_to_the_deputy_mayor():
    specs = general(50_000, director=None)
    assert live(specs) == [("review", (CHIEF,)), ("final", (DEPUTY,))]
    assert specs[1].skip_reason == SKIP_VACANT  # the 課長's review (a 回議) is skipped


def test_a_vacant_final_without_a_fallback_is_marked_vacant():
    template = [{"kind": "final", "approver": "drafter_director"}]
    specs = build_route(template, org(director=None), DocumentFacts(kind="telework"))
    assert specs[0].vacant == (Post("director", SOMU),)
    assert specs[0].approvers == ()


def test_if_vacant_lists_fallback_selectors():
    template = [{"kind": "final", "approver": "drafter_director", "if_vacant": [{"employee": KIKAKU}]}]
    specs = build_route(template, org(director=None), DocumentFacts(kind="general"))
    assert live(specs) == [("final", (KIKAKU,))]


def test_a_consult_department_without_its_director_is_never_dropped():
    specs = general(
        500_000,
        consult_directors=(KAIKEI, None),
        consult_departments=(KAIKEI_DEPT, KIKAKU_DEPT),
    )
    consult = next(s for s in specs if s.kind == "consult")
    assert consult.approvers == (KAIKEI,)
    assert consult.vacant == (Post("director", KIKAKU_DEPT),)
    assert not consult.skipped


def test_templates_may_not_skip_a_vacant_consult_or_final():
    errors = validate_template(
        [
            {"kind": "consult", "approvers": ["consult_directors"], "if_vacant": "skip"},
            {"kind": "review", "approver": {"position": "chief", "scope": "nowhere"}},
            {"kind": "final", "approver": "drafter_director", "if_vacant": "skip"},
        ]
    )
    assert {(e["field"], e["code"]) for e in errors} == {
        ("steps[0].if_vacant", "invalid_step"),
        ("steps[1].approver", "invalid_selector"),
        ("steps[2].if_vacant", "invalid_step"),
    }


def test_the_new_selectors_and_conditions_validate():
    assert validate_template(TOWN_GENERAL_TEMPLATE) == []
    assert (
        validate_template(
            [
                {
                    "kind": "final",
                    "authority": [
                        {"when": {"drafter_at_least": "director"}, "approver": {"position": "mayor"}},
                        {"approver": "drafter_director", "if_vacant": "next_rank", "if_drafter": "next_rank"},
                    ],
                }
            ]
        )
        == []
    )
