"""Fixtures of the portal's page tests: the telework test town on a fixed Monday, a logged-in client per person,
and an approved telework request."""

from datetime import date

import pytest
from django.test import Client

from approvals import services as approvals
from telework import services as telework
from tests.telework.town import MONDAY, Clock, build_town

__all__ = ["MONDAY"]


@pytest.fixture
def page_client():
    """page_client(employee) → a Django test client with that employee's session (Japanese unless told)."""

    def make(employee, *, language: str = "ja") -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(employee)
        return client

    return make


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def town(db, clock):
    return build_town()


def approved_telework(town, employee, dates: list[date], location: str = "home"):
    """A telework request of `employee` approved by the chief and the director."""
    request = telework.telework_request_create(
        employee=employee, dates=dates, location=location, work_plan="資料作成"
    )
    for approver in (town.chief, town.director):
        approvals.document_approve(document=request.document, actor=approver, acknowledge_warnings=True)
    request.refresh_from_db()
    return request
