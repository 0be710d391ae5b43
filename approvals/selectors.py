"""Reads of approvals shared by the API, the services and other apps: visibility, inbox, 後閲 list."""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection
from django.db.models import Case, CharField, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from approvals.codes import ApprovalsError
from approvals.models import (
    ActedAs,
    ApprovalReminder,
    Decision,
    Delegation,
    Document,
    DocumentStatus,
    DocumentUserObjectPermission,
    KindPolicy,
    ReminderLevel,
    Step,
    StepApprover,
    StepKind,
    StepStatus,
)
from core import batch
from org.models import Absence, Employee, Position

VIEW_CODENAME = "view_document"
INBOX_DOCUMENT_STATUSES = (DocumentStatus.IN_REVIEW, DocumentStatus.APPROVED)


@dataclass(frozen=True)
class Principals:
    """Whom `user` may act for today: delegators (委任, with the kinds covered; empty = all) and absent
    approvers whose deputy the user is (代決)."""

    delegators: dict[int, tuple[str, ...]] = field(default_factory=dict)
    absent: frozenset[int] = frozenset()

    def capacity(self, *, approver_id: int, kind: str) -> str | None:
        """How the user may act for that approver on a document of that kind: delegate, proxy or not at all."""
        if approver_id in self.delegators:
            kinds = self.delegators[approver_id]
            if not kinds or kind in kinds:
                return ActedAs.DELEGATE
        if approver_id in self.absent:
            return ActedAs.PROXY
        return None

    def delegate_filter(self) -> Q:
        """Q over StepApprover: rows of delegators, for the kinds they delegated."""
        q = Q(pk__in=[])
        for delegator_id, kinds in self.delegators.items():
            part = Q(approver_id=delegator_id)
            if kinds:
                part &= Q(step__document__kind__in=kinds)
            q |= part
        return q

    def approver_filter(self) -> Q:
        """Q over StepApprover: rows the user may act on for someone else (委任 or 代決)."""
        q = self.delegate_filter()
        if self.absent:
            q |= Q(approver_id__in=self.absent)
        return q


# 受信箱 and every view of a document ask for the principals: hand-written, as the ORM took longer to compile
# the UNION (with its EXISTS) than the database took to answer it (bench/README.md).
_q = connection.ops.quote_name
_PRINCIPALS_SQL = f"""
SELECT g.{_q("delegator_id")}, g.{_q("kinds")}, 'delegate'
  FROM {_q(Delegation._meta.db_table)} g
 WHERE g.{_q("delegate_id")} = %s AND g.{_q("start")} <= %s AND g.{_q("end")} >= %s AND g.{_q("revoked_at")} IS NULL
UNION ALL
SELECT e.{_q("id")}, NULL, 'proxy'
  FROM {_q(Employee._meta.db_table)} e
 WHERE e.{_q("deputy_id")} = %s AND e.{_q("is_active")} = %s
   AND EXISTS (SELECT 1 FROM {_q(Absence._meta.db_table)} a
                WHERE a.{_q("employee_id")} = e.{_q("id")} AND a.{_q("start")} <= %s AND a.{_q("end")} >= %s
                  AND (a.{_q("created_by_id")} IS NULL OR a.{_q("created_by_id")} <> %s))
"""


def principals_of(*, user: Employee, on: date | None = None) -> Principals:
    """One query: the delegations to the user covering the day (a revoked one no longer counts, from the moment
    of its revocation), and the absent people they deputise, as the two halves of a UNION ALL.

    A 代決 needs an absence that someone else recorded: one the deputy entered themself never lets them act."""
    day = connection.ops.adapt_datefield_value(on or timezone.localdate())
    [rows] = batch.run([(_PRINCIPALS_SQL, [user.pk, day, day, user.pk, True, day, day, user.pk])])
    delegators: dict[int, tuple[str, ...]] = {}
    absent = set()
    for principal_id, kinds, capacity in rows:
        if capacity == ActedAs.PROXY:
            absent.add(principal_id)
            continue
        kinds = json.loads(kinds) if isinstance(kinds, str | bytes) else kinds
        if not kinds or delegators.get(principal_id) == ():
            delegators[principal_id] = ()  # every kind
        else:
            delegators[principal_id] = (*delegators.get(principal_id, ()), *kinds)
    return Principals(delegators=delegators, absent=frozenset(absent))


def has_view_permission(*, user: Employee, document: Document) -> bool:
    return DocumentUserObjectPermission.objects.filter(
        user=user, content_object=document, permission__codename=VIEW_CODENAME
    ).exists()


def acting_rows(*, user: Employee, document: Document, principals: Principals) -> list[StepApprover]:
    """Undecided rows of open steps of the document that the user may decide as a delegate or deputy."""
    if not principals.delegators and not principals.absent:
        return []
    rows = StepApprover.objects.filter(
        principals.approver_filter(),
        step__document=document,
        step__status=StepStatus.WAITING,
        decision=Decision.PENDING,
    )
    return list(rows)


def handled_kinds(*, user: Employee) -> list[str]:
    """The kinds whose policy (種別の文書規程) names a role of the user as one handling them (HR: attendance)."""
    codes = user.role_codes
    return [
        kind for kind, roles in KindPolicy.objects.values_list("kind", "handling_roles") if set(roles) & codes
    ]


def can_view(*, user: Employee, document: Document) -> bool:
    """閲覧可否: the view_document object permission, a role that handles the document's kind, or standing in
    today (委任, 代決) for someone on the route.

    The last keeps a delegate or deputy who loses a race to the approver on a 409, not a 404.
    """
    if not user.is_authenticated:
        return False
    if has_view_permission(user=user, document=document):
        return True
    if document.kind in handled_kinds(user=user):
        return True
    principals = principals_of(user=user)
    if not principals.delegators and not principals.absent:
        return False
    return StepApprover.objects.filter(principals.approver_filter(), step__document=document).exists()


def document_detail_queryset() -> QuerySet[Document]:
    return Document.objects.select_related("drafter", "department", "corrects", "register").prefetch_related(
        Prefetch(
            "steps",
            queryset=Step.objects.select_related("post_review_of")
            .order_by("round", "order")
            .prefetch_related(Prefetch("approvers", queryset=StepApprover.objects.order_by("id"))),
        ),
        "consult_departments",
    )


def document_get(*, document_id: int) -> Document:
    """The document whoever asks (the action decides what they may see or do), or NotFound."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        raise ApprovalsError.DOCUMENT_NOT_FOUND.error()
    return document


def document_for_user(*, document_id: int, user: Employee, queryset: QuerySet | None = None) -> Document:
    """The document if the user may see it; NotFound otherwise (its existence is not revealed)."""
    document = (queryset if queryset is not None else Document.objects.all()).filter(pk=document_id).first()
    if document is None or not can_view(user=user, document=document):
        raise ApprovalsError.DOCUMENT_NOT_FOUND.error()
    return document


def documents_visible_to(
    *, user: Employee, status: str | None = None, kind: str | None = None, mine: bool = False
) -> QuerySet[Document]:
    """文書一覧: documents carrying the user's view permission (guardian direct-FK join), and those of the kinds
    a role of the user handles, filtered."""
    granted = DocumentUserObjectPermission.objects.filter(
        content_object=OuterRef("pk"), user=user, permission__codename=VIEW_CODENAME
    )
    visible = Exists(granted)
    kinds = handled_kinds(user=user)
    if kinds:
        visible |= Q(kind__in=kinds)
    documents = Document.objects.filter(visible).select_related("drafter", "department")
    if status:
        documents = documents.filter(status=status)
    if kind:
        documents = documents.filter(kind=kind)
    if mine:
        documents = documents.filter(drafter=user)
    return documents.order_by("-created_at", "-id")


def inbox_for(*, user: Employee, on: date | None = None) -> QuerySet[StepApprover]:
    """受信箱: every undecided item of an open step waiting for the user now, of every kind, with the items of
    their delegators and of absent approvers they deputise. `acting_as` is annotated: self, delegate, proxy.

    What separation of duties forbids the user is left out: items of documents they drafted, a second row of
    a step in which they already decided one, and another department's 合議 row (as its delegate or deputy)."""
    principals = principals_of(user=user, on=on)
    decided_in_step = StepApprover.objects.filter(step_id=OuterRef("step_id"), decided_by=user)
    other_departments_consult = (
        Q(step__kind=StepKind.CONSULT) & Q(post_department__isnull=False) & ~Q(approver=user)
    )
    if user.department_id is not None:
        other_departments_consult &= ~Q(post_department_id=user.department_id)
    return (
        StepApprover.objects.filter(
            Q(approver=user) | principals.approver_filter(),
            decision=Decision.PENDING,
            step__status=StepStatus.WAITING,
            step__document__status__in=INBOX_DOCUMENT_STATUSES,
        )
        .exclude(step__kind=StepKind.POST_REVIEW)
        .exclude(step__document__drafter=user)
        .exclude(other_departments_consult)
        .exclude(Exists(decided_in_step))
        .annotate(
            acting_as=Case(
                When(approver=user, then=Value(ActedAs.SELF)),
                When(principals.delegate_filter(), then=Value(ActedAs.DELEGATE)),
                default=Value(ActedAs.PROXY),
                output_field=CharField(),
            )
        )
        .select_related(
            "approver", "step", "step__document", "step__document__drafter", "step__document__department"
        )
        .order_by("step__opened_at", "id")
    )


def post_reviews_for(*, user: Employee) -> QuerySet[StepApprover]:
    """後閲待ち: the user's decisions that a deputy took while they were away, not yet acknowledged."""
    return (
        StepApprover.objects.filter(
            approver=user,
            decision=Decision.PENDING,
            step__kind=StepKind.POST_REVIEW,
            step__status=StepStatus.WAITING,
        )
        .select_related(
            "step",
            "step__document",
            "step__document__drafter",
            "step__document__department",
            "step__post_review_of",
        )
        .order_by("step__opened_at", "id")
    )


def delegations_of(*, user: Employee) -> QuerySet[Delegation]:
    """Delegations the user gave or received."""
    return (
        Delegation.objects.filter(Q(delegator=user) | Q(delegate=user))
        .select_related("delegator", "delegate")
        .order_by("-start", "id")
    )


# --- 督促・エスカレーション (reminders) -----------------------------------------------------------------


def reminder_candidates(*, opened_before: datetime) -> list[StepApprover]:
    """督促の候補: undecided inbox items whose step opened before `opened_before` and that were not escalated since;
    `reminded` is annotated. A step reopened (差戻し to it) waits anew: what was sent before its opening does not
    count. One query, with the approver (department, deputy) and the document."""
    sent = ApprovalReminder.objects.filter(
        step_approver=OuterRef("pk"), sent_at__gte=OuterRef("step__opened_at")
    )
    return list(
        StepApprover.objects.filter(
            decision=Decision.PENDING,
            step__status=StepStatus.WAITING,
            step__opened_at__lte=opened_before,
            step__document__status__in=INBOX_DOCUMENT_STATUSES,
        )
        .exclude(step__kind=StepKind.POST_REVIEW)
        .exclude(Exists(sent.filter(level=ReminderLevel.ESCALATION)))
        .annotate(reminded=Exists(sent.filter(level=ReminderLevel.REMINDER)))
        .select_related("step__document", "approver__department", "approver__deputy")
        .order_by("step__opened_at", "id")
    )


def post_review_reminder_candidates(*, opened_before: datetime) -> list[StepApprover]:
    """後閲の督促の候補: unacknowledged 後閲 rows opened before `opened_before`, not reminded yet. One query."""
    return list(
        StepApprover.objects.filter(
            decision=Decision.PENDING,
            step__kind=StepKind.POST_REVIEW,
            step__status=StepStatus.WAITING,
            step__opened_at__lte=opened_before,
        )
        .exclude(
            Exists(
                ApprovalReminder.objects.filter(step_approver=OuterRef("pk"), level=ReminderLevel.POST_REVIEW)
            )
        )
        .select_related("step__document", "approver")
        .order_by("step__opened_at", "id")
    )


def active_delegations_from(*, delegator_ids: Iterable[int], on: date) -> list[Delegation]:
    """Delegations of these delegators covering the day, to active delegates (the delegate loaded). One query."""
    return list(
        Delegation.objects.filter(
            delegator_id__in=list(delegator_ids),
            start__lte=on,
            end__gte=on,
            revoked_at__isnull=True,
            delegate__is_active=True,
        )
        .select_related("delegate")
        .order_by("id")
    )


# Whom an escalation goes to, nearest first: a director's superior is the deputy mayor, and so on; anyone
# below a director goes to their department's director.
SUPERIOR_POSITIONS = {
    Position.MAYOR: (),
    Position.DEPUTY_MAYOR: (Position.MAYOR,),
    Position.DIRECTOR: (Position.DEPUTY_MAYOR, Position.MAYOR),
}
BELOW_DIRECTOR_SUPERIORS = (Position.DIRECTOR, Position.DEPUTY_MAYOR, Position.MAYOR)


def superiors_of(*, employees: Iterable[Employee]) -> dict[int, Employee]:
    """上長 by employee id: a chief's (or any staff's) department director, a director's deputy mayor, the deputy
    mayor's mayor; the next one up when a post is vacant; no entry for the mayor. Two queries."""
    employees = list(employees)
    department_ids = {e.department_id for e in employees if e.position not in SUPERIOR_POSITIONS}
    directors: dict[int, Employee] = {}
    for director in Employee.objects.filter(
        is_active=True, position=Position.DIRECTOR, department_id__in=department_ids
    ).order_by("id"):
        directors.setdefault(director.department_id, director)
    executives: dict[str, Employee] = {}
    for executive in Employee.objects.filter(
        is_active=True, position__in=(Position.DEPUTY_MAYOR, Position.MAYOR)
    ).order_by("id"):
        executives.setdefault(executive.position, executive)
    superiors = {}
    for employee in employees:
        for position in SUPERIOR_POSITIONS.get(employee.position, BELOW_DIRECTOR_SUPERIORS):
            holder = (
                directors.get(employee.department_id)
                if position == Position.DIRECTOR
                else executives.get(position)
            )
            if holder is not None and holder.pk != employee.pk:
                superiors[employee.pk] = holder
                break
    return superiors


def delegation_get(*, delegation_id: int) -> Delegation:
    """The delegation, or NotFound."""
    delegation = Delegation.objects.filter(pk=delegation_id).first()
    if delegation is None:
        raise ApprovalsError.DELEGATION_NOT_FOUND.error()
    return delegation
