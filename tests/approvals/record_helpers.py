"""Builders for the record tests (attachments, audit trail, print page): a small department and documents
that go through the real approval services."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from approvals.models import Document
from approvals.services import document_approve, document_create, document_submit
from org.models import Absence, Department, Employee, Position
from tests.factories import DepartmentFactory, EmployeeFactory

PDF_BYTES = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17


@dataclass
class Office:
    """総務課 with a drafter, a 係長, a 課長 and the 課長's deputy (課長補佐), plus an outsider elsewhere."""

    department: Department
    drafter: Employee
    chief: Employee
    director: Employee
    deputy: Employee
    outsider: Employee


def make_office() -> Office:
    department = DepartmentFactory(code="somu", name="総務課", short_name="南富総")
    deputy = EmployeeFactory(
        username="hosa", name="補佐 花子", department=department, position=Position.ASSISTANT_DIRECTOR
    )
    director = EmployeeFactory(
        username="kacho", name="課長 太郎", department=department, position=Position.DIRECTOR, deputy=deputy
    )
    chief = EmployeeFactory(
        username="kakaricho", name="係長 次郎", department=department, position=Position.CHIEF
    )
    drafter = EmployeeFactory(
        username="kian", name="起案 三郎", department=department, position=Position.STAFF
    )
    other = DepartmentFactory(code="kikaku", name="企画課", short_name="南富企")
    outsider = EmployeeFactory(username="yoso", name="他課 四郎", department=other)
    return Office(department, drafter, chief, director, deputy, outsider)


def make_draft(office: Office, *, title: str = "備品購入について") -> Document:
    return document_create(
        kind="general", drafter=office.drafter, title=title, body="本文です。", retention_years=5
    )


def make_submitted(office: Office, **kwargs) -> Document:
    document = make_draft(office, **kwargs)
    return document_submit(document=document, actor=office.drafter)


def decide(office: Office, document: Document, *, by_proxy: bool = False) -> Document:
    """係長 承認 → 課長 決裁 (or, with `by_proxy`, the 課長 away and the deputy deciding: 代決 + 後閲)."""
    document_approve(document=document, actor=office.chief, comment="確認しました")
    if by_proxy:
        today = timezone.localdate()
        Absence.objects.create(employee=office.director, start=today, end=today + timedelta(days=1))
        return document_approve(document=document, actor=office.deputy, comment="代決します")
    return document_approve(document=document, actor=office.director, comment="決裁")
