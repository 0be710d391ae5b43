"""Fixtures shared by every test folder."""

import pytest
from rest_framework.test import APIClient

from tests.factories import DepartmentFactory, EmployeeFactory


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def as_user():
    """as_user(employee) → an APIClient authenticated as that employee."""

    def make(employee) -> APIClient:
        client = APIClient()
        client.force_authenticate(employee)
        return client

    return make


@pytest.fixture
def department(db):
    return DepartmentFactory(code="somu", name="総務課", short_name="南富総")


@pytest.fixture
def employee(department):
    return EmployeeFactory(username="staff1", department=department)
