"""採番と保存年限: the gapless 文書番号 of the department's register per fiscal year, and the disposal date."""

from datetime import date, datetime

from django.utils import timezone

from approvals import lock_objects
from approvals.models import Document
from org.calendar import fiscal_year, fiscal_year_end


def assign_number(document: Document, now: datetime) -> None:
    """文書番号 {short_name}第{n}号, gapless per department and fiscal year: must hold the document's row lock
    (the counter is locked after it and after the kind's rows)."""
    fy = fiscal_year(timezone.localtime(now).date())
    counter = lock_objects.number_counter_for_update(department_id=document.department_id, fiscal_year=fy)
    counter.last += 1
    counter.save(update_fields=["last"])
    document.fiscal_year = fy
    document.number_seq = counter.last
    document.number = f"{document.department.short_name}第{counter.last}号"
    document.disposal_date = disposal_date(decided_fiscal_year=fy, retention_years=document.retention_years)


def disposal_date(*, decided_fiscal_year: int, retention_years: int | None) -> date | None:
    """廃棄予定日: end of the fiscal year of the decision plus the retention years; None = 永年保存."""
    if retention_years is None:
        return None
    return fiscal_year_end(decided_fiscal_year + retention_years)
