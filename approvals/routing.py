"""決裁ルートの解釈: a pure interpreter of route-rule templates (no ORM; plain values in, step specs out).

A template is a JSON list of step definitions, tried in order:

    {"kind": "review"|"consult"|"final"|"circulate",
     "approver": <selector>            one approver, or
     "approvers": [<selector>, ...]    a group (a selector may yield several people),
     "authority": [{"when": {...}, "approver": <selector>}, ...]   専決区分: the first entry whose
                                        condition holds picks the approver (final steps),
     "mode": "all" | "any" | "n_of_m", "required": N (n_of_m),
     "when": {<condition>: value, ...}  the step exists only when every condition holds,
     "skip_if_final": true              drop the step when its approver is the final approver}

Selectors: "drafter_chief" (係長 of the drafter's department), "drafter_director" (課長), "consult_directors"
(課長 of each consult department), {"position": "deputy_mayor"|"mayor"|...}, {"employee": id}, {"role": code}.
Conditions: "drafter_below": position (the drafter ranks below it), "amount_lt" / "amount_gte": yen (no amount
counts as 0), "category_in": [..], "has_consult": bool.

After building: a step whose approver is the drafter is skipped (the drafter is dropped from a group, and the
group is skipped if nobody is left), a step without any approver (a vacant post) is skipped, and of two
consecutive steps asking the same single person only the later one is kept.
"""

from dataclasses import dataclass, field, replace
from typing import Any

from approvals.codes import ApprovalsError

POSITIONS = ("staff", "senior", "chief", "assistant_director", "director", "deputy_mayor", "mayor")
STEP_KINDS = ("review", "consult", "final", "circulate")
MODES = ("all", "any", "n_of_m")
NAMED_SELECTORS = ("drafter_chief", "drafter_director", "consult_directors")
CONDITIONS = ("drafter_below", "amount_lt", "amount_gte", "category_in", "has_consult")

SKIP_DRAFTER = "drafter"
SKIP_VACANT = "vacant"
SKIP_REPEATED = "repeated"
SKIP_FINAL = "final_approver"


@dataclass(frozen=True)
class OrgFacts:
    """What the interpreter needs to know about the organisation, as employee ids."""

    drafter: int
    drafter_position: str
    chief: int | None = None
    director: int | None = None
    consult_directors: tuple[int, ...] = ()
    positions: dict[str, int | None] = field(default_factory=dict)
    roles: dict[str, tuple[int, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class DocumentFacts:
    kind: str
    amount: int | None = None
    category: str = ""


@dataclass(frozen=True)
class StepSpec:
    """One step to create: approvers in order, and `skip_reason` when the step is recorded but skipped."""

    kind: str
    approvers: tuple[int, ...]
    mode: str = "all"
    required_count: int = 1
    skip_reason: str = ""

    @property
    def skipped(self) -> bool:
        return bool(self.skip_reason)


def _rank(position: str) -> int:
    return POSITIONS.index(position)


def _condition_holds(when: dict, org: OrgFacts, doc: DocumentFacts) -> bool:
    amount = doc.amount or 0
    for name, value in when.items():
        if name == "drafter_below" and not _rank(org.drafter_position) < _rank(value):
            return False
        if name == "amount_lt" and not amount < value:
            return False
        if name == "amount_gte" and not amount >= value:
            return False
        if name == "category_in" and doc.category not in value:
            return False
        if name == "has_consult" and bool(org.consult_directors) != bool(value):
            return False
    return True


def _select(selector: Any, org: OrgFacts) -> tuple[int, ...]:
    if selector == "drafter_chief":
        found: tuple = (org.chief,)
    elif selector == "drafter_director":
        found = (org.director,)
    elif selector == "consult_directors":
        found = org.consult_directors
    elif "position" in selector:
        found = (org.positions.get(selector["position"]),)
    elif "employee" in selector:
        found = (selector["employee"],)
    else:
        found = org.roles.get(selector["role"], ())
    unique: list[int] = []
    for person in found:
        if person is not None and person not in unique:
            unique.append(person)
    return tuple(unique)


def _step_approvers(definition: dict, org: OrgFacts, doc: DocumentFacts) -> tuple[int, ...]:
    if "authority" in definition:
        for entry in definition["authority"]:
            if _condition_holds(entry.get("when", {}), org, doc):
                return _select(entry["approver"], org)
        return ()
    if "approver" in definition:
        return _select(definition["approver"], org)
    people: list[int] = []
    for selector in definition["approvers"]:
        people += [p for p in _select(selector, org) if p not in people]
    return tuple(people)


def build_route(template: list[dict], org: OrgFacts, doc: DocumentFacts) -> list[StepSpec]:
    """Interpret a validated template for one document; skipped steps are returned too, marked."""
    chosen = [d for d in template if _condition_holds(d.get("when", {}), org, doc)]
    resolved = [(d, _step_approvers(d, org, doc)) for d in chosen]
    final_people = next((people for d, people in resolved if d["kind"] == "final"), ())
    specs: list[StepSpec] = []
    for definition, people in resolved:
        if (
            definition["kind"] == "consult"
            and not people
            and "consult_directors" in definition.get("approvers", ())
        ):
            continue  # no consult departments: no 合議 step at all
        mode = definition.get("mode", "all")
        skip = ""
        if definition.get("skip_if_final") and people and people == final_people:
            skip = SKIP_FINAL
        elif people == (org.drafter,):
            skip = SKIP_DRAFTER
        elif org.drafter in people:
            people = tuple(p for p in people if p != org.drafter)
        if not people and not skip:
            skip = SKIP_VACANT
        required = 1
        if mode == "all":
            required = max(len(people), 1)
        elif mode == "n_of_m":
            required = min(int(definition.get("required", 1)), max(len(people), 1))
        specs.append(
            StepSpec(
                kind=definition["kind"],
                approvers=people,
                mode=mode,
                required_count=required,
                skip_reason=skip,
            )
        )
    return collapse_repeats(specs)


def collapse_repeats(specs: list[StepSpec]) -> list[StepSpec]:
    """Never ask the same single person twice in a row: the earlier of two such steps is skipped."""
    result = list(specs)
    previous: int | None = None
    for index, spec in enumerate(result):
        if spec.skipped:
            continue
        earlier = result[previous] if previous is not None else None
        if earlier is not None and len(spec.approvers) == 1 and spec.approvers == earlier.approvers:
            result[previous] = replace(earlier, skip_reason=SKIP_REPEATED)
        previous = index
    return result


def referenced_positions(template: list[dict]) -> set[str]:
    return {s["position"] for s in _selectors(template) if isinstance(s, dict) and "position" in s}


def referenced_roles(template: list[dict]) -> set[str]:
    return {s["role"] for s in _selectors(template) if isinstance(s, dict) and "role" in s}


def _selectors(template: list[dict]) -> list:
    found: list = []
    for definition in template:
        if "approver" in definition:
            found.append(definition["approver"])
        found += list(definition.get("approvers", ()))
        found += [entry.get("approver") for entry in definition.get("authority", ())]
    return found


def _selector_errors(selector: Any, where: str) -> list[dict]:
    if isinstance(selector, str) and selector in NAMED_SELECTORS:
        return []
    if isinstance(selector, dict) and len(selector) == 1:
        ((name, value),) = selector.items()
        if name == "position" and value in POSITIONS:
            return []
        if name == "employee" and isinstance(value, int):
            return []
        if name == "role" and isinstance(value, str) and value:
            return []
    return [ApprovalsError.INVALID_SELECTOR.field(where, f"unknown approver selector {selector!r}")]


def _when_errors(when: Any, where: str) -> list[dict]:
    if not isinstance(when, dict):
        return [ApprovalsError.INVALID_CONDITION.field(where, "a condition must be an object")]
    errors = []
    for name, value in when.items():
        bad = (
            name not in CONDITIONS
            or (name == "drafter_below" and value not in POSITIONS)
            or (name in ("amount_lt", "amount_gte") and not isinstance(value, int))
            or (name == "category_in" and not isinstance(value, list))
            or (name == "has_consult" and not isinstance(value, bool))
        )
        if bad:
            errors.append(ApprovalsError.INVALID_CONDITION.field(f"{where}.{name}", f"bad condition {name}"))
    return errors


def validate_template(template: Any) -> list[dict]:
    """Every problem of a template as [{field, code, message, params}]; empty when the interpreter can read it.

    The messages name the template's own terms (kinds, selectors, conditions), in English."""
    if not isinstance(template, list) or not template:
        return [ApprovalsError.INVALID_TEMPLATE.field("steps", "a non-empty list of steps is required")]
    errors: list[dict] = []
    finals = 0
    for index, definition in enumerate(template):
        where = f"steps[{index}]"
        if not isinstance(definition, dict):
            errors.append(ApprovalsError.INVALID_STEP.field(where, "a step must be an object"))
            continue
        kind = definition.get("kind")
        if kind not in STEP_KINDS:
            errors.append(
                ApprovalsError.INVALID_KIND.field(f"{where}.kind", f"kind must be one of {STEP_KINDS}")
            )
        finals += kind == "final"
        sources = [key for key in ("approver", "approvers", "authority") if key in definition]
        if len(sources) != 1:
            errors.append(
                ApprovalsError.INVALID_STEP.field(where, "exactly one of approver, approvers, authority")
            )
        if "approver" in definition:
            errors += _selector_errors(definition["approver"], f"{where}.approver")
        if "approvers" in definition:
            if not isinstance(definition["approvers"], list) or not definition["approvers"]:
                errors.append(ApprovalsError.INVALID_STEP.field(f"{where}.approvers", "a list is required"))
            else:
                for j, selector in enumerate(definition["approvers"]):
                    errors += _selector_errors(selector, f"{where}.approvers[{j}]")
        if "authority" in definition:
            entries = definition["authority"]
            if not isinstance(entries, list) or not entries:
                errors.append(ApprovalsError.INVALID_STEP.field(f"{where}.authority", "a list is required"))
            else:
                for j, entry in enumerate(entries):
                    if not isinstance(entry, dict) or "approver" not in entry:
                        errors.append(
                            ApprovalsError.INVALID_STEP.field(f"{where}.authority[{j}]", "approver required")
                        )
                        continue
                    errors += _selector_errors(entry["approver"], f"{where}.authority[{j}].approver")
                    errors += _when_errors(entry.get("when", {}), f"{where}.authority[{j}].when")
        errors += _when_errors(definition.get("when", {}), f"{where}.when")
        mode = definition.get("mode", "all")
        if mode not in MODES:
            errors.append(ApprovalsError.INVALID_MODE.field(f"{where}.mode", f"mode must be one of {MODES}"))
        if mode == "n_of_m" and not (
            isinstance(definition.get("required"), int) and definition["required"] >= 1
        ):
            errors.append(
                ApprovalsError.INVALID_MODE.field(f"{where}.required", "n_of_m needs required >= 1")
            )
    if finals != 1:
        errors.append(ApprovalsError.ONE_FINAL_STEP.field("steps", "exactly one final step is required"))
    kinds = [d.get("kind") for d in template if isinstance(d, dict)]
    if "final" in kinds and any(kind != "circulate" for kind in kinds[kinds.index("final") + 1 :]):
        errors.append(
            ApprovalsError.AFTER_FINAL.field("steps", "only circulate steps may follow the final step")
        )
    return errors


# 専決区分 of the demo town: under ¥100,000 the director, under ¥1,000,000 the deputy mayor, above it the mayor.
DEFAULT_AUTHORITY = [
    {"when": {"amount_lt": 100_000}, "approver": "drafter_director"},
    {"when": {"amount_lt": 1_000_000}, "approver": {"position": "deputy_mayor"}},
    {"approver": {"position": "mayor"}},
]

DEFAULT_TEMPLATES: dict[str, list[dict]] = {
    "general": [
        {"kind": "review", "approver": "drafter_chief", "when": {"drafter_below": "chief"}},
        {"kind": "review", "approver": "drafter_director", "skip_if_final": True},
        {"kind": "consult", "approvers": ["consult_directors"], "mode": "all"},
        {"kind": "review", "approver": {"position": "deputy_mayor"}, "when": {"amount_gte": 1_000_000}},
        {"kind": "final", "authority": DEFAULT_AUTHORITY},
    ],
    "telework": [
        {
            "kind": "review",
            "approver": "drafter_chief",
            "when": {"drafter_below": "chief"},
            "skip_if_final": True,
        },
        {"kind": "final", "approver": "drafter_director"},
    ],
    "attendance_correction": [{"kind": "final", "approver": "drafter_director"}],
    "timesheet": [{"kind": "final", "approver": "drafter_director"}],
    "overtime": [{"kind": "final", "approver": "drafter_director"}],
}
