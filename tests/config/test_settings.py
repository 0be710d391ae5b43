"""Production settings refuse unsafe defaults; `check --deploy` is clean with the production defaults."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET = "x7!k2#q9@m4$w8%e1^r6&t3*y5(u0)i-o=p+a[s]d{f}g|h;j:k,l.z/x?c~v"


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "AUDIT_"))}
    base.pop("DATABASE_URL", None)
    base.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "env",
    [
        pytest.param({}, id="nothing set"),
        pytest.param({"DJANGO_SECRET_KEY": "", "AUDIT_HMAC_KEY": "k"}, id="empty secret"),
        pytest.param({"DJANGO_SECRET_KEY": GOOD_SECRET}, id="no audit key"),
        pytest.param({"DJANGO_SECRET_KEY": "short", "AUDIT_HMAC_KEY": "k"}, id="weak secret"),
        pytest.param(
            {
                "DJANGO_SECRET_KEY": "change-me-to-a-long-random-string-of-at-least-fifty-characters",
                "AUDIT_HMAC_KEY": "k",
            },
            id=".env.example placeholder secret",
        ),
        pytest.param(
            {"DJANGO_SECRET_KEY": GOOD_SECRET, "AUDIT_HMAC_KEY": "change-me-too-and-keep-a-copy-offline"},
            id=".env.example placeholder audit key",
        ),
    ],
)
def test_production_mode_refuses_to_start_without_real_keys(env):
    result = run_manage("check", DJANGO_DEBUG="0", **env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_production_defaults_pass_check_deploy_at_warning_level():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=GOOD_SECRET,
        AUDIT_HMAC_KEY="a-real-audit-key",
        DJANGO_ALLOWED_HOSTS="townhall.example.jp",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_mode_starts_with_nothing_set():
    result = run_manage("check", DJANGO_DEBUG="1")

    assert result.returncode == 0, result.stderr


def test_healthz_answers_over_plain_http_while_everything_else_redirects_to_https():
    script = (
        "from django.test import Client; c = Client();"
        "print(c.get('/healthz').status_code, c.get('/api/v1/me/').status_code)"
    )
    result = run_manage(
        "shell",
        "-c",
        script,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=GOOD_SECRET,
        AUDIT_HMAC_KEY="a-real-audit-key",
        DJANGO_ALLOWED_HOSTS="testserver",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["200", "301"]
