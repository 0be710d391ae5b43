"""Fixtures of the org tests."""

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Hashing with the production hasher costs ~0.5 s per password; these tests only need it to round-trip."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
