"""A client generated from the schema by openapi-python-client (a client nobody here wrote) clocks in, drafts and
submits a document, and its approvers approve it through their inbox, against a live server: the schema is
complete and true enough to integrate from."""

import importlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from drf_spectacular.generators import SchemaGenerator

from approvals.models import Document
from attendance.models import ClockEvent
from tests.approvals.town import build_town
from tests.factories import TEST_PASSWORD

GENERATOR = Path(sys.executable).parent / "openapi-python-client"
PACKAGE = "townhall_client"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The package openapi-python-client writes from the schema, imported."""
    root = tmp_path_factory.mktemp("client")
    schema = root / "schema.json"
    schema.write_text(json.dumps(SchemaGenerator().get_schema(request=None, public=True), ensure_ascii=False))
    result = subprocess.run(
        [GENERATOR, "generate", "--path", schema, "--meta", "none", "--output-path", root / PACKAGE],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=root,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]
        shutil.rmtree(root, ignore_errors=True)


def log_in(client_module, url: str, username: str):
    token_create = importlib.import_module(f"{PACKAGE}.api.auth.auth_token_create")
    models = importlib.import_module(f"{PACKAGE}.models")
    token = token_create.sync(
        client=client_module.Client(base_url=url),
        body=models.TokenObtainRequest(username=username, password=TEST_PASSWORD),
    )
    assert isinstance(token, models.Token), token
    return client_module.AuthenticatedClient(base_url=url, token=token.token, prefix="Token")


@pytest.mark.django_db(transaction=True)
def test_a_generated_client_clocks_in_and_gets_a_document_approved(generated, live_server):
    town = build_town()
    models = importlib.import_module(f"{PACKAGE}.models")
    clock = importlib.import_module(f"{PACKAGE}.api.attendance.attendance_clock_create")
    create = importlib.import_module(f"{PACKAGE}.api.approvals.approvals_documents_create")
    submit = importlib.import_module(f"{PACKAGE}.api.approvals.approvals_documents_submit_create")
    inbox = importlib.import_module(f"{PACKAGE}.api.approvals.approvals_inbox_list")
    approve = importlib.import_module(f"{PACKAGE}.api.approvals.approvals_documents_approve_create")
    staff = log_in(generated, live_server.url, town.staff.username)

    # clock in (打刻), with an idempotency key: a retry records nothing twice
    body = models.ClockRequest(kind=models.ClockKindEnum.IN, location=models.ClockLocationEnum.HOME)
    event = clock.sync(client=staff, body=body, idempotency_key="generated-client-clock-in")
    again = clock.sync(client=staff, body=body, idempotency_key="generated-client-clock-in")
    assert isinstance(event, models.ClockEvent), event
    assert (event.kind, event.location, again.id) == (models.ClockKindEnum.IN, "home", event.id)
    assert ClockEvent.objects.filter(employee=town.staff).count() == 1

    # draft and submit a document (起案, 提出)
    draft = create.sync(
        client=staff,
        body=models.DocumentCreateRequest(
            kind=models.DocumentKindEnum.GENERAL,
            title="備品購入について",
            body="コピー用紙を購入します。",
            amount=30000,
            retention_years=5,
            consult_departments=[],
        ),
    )
    assert isinstance(draft, models.Document), draft
    submitted = submit.sync(str(draft.id), client=staff)
    assert submitted.status == models.DocumentStatusEnum.IN_REVIEW

    # each approver finds it in their inbox and approves (承認, then 決裁)
    for approver in (town.chief, town.director):
        client = log_in(generated, live_server.url, approver.username)
        waiting = inbox.sync(client=client)
        assert isinstance(waiting, models.PaginatedInboxItemList), waiting
        assert [item.document.id for item in waiting.results] == [draft.id]
        decided = approve.sync(
            str(draft.id), client=client, body=models.ApproveRequest(comment="確認しました。")
        )
        assert isinstance(decided, models.Document), decided

    assert decided.status == models.DocumentStatusEnum.APPROVED
    assert decided.number == "南富総第1号"
    assert Document.objects.get(pk=draft.id).status == "approved"
