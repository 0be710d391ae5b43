"""職と在職者: who holds a post of the organisation on a day (its holder, else its designated acting holder),
and the facts the route interpreter needs about a document's drafter (approvals.routing.OrgFacts).

A post is a position in a department (係長: in a section), or a town-wide one (町長, 副町長). The holder of a
section's 係長 post is the section's chief (or, when that chief has left the post, the one 係長 placed in the
section); a drafter outside any section is led by their department's 係長 only when the department has exactly
one (never "the first by id"). A vacant post goes to the acting holder
designated for it (`ActingAppointment`) while the designation covers the day.
"""

from datetime import date

from django.db.models import Q

from approvals import routing
from approvals.models import ActingAppointment, Document
from org.models import Department, Employee, Position


def _acting(*, post: routing.Post, on: date) -> tuple[int, ...]:
    designations = ActingAppointment.objects.filter(
        Q(end__isnull=True) | Q(end__gte=on),
        start__lte=on,
        position=post.position,
        department_id=post.department,
        acting__is_active=True,
    )
    if post.position == Position.CHIEF:
        designations = designations.filter(section_id=post.section)
    return tuple(designations.order_by("id").values_list("acting_id", flat=True)[:1])


def _holders(post: routing.Post) -> tuple[int, ...]:
    active = Employee.objects.filter(is_active=True)
    if post.department is None:
        return tuple(active.filter(position=post.position).order_by("id").values_list("id", flat=True))
    if post.position == Position.CHIEF and post.section is not None:
        # the section's chief (係長) as recorded, while they are still a 係長 of its department; else the one
        # 係長 a 人事異動 placed in the section
        chiefs = active.filter(department_id=post.department, position=Position.CHIEF)
        named = chiefs.filter(sections_led__pk=post.section).values_list("id", flat=True).first()
        if named:
            return (named,)
        placed = tuple(chiefs.filter(section_id=post.section).values_list("id", flat=True)[:2])
        return placed if len(placed) == 1 else ()
    holders = tuple(
        active.filter(department_id=post.department, position=post.position)
        .order_by("id")
        .values_list("id", flat=True)
    )
    if post.position == Position.CHIEF:  # no section named: only an unambiguous 係長 leads
        return holders if len(holders) == 1 else ()
    if post.position == Position.DIRECTOR:
        return holders[:1]
    return holders


def post_holders(*, post: routing.Post, on: date) -> tuple[int, ...]:
    """The post's holders on the day (active employees holding it now), else its acting holder, else ()."""
    return _holders(post) or _acting(post=post, on=on)


def acting_departments(*, employee: Employee, on: date) -> set[int]:
    """The departments whose 課長 post `employee` holds on the day as its acting holder: designated for it,
    the designation covering the day, and the post vacant (org's `manages_department` asks this)."""
    designated = (
        ActingAppointment.objects.filter(
            Q(end__isnull=True) | Q(end__gte=on),
            start__lte=on,
            acting=employee,
            acting__is_active=True,
            position=Position.DIRECTOR,
            department__isnull=False,
        )
        .order_by()
        .values_list("department_id", flat=True)
        .distinct()
    )
    return {
        department_id
        for department_id in designated
        if employee.pk in post_holders(post=routing.Post(Position.DIRECTOR, department_id), on=on)
    }


def org_facts(*, document: Document, template: list[dict], on: date) -> routing.OrgFacts:
    """The organisation as the route of `document` sees it today: the drafter's section chief, 課長補佐 and
    課長, the holders of the positions the template names in the drafter's department, the 課長 of each consult
    department, the town-wide holders of the positions the template names town-wide and of the executive
    posts, and the members of the roles it names. Vacant posts are filled by their acting holders."""
    drafter = document.drafter
    department_id = document.department_id
    section_id = drafter.section_id if drafter.department_id == department_id else None

    def holders(position: str, *, section: int | None = None) -> tuple[int, ...]:
        return post_holders(post=routing.Post(position, department_id, section), on=on)

    director = holders(Position.DIRECTOR)
    chief = holders(Position.CHIEF, section=section_id)
    department_positions = {
        Position.DIRECTOR: director,
        Position.CHIEF: chief,
        Position.ASSISTANT_DIRECTOR: holders(Position.ASSISTANT_DIRECTOR),
    }
    for position in referenced_department_positions(template) - set(department_positions):
        department_positions[position] = holders(position)
    consulted = list(document.consult_departments.order_by("sort_order", "code"))
    consult_heads = [
        next(iter(post_holders(post=routing.Post(Position.DIRECTOR, d.pk), on=on)), None) for d in consulted
    ]
    town = set(routing.TOWN_POSITIONS) | referenced_town_positions(template)
    positions = {position: post_holders(post=routing.Post(position), on=on) for position in town}
    roles = {
        code: tuple(
            Employee.objects.filter(is_active=True, roles__code=code)
            .order_by("id")
            .values_list("id", flat=True)
        )
        for code in routing.referenced_roles(template)
    }
    return routing.OrgFacts(
        drafter=drafter.pk,
        drafter_position=drafter.position,
        chief=chief[0] if chief else None,
        director=director[0] if director else None,
        assistant_directors=department_positions[Position.ASSISTANT_DIRECTOR],
        consult_directors=tuple(consult_heads),
        consult_departments=tuple(d.pk for d in consulted),
        positions=positions,
        department_positions=department_positions,
        roles=roles,
        department=department_id,
        section=section_id,
    )


def referenced_department_positions(template: list[dict]) -> set[str]:
    """Positions the template names within the drafter's department ({"position": p})."""
    return {
        s["position"]
        for s in routing.template_selectors(template)
        if isinstance(s, dict)
        and "position" in s
        and s.get("scope", "department") == "department"
        and s["position"] not in routing.TOWN_POSITIONS
    }


def referenced_town_positions(template: list[dict]) -> set[str]:
    """Positions the template names town-wide ({"position": p, "scope": "town"})."""
    return {
        s["position"]
        for s in routing.template_selectors(template)
        if isinstance(s, dict) and "position" in s and s.get("scope") == "town"
    }


def post_label(post: routing.Post) -> str:
    """「会計課 課長」, 「総務課 総務係 係長」, 「町長」: how an error names a post."""
    position = str(Position(post.position).label)
    if post.department is None:
        return position
    department = Department.objects.filter(pk=post.department).values_list("name", flat=True).first() or ""
    if post.section is not None:
        from org.models import Section

        section = Section.objects.filter(pk=post.section).values_list("name", flat=True).first() or ""
        return f"{department} {section} {position}".strip()
    return f"{department} {position}".strip()
