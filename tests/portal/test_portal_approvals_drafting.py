"""/approvals/new/ and a document's page for its drafter: 起案 with retention and consulted departments, what was
typed kept on an error, attachments (the service's limits next to the file field), 回議, 引上げ; 後閲 to
acknowledge after a 代決; and the document page's queries fixed whatever the length of its record."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from approvals import services
from approvals.models import Document, DocumentStatus, StepKind
from approvals.models_record import Attachment
from org.services import absence_create
from tests.approvals.record_helpers import PDF_BYTES
from tests.approvals.town import build_town, submit_general

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(db):
    return build_town()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def draft_body(**changes) -> dict:
    return {
        "title": "公用車の購入について",
        "body": "公用車1台を購入したい。",
        "category": "",
        "amount": "80000",
        "retention_years": "5",
        "consult_departments": ["kaikei"],
        **changes,
    }


def test_a_draft_is_created_with_its_retention_and_consulted_departments(page_client, town):
    response = page_client(town.staff).post("/approvals/new/", draft_body())

    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/approvals/documents/{document.pk}/"
    assert (document.kind, document.status, document.drafter, document.amount) == (
        "general",
        DocumentStatus.DRAFT,
        town.staff,
        80000,
    )
    assert document.retention_years == 5
    assert [d.code for d in document.consult_departments.all()] == ["kaikei"]


def test_permanent_retention_is_stated_explicitly(page_client, town):
    page_client(town.staff).post("/approvals/new/", draft_body(retention_years="permanent"))
    assert Document.objects.get().retention_years is None


def test_an_error_keeps_what_was_typed_and_shows_the_services_message(page_client, town):
    # no retention chosen and no category giving one: the service refuses (retention_required)
    response = page_client(town.staff).post(
        "/approvals/new/", draft_body(retention_years="", title="件名あり")
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="件名あり"' in html
    assert "公用車1台を購入したい。" in html
    assert 'id="id_retention_years_error"' in html or 'class="form-errors"' in html
    assert not Document.objects.exists()


def test_consulting_ones_own_department_is_refused_next_to_the_field(page_client, town):
    response = page_client(town.staff).post("/approvals/new/", draft_body(consult_departments=["somu"]))
    assert response.status_code == 400
    assert 'id="id_consult_departments_error"' in response.content.decode()
    assert not Document.objects.exists()


def test_the_drafter_attaches_a_file_and_submits(page_client, town):
    client = page_client(town.staff)
    client.post("/approvals/new/", draft_body())
    document = Document.objects.get()

    uploaded = client.post(
        f"/approvals/documents/{document.pk}/attachments/",
        {"file": SimpleUploadedFile("見積書.pdf", PDF_BYTES, content_type="application/pdf")},
    )
    assert uploaded.status_code == 302
    assert Attachment.objects.get(document=document).name == "見積書.pdf"
    page = client.get(f"/approvals/documents/{document.pk}/").content.decode()
    assert "見積書.pdf" in page
    assert f"/api/v1/approvals/documents/{document.pk}/attachments/" in page

    submitted = client.post(f"/approvals/documents/{document.pk}/submit/")
    assert submitted.status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.IN_REVIEW
    # the drafter's files are frozen from circulation: the service says so next to the file field
    refused = client.post(
        f"/approvals/documents/{document.pk}/attachments/",
        {"file": SimpleUploadedFile("追加.pdf", PDF_BYTES, content_type="application/pdf")},
    )
    assert refused.status_code == 409
    assert Attachment.objects.filter(document=document).count() == 1


def test_a_file_too_large_is_refused_next_to_the_file_field(page_client, town, settings):
    settings.APPROVAL_ATTACHMENT_MAX_BYTES = 10
    client = page_client(town.staff)
    client.post("/approvals/new/", draft_body())
    document = Document.objects.get()
    response = client.post(
        f"/approvals/documents/{document.pk}/attachments/",
        {"file": SimpleUploadedFile("大きい.pdf", PDF_BYTES, content_type="application/pdf")},
    )
    assert response.status_code == 422
    assert 'id="id_file_error"' in response.content.decode()
    assert not Attachment.objects.exists()


def test_someone_else_cannot_edit_or_submit_a_draft(page_client, town):
    page_client(town.staff).post("/approvals/new/", draft_body())
    document = Document.objects.get()
    colleague = page_client(town.staff2)
    assert colleague.get(f"/approvals/documents/{document.pk}/edit/").status_code == 404
    assert colleague.post(f"/approvals/documents/{document.pk}/submit/").status_code == 404
    document.refresh_from_db()
    assert document.status == DocumentStatus.DRAFT


def test_the_drafter_edits_then_withdraws(page_client, town):
    client = page_client(town.staff)
    client.post("/approvals/new/", draft_body())
    document = Document.objects.get()
    assert (
        client.post(f"/approvals/documents/{document.pk}/edit/", draft_body(title="改題")).status_code == 302
    )
    client.post(f"/approvals/documents/{document.pk}/submit/")
    assert client.post(f"/approvals/documents/{document.pk}/withdraw/").status_code == 302
    document.refresh_from_db()
    assert (document.title, document.status) == ("改題", DocumentStatus.WITHDRAWN)


def test_a_deputys_decision_waits_in_the_absent_approvers_post_review_list(page_client, town):
    document = submit_general(town, amount=50_000)
    services.document_approve(document=document, actor=town.chief)
    today = timezone.localdate()
    absence_create(actor=town.director, employee=town.director, start=today, end=today)

    # the chief, the director's deputy, sees the director's item and decides it
    chief = page_client(town.chief)
    assert f'id="item-{document.pk}"' in chief.get("/approvals/").content.decode()
    decided = chief.post(
        f"/approvals/documents/{document.pk}/decide/", {"decision": "approve", "comment": "代決"}
    )
    assert decided.status_code == 302

    director = page_client(town.director)
    assert f'id="review-{document.pk}"' in director.get("/approvals/").content.decode()
    done = director.post(f"/approvals/documents/{document.pk}/acknowledge/", {"comment": "了"})
    assert done.status_code == 302
    document.refresh_from_db()
    last = document.steps.order_by("-round", "-order").first()
    assert (last.kind, last.status) == (StepKind.POST_REVIEW, "acknowledged")
    assert document.status == DocumentStatus.APPROVED
    assert f'id="review-{document.pk}"' not in director.get("/approvals/").content.decode()


@pytest.mark.parametrize("files", [1, 12])
def test_the_document_page_takes_the_same_queries_for_a_short_or_long_record(
    page_client, town, files, django_assert_max_num_queries
):
    client = page_client(town.staff)
    client.post("/approvals/new/", draft_body())
    document = Document.objects.get()
    for index in range(files):
        client.post(
            f"/approvals/documents/{document.pk}/attachments/",
            {"file": SimpleUploadedFile(f"資料{index}.pdf", PDF_BYTES, content_type="application/pdf")},
        )
    client.post(f"/approvals/documents/{document.pk}/submit/")
    chief = page_client(town.chief)
    with django_assert_max_num_queries(20):
        response = chief.get(f"/approvals/documents/{document.pk}/")
    assert response.content.decode().count(".pdf</a>") == files


@pytest.mark.parametrize("departments", [2, 20])
def test_the_draft_page_takes_the_same_queries_for_few_or_many_departments(
    page_client, town, departments, django_assert_max_num_queries
):
    from tests.factories import DepartmentFactory

    for index in range(departments):
        DepartmentFactory(code=f"d{index}")
    client = page_client(town.staff)
    with django_assert_max_num_queries(10):
        response = client.get("/approvals/new/")
    assert response.content.decode().count('name="consult_departments"') == departments + 4


def test_a_refused_submission_is_said_on_the_documents_page(page_client, town):
    client = page_client(town.staff)
    client.post("/approvals/new/", draft_body())
    document = Document.objects.get()
    client.post(f"/approvals/documents/{document.pk}/submit/")
    submitted_at = Document.objects.get().submitted_at

    # submitting it again (a second tab, a double click): the service refuses, the page says why
    response = client.post(f"/approvals/documents/{document.pk}/submit/", follow=True)

    assert response.redirect_chain[-1][0] == f"/approvals/documents/{document.pk}/"
    assert 'class="message error"' in response.content.decode()
    document.refresh_from_db()
    assert (document.status, document.submitted_at) == (DocumentStatus.IN_REVIEW, submitted_at)
