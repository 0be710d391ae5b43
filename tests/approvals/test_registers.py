"""Registers and retention as data (issue 11): general documents take the department's 文書番号, each other kind
its own receipt register or no number; retention comes from the drafter, the category or the kind, never
permanent by omission (400 `retention_required`)."""

from datetime import date, datetime

import pytest

from approvals import services
from approvals.models import Document, DocumentCategory, KindPolicy, Register
from core.errors import ValidationFailed
from tests.approvals.town import submit_general
from tests.clock import FrozenClock
from tests.factories import EmployeeFactory

TOKYO_NOON = datetime.fromisoformat("2026-06-10T12:00:00+09:00")


@pytest.fixture
def clock():
    return FrozenClock(TOKYO_NOON)


@pytest.fixture
def bare_kinds(kinds):
    """The application kinds without their apps' handlers: their documents are decided on their own here."""
    for kind in ("telework", "timesheet", "attendance_correction"):
        kinds.register_kind(kind, label=kind)
    return kinds


def decided(town, *, kind, drafter, approvers, **fields):
    document = services.document_create(kind=kind, drafter=drafter, title=f"{kind}の申請", **fields)
    document = services.document_submit(document=document, actor=drafter)
    for person in approvers:
        document = services.document_approve(document=document, actor=person)
    return document


def test_each_kind_takes_its_number_from_its_own_register(clock, town, bare_kinds):
    kaikei_chief_less_staff = town.kaikei_staff
    # when a general document and telework requests of two departments are decided
    general = submit_general(town, amount=50_000)
    general = services.document_approve(document=general, actor=town.chief)
    general = services.document_approve(document=general, actor=town.director)
    first = decided(town, kind="telework", drafter=town.staff, approvers=[town.chief, town.director])
    second = decided(town, kind="telework", drafter=kaikei_chief_less_staff, approvers=[town.kaikei_director])
    sheet = decided(town, kind="timesheet", drafter=town.staff, approvers=[town.director])
    # then the general one has the department's 文書番号, the telework ones the town's receipt register
    assert (general.number, general.register.code) == ("南富総第1号", "bunsho")
    assert [(d.number, d.register.code) for d in (first, second)] == [
        ("テ受第1号", "telework"),
        ("テ受第2号", "telework"),
    ]
    # and a timesheet has no number (the register is data: none)
    assert (sheet.status, sheet.number, sheet.register) == ("approved", "", None)
    assert Document.objects.filter(number="南富総第2号").count() == 0  # applications never use the 文書番号


def test_a_register_defined_in_data_numbers_a_kind(clock, town, bare_kinds):
    register = Register.objects.create(code="kaisei", name="打刻修正受付簿", number_format="打修第{n}号")
    KindPolicy.objects.filter(kind="attendance_correction").update(register=register)
    document = decided(town, kind="attendance_correction", drafter=town.staff, approvers=[town.director])
    assert document.number == "打修第1号"


def test_the_retention_of_every_kind_is_data_never_permanent_by_omission(clock, town, bare_kinds):
    sheet = decided(town, kind="timesheet", drafter=town.staff, approvers=[town.director])
    correction = decided(town, kind="attendance_correction", drafter=town.staff, approvers=[town.director])
    # timesheets and corrections are kept 5 years: disposal at the end of FY2026 + 5
    for document in (sheet, correction):
        assert (document.retention_years, document.disposal_date) == (5, date(2032, 3, 31))


def test_leaving_out_the_retention_of_a_general_document_is_refused(as_user, town):
    client = as_user(town.staff)
    response = client.post("/api/v1/approvals/documents/", {"title": "照会"}, format="json")
    assert response.status_code == 400
    assert [e["code"] for e in response.json()["errors"]] == ["retention_required"]
    assert not Document.objects.exists()
    with pytest.raises(ValidationFailed):
        services.document_create(kind="general", drafter=town.staff, title="照会")


def test_null_stated_explicitly_is_permanent(as_user, town):
    client = as_user(town.staff)
    response = client.post(
        "/api/v1/approvals/documents/", {"title": "例規", "retention_years": None}, format="json"
    )
    assert response.status_code == 201
    assert Document.objects.get().retention_years is None


def test_the_category_gives_the_retention(as_user, town):
    DocumentCategory.objects.create(name="照会・回答", retention_years=1)
    DocumentCategory.objects.create(name="例規", retention_permanent=True)
    client = as_user(town.staff)
    one = client.post(
        "/api/v1/approvals/documents/", {"title": "照会", "category": "照会・回答"}, format="json"
    )
    permanent = client.post(
        "/api/v1/approvals/documents/", {"title": "規則", "category": "例規"}, format="json"
    )
    explicit = client.post(
        "/api/v1/approvals/documents/",
        {"title": "照会", "category": "照会・回答", "retention_years": 3},
        format="json",
    )
    assert [r.json()["retention_years"] for r in (one, permanent, explicit)] == [1, None, 3]
    unknown = client.post("/api/v1/approvals/documents/", {"title": "x", "category": "未定義"}, format="json")
    assert unknown.json()["errors"][0]["code"] == "retention_required"


def test_a_department_cannot_consult_itself(as_user, town):
    response = as_user(town.staff).post(
        "/api/v1/approvals/documents/",
        {"title": "x", "retention_years": 1, "consult_departments": ["somu"]},
        format="json",
    )
    assert (response.status_code, response.json()["errors"][0]["code"]) == (400, "consult_own_department")


def test_numbers_of_a_town_wide_register_restart_in_april(town, bare_kinds):
    clock = FrozenClock(datetime.fromisoformat("2027-03-31T12:00:00+09:00"))
    last = decided(town, kind="telework", drafter=town.staff, approvers=[town.chief, town.director])
    clock.set(datetime.fromisoformat("2027-04-01T09:00:00+09:00"))
    other = EmployeeFactory(username="kikaku_staff", department=town.kikaku)
    first = decided(town, kind="telework", drafter=other, approvers=[town.kikaku_director])
    assert [(d.fiscal_year, d.number) for d in (last, first)] == [(2026, "テ受第1号"), (2027, "テ受第1号")]
