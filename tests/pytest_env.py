"""Loaded with `-p tests.pytest_env` before Django's settings: test defaults for the environment.

Tests run with DEBUG off, like production, so the settings need keys; real deployments set their own.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-only-for-the-test-suite-0123456789abcdefghij")
os.environ.setdefault("AUDIT_HMAC_KEY", "test-audit-hmac-key")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("LOGIN_FAILURE_LIMIT", "5")
