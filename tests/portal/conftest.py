"""Fixtures of the portal's page tests: a logged-in Django test client per person."""

import pytest
from django.test import Client


@pytest.fixture
def page_client():
    """page_client(employee) → a Django test client with that employee's session (Japanese unless told)."""

    def make(employee, *, language: str = "ja") -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(employee)
        return client

    return make
