"""A malformed object id in a path is a 404 problem, never a 500 (schema-driven fuzzers send such ids)."""

import pytest

from tests.factories import EmployeeFactory

PATHS = [
    "/api/v1/approvals/documents/abc/",
    "/api/v1/approvals/documents/abc/approve/",
    "/api/v1/approvals/documents/None/audit/",
    "/api/v1/approvals/delegations/abc/revoke/",
    "/api/v1/org/employees/abc/",
    "/api/v1/org/absences/abc/",
    "/api/v1/notifications/abc/read/",
    "/api/v1/telework/requests/abc/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("method", ["get", "post", "patch", "delete"])
def test_a_malformed_id_is_a_client_error_problem(as_user, path, method):
    client = as_user(EmployeeFactory(roles=["admin"]))

    response = getattr(client, method)(path)

    assert response.status_code in {404, 405}
    assert response["Content-Type"] == "application/problem+json"
