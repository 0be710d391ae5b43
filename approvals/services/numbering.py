"""採番と保存年限: the gapless number of the document's register per fiscal year, the retention a document gets
(from the drafter, its category or its kind: never permanent by omission) and the disposal date."""

from datetime import date, datetime

from django.utils import timezone

from approvals import lock_objects
from approvals.codes import ApprovalsError
from approvals.models import Document, DocumentCategory, KindPolicy
from core.errors import CoreError
from org.calendar import fiscal_year, fiscal_year_end


class _Omitted:
    """The retention left out by the caller (as opposed to None, 永年保存 stated explicitly)."""

    def __repr__(self) -> str:
        return "OMITTED"


OMITTED = _Omitted()


def kind_policy(kind: str) -> KindPolicy | None:
    return KindPolicy.objects.select_related("register").filter(kind=kind).first()


def resolve_retention(*, kind: str, category: str, retention_years: "int | _Omitted | None") -> int | None:
    """保存年限: as given (None = 永年保存 stated explicitly); left out, the category's (文書分類表) and then the
    kind's (種別の文書規程). When none of them gives it: 400 `retention_required`."""
    if retention_years is not OMITTED:
        return retention_years
    for source in (
        DocumentCategory.objects.filter(name=category).first() if category else None,
        kind_policy(kind),
    ):
        if source is not None and source.gives_retention:
            return None if source.retention_permanent else source.retention_years
    raise CoreError.INVALID.error(errors=[ApprovalsError.RETENTION_REQUIRED.field("retention_years")])


def assign_number(document: Document, now: datetime) -> None:
    """The number of the kind's register (none for a kind without one), gapless per fiscal year and, for a
    register kept per department, per department; the 決裁年度 and the disposal date. Must hold the document's
    row lock (the counter is locked after it and after the kind's rows)."""
    fy = fiscal_year(timezone.localtime(now).date())
    document.fiscal_year = fy
    document.disposal_date = disposal_date(decided_fiscal_year=fy, retention_years=document.retention_years)
    policy = kind_policy(document.kind)
    register = policy.register if policy else None
    if register is None:
        return
    counter = lock_objects.number_counter_for_update(
        register_id=register.pk,
        department_id=document.department_id if register.per_department else None,
        fiscal_year=fy,
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    document.register = register
    document.number_seq = counter.last
    document.number = register.format_number(n=counter.last, short_name=document.department.short_name)


def disposal_date(*, decided_fiscal_year: int, retention_years: int | None) -> date | None:
    """廃棄予定日: end of the fiscal year of the decision plus the retention years; None = 永年保存."""
    if retention_years is None:
        return None
    return fiscal_year_end(decided_fiscal_year + retention_years)
