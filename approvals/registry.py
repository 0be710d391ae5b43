"""種別の登録: each document kind registers its route builder and its handlers; approvals imports none of them.

Other apps call `register_kind(...)` in their AppConfig.ready(). Every handler receives the Document and runs
inside the transaction that decided it, so an exception rolls the decision back too.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Handler = Callable[[Any], None]
# before_approve(document, *, step_kind, acknowledge_warnings): re-check the kind's rules before an approval and
# raise a core.errors error (e.g. RuleViolation with the warnings not acknowledged) to refuse it.
ApproveCheck = Callable[..., None]
# route_builder(document) -> list[routing.StepSpec]: replaces the kind's route rule for that document.
RouteBuilder = Callable[[Any], list]


@dataclass(frozen=True)
class KindSpec:
    kind: str
    label: str
    route_builder: RouteBuilder | None = None
    on_approved: Handler | None = None
    on_rejected: Handler | None = None
    on_withdrawn: Handler | None = None
    on_returned: Handler | None = None
    before_approve: ApproveCheck | None = None
    bulk_approvable: bool = False  # 一括承認 allowed (approvals.services.documents_bulk_approve)

    def handler(self, event: str) -> Handler | None:
        return getattr(self, f"on_{event}")


_KINDS: dict[str, KindSpec] = {}


def register_kind(
    kind: str,
    *,
    label: str,
    route_builder: RouteBuilder | None = None,
    on_approved: Handler | None = None,
    on_rejected: Handler | None = None,
    on_withdrawn: Handler | None = None,
    on_returned: Handler | None = None,
    before_approve: ApproveCheck | None = None,
    bulk_approvable: bool = False,
) -> KindSpec:
    """Register (or re-register, e.g. on a reload) the handlers of a document kind."""
    from approvals.models import DocumentKind

    if kind not in DocumentKind.values:
        raise ValueError(f"unknown document kind {kind!r}; known: {', '.join(DocumentKind.values)}")
    spec = KindSpec(
        kind=kind,
        label=str(label),
        route_builder=route_builder,
        on_approved=on_approved,
        on_rejected=on_rejected,
        on_withdrawn=on_withdrawn,
        on_returned=on_returned,
        before_approve=before_approve,
        bulk_approvable=bulk_approvable,
    )
    _KINDS[kind] = spec
    return spec


def get_kind(kind: str) -> KindSpec | None:
    return _KINDS.get(kind)


def run_handler(document, event: str) -> None:
    """Run the handler of the document's kind for `event` (approved, rejected, withdrawn, returned), if any.

    It runs inside the deciding transaction, after the document's row lock and before the number counter's:
    the kind's rows come third in `approvals.lock_objects`' order."""
    spec = get_kind(document.kind)
    handler = spec.handler(event) if spec else None
    if handler:
        handler(document)
