"""決裁ルートの解釈: a pure interpreter of route-rule templates (no ORM; plain values in, step specs out).

A template is a JSON list of step definitions, tried in order:

    {"kind": "review"|"consult"|"final"|"circulate",
     "approver": <selector>            one approver, or
     "approvers": [<selector>, ...]    a group (a selector may yield several people),
     "authority": [{"when": {...}, "approver": <selector>, "if_vacant": ...}, ...]   専決区分: the first entry
                                        whose condition holds picks the approver (final steps),
     "mode": "all" | "any" | "n_of_m", "required": N (n_of_m),
     "when": {<condition>: value, ...}  the step exists only when every condition holds,
     "skip_if_final": true              drop the step when its approver is the final approver,
     "if_vacant": "skip" | "next_rank" | [<selector>, ...]   when a post the step names is vacant,
     "if_drafter": "skip" | "next_rank" | [<selector>, ...]  when the step would ask the drafter}

Selectors name posts of the organisation or people: "drafter_chief" (係長 of the drafter's section, 係),
"drafter_assistant_director" (課長補佐 of the drafter's department), "drafter_director" (課長),
"consult_directors" (課長 of each consult department), {"position": p} (the holder of p in the drafter's
department; 副町長 and 町長 are town-wide posts), {"position": p, "scope": "town"} (every holder of p in the
town), {"employee": id}, {"role": code}.
Conditions: "drafter_below" / "drafter_at_least": position (the drafter's rank), "amount_lt" / "amount_gte":
yen (no amount counts as 0), "category_in": [..], "has_consult": bool.

A vacant post (nobody holds it, nor its designated acting holder, which the caller has already put in
`OrgFacts`) is handled by the step's `if_vacant`: "skip" drops it (and the step when nobody is left),
"next_rank" asks the next rank up in the same line (係長 → 課長補佐 → 課長 → 副町長 → 町長), a list of selectors
asks the first that yields someone. Without `if_vacant`, 回議 and 供覧 steps skip a vacant post, while a 決裁 or a
合議 step is never dropped: the spec is marked `vacant` and submitting is refused. A 合議 accepts no "skip".

Separation of duties: the drafter never decides their own step. A step that would ask only the drafter is,
by its `if_drafter`, skipped ("skip", the default of every step but the 決裁) or handed to the drafter's
superior ("next_rank", the 決裁's default) or to the first selector of a list that yields someone; the top of the
line (町長) has no superior, so their own 決裁 is skipped and the document is decided on submission; anyone
else whose superiors' posts are all vacant is refused like a vacant post, never decided by themselves. The
drafter is dropped from a group; a 合議 department whose side would be the drafter is vacant.

After building, of two consecutive steps asking the same single person only the later one is kept.
"""

from dataclasses import dataclass, field, replace
from typing import Any

from approvals.codes import ApprovalsError

POSITIONS = ("staff", "senior", "chief", "assistant_director", "director", "deputy_mayor", "mayor")
TOWN_POSITIONS = ("deputy_mayor", "mayor")  # 特別職: one post for the whole town
STEP_KINDS = ("review", "consult", "final", "circulate")
MODES = ("all", "any", "n_of_m")
NAMED_SELECTORS = ("drafter_chief", "drafter_assistant_director", "drafter_director", "consult_directors")
CONDITIONS = ("drafter_below", "drafter_at_least", "amount_lt", "amount_gte", "category_in", "has_consult")
SCOPES = ("department", "town")
FALLBACKS = ("skip", "next_rank")

SKIP_DRAFTER = "drafter"
SKIP_VACANT = "vacant"
SKIP_REPEATED = "repeated"
SKIP_FINAL = "final_approver"

# Each post's line upwards (the rank above first), as selectors of the drafter's department and the town.
NEXT_RANKS: dict[str, tuple[Any, ...]] = {
    "staff": ("drafter_chief", "drafter_assistant_director", "drafter_director"),
    "senior": ("drafter_chief", "drafter_assistant_director", "drafter_director"),
    "chief": ("drafter_assistant_director", "drafter_director"),
    "assistant_director": ("drafter_director",),
    "director": (),
    "deputy_mayor": (),
    "mayor": (),
}
EXECUTIVE_LINE = ({"position": "deputy_mayor"}, {"position": "mayor"})


@dataclass(frozen=True)
class Post:
    """A post a selector names: a position in a department (and section), or a town-wide one (department None).

    A row routed to a post moves to the post's new holder on a 人事異動 (approvals.services.posts)."""

    position: str
    department: int | None = None
    section: int | None = None


@dataclass(frozen=True)
class OrgFacts:
    """What the interpreter needs to know about the organisation, as ids; acting holders (事務取扱・代理) are
    already in place of vacant holders.

    `positions`: the town-wide holders of each position (an id or a tuple of ids); `department_positions`: the
    holders of each position in the drafter's department; `consult_departments`: the consult departments' ids,
    aligned with `consult_directors` (None where the post is vacant)."""

    drafter: int
    drafter_position: str
    chief: int | None = None
    director: int | None = None
    assistant_directors: tuple[int, ...] = ()
    consult_directors: tuple[int | None, ...] = ()
    consult_departments: tuple[int, ...] = ()
    positions: dict[str, Any] = field(default_factory=dict)
    department_positions: dict[str, tuple[int, ...]] = field(default_factory=dict)
    roles: dict[str, tuple[int, ...]] = field(default_factory=dict)
    department: int | None = None
    section: int | None = None


@dataclass(frozen=True)
class DocumentFacts:
    kind: str
    amount: int | None = None
    category: str = ""


@dataclass(frozen=True)
class StepSpec:
    """One step to create: approvers in order (with the post each holds, None for a person or a role),
    `skip_reason` when the step is recorded but skipped, `vacant` the posts nobody can hold (refused)."""

    kind: str
    approvers: tuple[int, ...]
    mode: str = "all"
    required_count: int = 1
    skip_reason: str = ""
    posts: tuple[Post | None, ...] = ()
    vacant: tuple[Post, ...] = ()

    @property
    def skipped(self) -> bool:
        return bool(self.skip_reason)

    def post_of(self, person: int) -> Post | None:
        return dict(zip(self.approvers, self.posts, strict=False)).get(person)


def _rank(position: str) -> int:
    return POSITIONS.index(position)


def _condition_holds(when: dict, org: OrgFacts, doc: DocumentFacts) -> bool:
    amount = doc.amount or 0
    for name, value in when.items():
        if name == "drafter_below" and not _rank(org.drafter_position) < _rank(value):
            return False
        if name == "drafter_at_least" and not _rank(org.drafter_position) >= _rank(value):
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


def _ids(value: Any) -> tuple[int, ...]:
    if value is None:
        return ()
    if isinstance(value, int):
        return (value,)
    return tuple(value)


@dataclass(frozen=True)
class _Found:
    """What a selector yields: people with their posts, and the posts it names that nobody holds."""

    people: tuple[tuple[int, Post | None], ...] = ()
    vacant: tuple[Post, ...] = ()


def _one_post(holders: tuple[int, ...], post: Post) -> _Found:
    if holders:
        return _Found(people=tuple((person, post) for person in holders))
    return _Found(vacant=(post,))


def _select(selector: Any, org: OrgFacts) -> _Found:
    department = org.department
    if selector == "drafter_chief":
        return _one_post(_ids(org.chief), Post("chief", department, org.section))
    if selector == "drafter_assistant_director":
        return _one_post(_ids(org.assistant_directors), Post("assistant_director", department))
    if selector == "drafter_director":
        return _one_post(_ids(org.director), Post("director", department))
    if selector == "consult_directors":
        people, vacant = [], []
        departments = org.consult_departments or (None,) * len(org.consult_directors)
        for consulted, head in zip(departments, org.consult_directors, strict=True):
            post = Post("director", consulted)
            if head is None or head == org.drafter:
                vacant.append(post)
            else:
                people.append((head, post))
        return _Found(people=tuple(people), vacant=tuple(vacant))
    if "position" in selector:
        position = selector["position"]
        if position in TOWN_POSITIONS or selector.get("scope") == "town":
            return _one_post(_ids(org.positions.get(position)), Post(position))
        return _one_post(_ids(org.department_positions.get(position)), Post(position, department, None))
    if "employee" in selector:
        return _Found(people=((selector["employee"], None),))
    return _Found(people=tuple((person, None) for person in org.roles.get(selector["role"], ())))


def _merge(found: list[_Found]) -> _Found:
    people: list[tuple[int, Post | None]] = []
    vacant: list[Post] = []
    for item in found:
        people += [(p, post) for p, post in item.people if p not in {q for q, _ in people}]
        vacant += [post for post in item.vacant if post not in vacant]
    return _Found(people=tuple(people), vacant=tuple(vacant))


def _line_above(position: str) -> tuple[Any, ...]:
    """The selectors of the ranks above a post, nearest first (the department's line, then the executives)."""
    if position == "mayor":
        return ()
    if position == "deputy_mayor":
        return ({"position": "mayor"},)
    return (*NEXT_RANKS.get(position, ()), *EXECUTIVE_LINE)


def _next_position(position: str) -> str:
    """The executive post named when nobody above a post can be found (the line ends with the executives)."""
    return "mayor" if position == "deputy_mayor" else "deputy_mayor"


def _fallback(rule: Any, *, position: str, org: OrgFacts) -> _Found:
    """The first selector of the fallback (`next_rank`: the line above `position`) that yields someone other
    than the drafter; nothing when none does."""
    selectors = _line_above(position) if rule == "next_rank" else tuple(rule)
    for selector in selectors:
        people = tuple((p, post) for p, post in _select(selector, org).people if p != org.drafter)
        if people:
            return _Found(people=people)
    return _Found()


def _definition_source(definition: dict, org: OrgFacts, doc: DocumentFacts) -> tuple[list, dict]:
    """The selectors that apply and the entry whose fallbacks count (the 専決 entry, or the step itself)."""
    if "authority" in definition:
        for entry in definition["authority"]:
            if _condition_holds(entry.get("when", {}), org, doc):
                return [entry["approver"]], {**definition, **entry}
        return [], definition
    if "approver" in definition:
        return [definition["approver"]], definition
    return list(definition["approvers"]), definition


def _default_if_vacant(kind: str) -> Any:
    return "skip" if kind in ("review", "circulate") else None


def _default_if_drafter(kind: str) -> Any:
    return "next_rank" if kind == "final" else "skip"


def _step_people(definition: dict, org: OrgFacts, doc: DocumentFacts) -> tuple[_Found, str]:
    """The step's approvers after the vacancy and drafter rules, and a skip reason when it is skipped."""
    kind = definition["kind"]
    selectors, rules = _definition_source(definition, org, doc)
    found = _merge([_select(selector, org) for selector in selectors])
    people, vacant = list(found.people), list(found.vacant)
    if_vacant = rules.get("if_vacant", _default_if_vacant(kind))
    if vacant and kind != "consult" and if_vacant is not None:
        still_vacant = []
        for post in vacant:
            if if_vacant == "skip":
                continue
            extra = _fallback(if_vacant, position=post.position, org=org).people
            people += [(p, q) for p, q in extra if p not in {r for r, _ in people}]
            if not extra:
                still_vacant.append(post)
        vacant = still_vacant
    only_drafter = bool(people) and {p for p, _ in people} == {org.drafter}
    if only_drafter and not vacant:
        if_drafter = rules.get("if_drafter", _default_if_drafter(kind))
        if if_drafter == "skip":
            return _Found(people=tuple(people)), SKIP_DRAFTER
        post = people[0][1]
        position = post.position if post else org.drafter_position
        if if_drafter == "next_rank" and not _line_above(position):
            return _Found(people=tuple(people)), SKIP_DRAFTER  # the top of the line (町長): nobody above
        superiors = _fallback(if_drafter, position=position, org=org).people
        if not superiors:  # the posts above are vacant: never decided by the drafter instead
            return _Found(vacant=(Post(_next_position(position), None),)), ""
        people = list(superiors)
    people = [(p, post) for p, post in people if p != org.drafter]
    if not people and not vacant:
        return _Found(), SKIP_VACANT
    return _Found(people=tuple(people), vacant=tuple(vacant)), ""


def build_route(template: list[dict], org: OrgFacts, doc: DocumentFacts) -> list[StepSpec]:
    """Interpret a validated template for one document; skipped steps are returned too, marked, and steps
    with posts nobody can hold are marked `vacant` (the caller refuses the submission)."""
    chosen = [d for d in template if _condition_holds(d.get("when", {}), org, doc)]
    resolved = [(d, *_step_people(d, org, doc)) for d in chosen]
    final_people = next(
        (tuple(p for p, _ in found.people) for d, found, _skip in resolved if d["kind"] == "final"), ()
    )
    specs: list[StepSpec] = []
    for definition, found, skip in resolved:
        consults_departments = "consult_directors" in definition.get("approvers", ())
        if definition["kind"] == "consult" and consults_departments and not org.consult_directors:
            continue  # no consult departments: no 合議 step at all
        people = tuple(p for p, _ in found.people)
        posts = tuple(post for _, post in found.people)
        mode = definition.get("mode", "all")
        if not skip and definition.get("skip_if_final") and people and people == final_people:
            skip = SKIP_FINAL
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
                posts=posts,
                vacant=found.vacant,
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


def referenced_roles(template: list[dict]) -> set[str]:
    return {s["role"] for s in template_selectors(template) if isinstance(s, dict) and "role" in s}


def _fallback_selectors(entry: dict) -> list:
    found: list = []
    for key in ("if_vacant", "if_drafter"):
        if isinstance(entry.get(key), list):
            found += entry[key]
    return found


def template_selectors(template: list[dict]) -> list:
    found: list = []
    for definition in template:
        if "approver" in definition:
            found.append(definition["approver"])
        found += list(definition.get("approvers", ()))
        found += _fallback_selectors(definition)
        for entry in definition.get("authority", ()):
            found.append(entry.get("approver"))
            found += _fallback_selectors(entry)
    return found


def _selector_errors(selector: Any, where: str) -> list[dict]:
    if isinstance(selector, str) and selector in NAMED_SELECTORS:
        return []
    if (
        isinstance(selector, dict)
        and selector.keys() in ({"position"}, {"position", "scope"})
        and selector["position"] in POSITIONS
        and selector.get("scope", "department") in SCOPES
    ):
        return []
    if isinstance(selector, dict) and len(selector) == 1:
        ((name, value),) = selector.items()
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
            or (name in ("drafter_below", "drafter_at_least") and value not in POSITIONS)
            or (name in ("amount_lt", "amount_gte") and not isinstance(value, int))
            or (name == "category_in" and not isinstance(value, list))
            or (name == "has_consult" and not isinstance(value, bool))
        )
        if bad:
            errors.append(ApprovalsError.INVALID_CONDITION.field(f"{where}.{name}", f"bad condition {name}"))
    return errors


def _fallback_errors(entry: dict, where: str, kind: Any) -> list[dict]:
    """`if_vacant` / `if_drafter`: "skip", "next_rank" or a non-empty list of selectors; a 合議 or a 決裁 is
    never skipped for a vacancy."""
    errors = []
    for key in ("if_vacant", "if_drafter"):
        if key not in entry:
            continue
        value, place = entry[key], f"{where}.{key}"
        if isinstance(value, list) and value:
            for j, selector in enumerate(value):
                errors += _selector_errors(selector, f"{place}[{j}]")
        elif value not in FALLBACKS:
            errors.append(ApprovalsError.INVALID_STEP.field(place, f"{key}: skip, next_rank or selectors"))
        elif key == "if_vacant" and value == "skip" and kind in ("consult", "final"):
            errors.append(ApprovalsError.INVALID_STEP.field(place, f"a {kind} step is never skipped"))
    if kind == "consult" and "if_vacant" in entry:
        errors.append(ApprovalsError.INVALID_STEP.field(f"{where}.if_vacant", "a consult is never dropped"))
    return errors


def _authority_errors(entries: Any, where: str, kind: Any) -> list[dict]:
    if not isinstance(entries, list) or not entries:
        return [ApprovalsError.INVALID_STEP.field(where, "a list is required")]
    errors: list[dict] = []
    for j, entry in enumerate(entries):
        if not isinstance(entry, dict) or "approver" not in entry:
            errors.append(ApprovalsError.INVALID_STEP.field(f"{where}[{j}]", "approver required"))
            continue
        errors += _selector_errors(entry["approver"], f"{where}[{j}].approver")
        errors += _when_errors(entry.get("when", {}), f"{where}[{j}].when")
        errors += _fallback_errors(entry, f"{where}[{j}]", kind)
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
            errors += _authority_errors(definition["authority"], f"{where}.authority", kind)
        errors += _when_errors(definition.get("when", {}), f"{where}.when")
        errors += _fallback_errors(definition, where, kind)
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


# 専決区分 of the demo town: the 町長's and 副町長's own documents go to the 町長; under ¥100,000 the 課長
# decides (the 副町長 when the post is vacant); under ¥1,000,000 the 副町長; above it the 町長.
DEFAULT_AUTHORITY = [
    {"when": {"drafter_at_least": "deputy_mayor"}, "approver": {"position": "mayor"}},
    {"when": {"amount_lt": 100_000}, "approver": "drafter_director", "if_vacant": "next_rank"},
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
    # 休暇: the section chief reviews, the 課長 decides; a long sick leave (document category `sick_long`,
    # leave.services) is reviewed by the 課長 and decided by the 副町長
    "leave": [
        {
            "kind": "review",
            "approver": "drafter_chief",
            "when": {"drafter_below": "chief"},
            "skip_if_final": True,
        },
        {
            "kind": "review",
            "approver": "drafter_director",
            "when": {"category_in": ["sick_long"]},
            "skip_if_final": True,
        },
        {
            "kind": "final",
            "authority": [
                {"when": {"category_in": ["sick_long"]}, "approver": {"position": "deputy_mayor"}},
                {"approver": "drafter_director", "if_vacant": "next_rank"},
            ],
        },
    ],
}

# The demo town's own 回議 line through the 課長補佐 (published by `manage.py demo` as the town's rule).
TOWN_GENERAL_TEMPLATE: list[dict] = [
    {"kind": "review", "approver": "drafter_chief", "when": {"drafter_below": "chief"}},
    {
        "kind": "review",
        "approver": "drafter_assistant_director",
        "when": {"drafter_below": "assistant_director"},
    },
    *DEFAULT_TEMPLATES["general"][1:],
]
