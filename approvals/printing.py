"""印刷用の文書: the data of the printable page with its 決裁欄 (every step, who decided, when, for whom)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals.attachments import ATTACHMENT_ADDED, ATTACHMENT_REMOVED
from approvals.audit import document_audit_events
from approvals.models import ActedAs, Action, Document, Step, StepApprover, StepKind, StepStatus
from approvals.models_record import Attachment
from approvals.selectors import document_for_user
from org.calendar import fiscal_year, reiwa_fiscal_label_ja
from org.models import Employee

ACTION_LABELS = {**dict(Action.choices), ATTACHMENT_ADDED: _("添付追加"), ATTACHMENT_REMOVED: _("添付削除")}


@dataclass(frozen=True)
class PrintRow:
    """One approver of one step: who was asked, who decided (self, 委任 or 代決), what and when."""

    approver: Employee
    decision: str
    decided_by: Employee | None
    on_behalf_of: Employee | None
    acted_as: str
    decided_at: datetime | None
    comment: str

    @property
    def is_proxy(self) -> bool:
        return self.acted_as == ActedAs.PROXY


@dataclass(frozen=True)
class PrintStep:
    order: int
    kind: str
    kind_label: str
    mode_label: str
    status: str
    status_label: str
    rows: list[PrintRow]
    post_review_of_order: int | None

    @property
    def is_post_review(self) -> bool:
        return self.kind == StepKind.POST_REVIEW

    @property
    def is_skipped(self) -> bool:
        return self.status == StepStatus.SKIPPED


@dataclass(frozen=True)
class PrintEvent:
    """A line of the 処理記録: an audit event with its action in words."""

    seq: int
    at: datetime
    label: str
    actor: Employee | None
    on_behalf_of: Employee | None
    comment: str
    hash: str


@dataclass(frozen=True)
class PrintSheet:
    document: Document
    steps: list[PrintStep]
    events: list[PrintEvent]
    attachments: list[Attachment]
    fiscal_label: str

    @property
    def grid_steps(self) -> list[PrintStep]:
        """The steps of the 決裁欄 grid, last decision first (right to left on paper): skipped ones left out."""
        return [step for step in reversed(self.steps) if not step.is_skipped]

    @property
    def record_hash(self) -> str:
        """The hash of the document's last audit event: it ties the paper to the chain."""
        return self.events[-1].hash if self.events else ""

    @property
    def record_seq(self) -> int | None:
        return self.events[-1].seq if self.events else None


def _print_queryset():
    approvers = StepApprover.objects.select_related("approver", "decided_by", "on_behalf_of").order_by("id")
    steps = (
        Step.objects.select_related("post_review_of")
        .prefetch_related(Prefetch("approvers", queryset=approvers))
        .order_by("round", "order")
    )
    return Document.objects.select_related("drafter", "department").prefetch_related(
        Prefetch("steps", queryset=steps), "consult_departments"
    )


def document_print_sheet(*, document_id: int, user: Employee) -> PrintSheet:
    """The printable record of a document the user may see (NotFound otherwise)."""
    document = document_for_user(document_id=document_id, user=user, queryset=_print_queryset())
    current_round = max([step.round for step in document.steps.all()], default=0)
    steps = [
        PrintStep(
            order=step.order,
            kind=step.kind,
            kind_label=step.get_kind_display(),
            mode_label=step.get_mode_display() if step.kind == StepKind.CONSULT else "",
            status=step.status,
            status_label=step.get_status_display(),
            rows=[
                PrintRow(
                    approver=row.approver,
                    decision=row.get_decision_display(),
                    decided_by=row.decided_by,
                    on_behalf_of=row.on_behalf_of,
                    acted_as=row.acted_as,
                    decided_at=row.decided_at,
                    comment=row.comment,
                )
                for row in step.approvers.all()
            ],
            post_review_of_order=step.post_review_of.order if step.post_review_of else None,
        )
        for step in document.steps.all()
        if step.round == current_round
    ]
    decided_on = document.decided_at or document.submitted_at or document.created_at
    fy = document.fiscal_year or fiscal_year(timezone.localdate(decided_on))
    return PrintSheet(
        document=document,
        steps=steps,
        events=[
            PrintEvent(
                seq=event.seq,
                at=event.at,
                label=str(ACTION_LABELS.get(event.action, event.action)),
                actor=event.actor,
                on_behalf_of=event.on_behalf_of,
                comment=event.comment,
                hash=event.hash,
            )
            for event in document_audit_events(document=document)
        ],
        attachments=list(Attachment.objects.filter(document=document).order_by("uploaded_at", "id")),
        fiscal_label=reiwa_fiscal_label_ja(fy),
    )
