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


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": GOOD_SECRET,
    "AUDIT_HMAC_KEY": "a-real-audit-key",
    "DJANGO_ALLOWED_HOSTS": "testserver",
}


def setting_values(*names: str, **env: str) -> list[str]:
    script = "from django.conf import settings;" + ";".join(f"print(repr(settings.{name}))" for name in names)
    result = run_manage("shell", "-c", script, **{**PRODUCTION, **env})
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-len(names) :]


def test_the_proxy_ssl_header_is_believed_only_behind_a_proxy():
    # without a proxy a client could send X-Forwarded-Proto: https itself and pass for a secure request
    script = "from django.conf import settings; print(hasattr(settings, 'SECURE_PROXY_SSL_HEADER') and settings.SECURE_PROXY_SSL_HEADER)"
    direct = run_manage("shell", "-c", script, **PRODUCTION)
    proxied = run_manage("shell", "-c", script, DJANGO_NUM_PROXIES="1", **PRODUCTION)

    assert direct.stdout.split()[-1] == "None"
    assert proxied.stdout.strip().splitlines()[-1] == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_the_browsable_api_is_off_in_production_and_on_in_development():
    (production,) = setting_values("REST_FRAMEWORK['DEFAULT_RENDERER_CLASSES']")
    (development,) = setting_values("REST_FRAMEWORK['DEFAULT_RENDERER_CLASSES']", DJANGO_DEBUG="1")

    assert production == "['rest_framework.renderers.JSONRenderer']"
    assert "BrowsableAPIRenderer" in development


def test_check_deploy_silences_nothing_with_https_and_only_the_three_explained_warnings_on_plain_http():
    (with_https,) = setting_values("SILENCED_SYSTEM_CHECKS")
    (plain_http,) = setting_values("SILENCED_SYSTEM_CHECKS", DJANGO_SECURE_SSL_REDIRECT="0")
    closed_lan = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", DJANGO_SECURE_SSL_REDIRECT="0", **PRODUCTION
    )

    assert with_https == "[]"
    assert plain_http == "['security.W008', 'security.W012', 'security.W016']"
    assert closed_lan.returncode == 0, closed_lan.stdout + closed_lan.stderr
    readme = (ROOT / "README.md").read_text()
    for code in ("W008", "W012", "W016"):
        assert code in readme


def test_production_sessions_and_tokens_expire_by_default():
    age, renew, ttl, refresh = setting_values(
        "SESSION_COOKIE_AGE",
        "SESSION_RENEW_SECONDS",
        "REST_KNOX['TOKEN_TTL']",
        "REST_KNOX['AUTO_REFRESH']",
    )

    assert (age, renew) == ("28800", "300")  # 8 hours idle, renewed at most every 5 minutes
    assert (ttl, refresh) == ("datetime.timedelta(days=30)", "False")  # absolute, 30 days


def test_passwords_follow_the_towns_policy():
    (validators,) = setting_values("AUTH_PASSWORD_VALIDATORS")

    assert "'min_length': 12" in validators
    for name in ("UserAttributeSimilarityValidator", "CommonPasswordValidator", "NumericPasswordValidator"):
        assert name in validators
