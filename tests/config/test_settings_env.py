"""Every environment value is parsed by django-environ with the names README lists: the e-mail URL's schemes get
their ports and TLS modes, the standard EMAIL_* settings work without a URL, and an empty value is unset."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NAMES = [
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
]
PRINT = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({name: getattr(s, name, None) for name in %r} | "
    "{'ENGINE': s.DATABASES['default']['ENGINE'], 'NAME': str(s.DATABASES['default']['NAME']), "
    "'ALLOWED_HOSTS': s.ALLOWED_HOSTS, 'MEDIA_ROOT': str(s.MEDIA_ROOT), "
    "'DB_OPTIONS': s.DATABASES['default'].get('OPTIONS', {})}))"
)


def settings_with(**env: str) -> dict:
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "EMAIL_", "DATABASE_URL", "REDIS_URL"))
    }
    result = subprocess.run(
        [sys.executable, "-c", PRINT % NAMES],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def mail(values: dict) -> tuple:
    return tuple(values[name] for name in NAMES[1:])


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.jp", ("mail.example.jp", 25, "", "", False, False)),
        ("smtp+tls://u:p@mail.example.jp", ("mail.example.jp", 587, "u", "p", True, False)),
        ("submission://u:p@mail.example.jp", ("mail.example.jp", 587, "u", "p", True, False)),
        ("smtps://u%40town:p%2Fw@mail.example.jp", ("mail.example.jp", 465, "u@town", "p/w", False, True)),
        ("smtp+ssl://mail.example.jp", ("mail.example.jp", 465, "", "", False, True)),
        ("smtps://mail.example.jp:2465", ("mail.example.jp", 2465, "", "", False, True)),
    ],
)
def test_the_email_url_gives_each_scheme_its_port_and_tls_mode(url, expected):
    values = settings_with(EMAIL_URL=url)
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mail(values) == expected


def test_an_unknown_email_scheme_refuses_to_start():
    with pytest.raises(subprocess.CalledProcessError) as error:
        settings_with(EMAIL_URL="pop3://mail.example.jp")
    assert "EMAIL_URL: unknown scheme 'pop3'" in error.value.stderr


def test_the_standard_email_settings_work_without_a_url():
    values = settings_with(
        EMAIL_HOST="relay.town.example",
        EMAIL_PORT="2525",
        EMAIL_HOST_USER="town",
        EMAIL_HOST_PASSWORD="secret",
        EMAIL_USE_TLS="1",
    )
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mail(values) == ("relay.town.example", 2525, "town", "secret", True, False)


def test_the_standard_email_settings_default_the_port_of_their_tls_mode():
    assert settings_with(EMAIL_HOST="relay", EMAIL_USE_SSL="true")["EMAIL_PORT"] == 465
    assert settings_with(EMAIL_HOST="relay", EMAIL_USE_TLS="yes")["EMAIL_PORT"] == 587
    assert settings_with(EMAIL_HOST="relay")["EMAIL_PORT"] == 25


def test_debug_without_mail_settings_writes_files():
    assert settings_with()["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"


def test_database_url_and_lists_are_parsed_and_empty_values_are_unset(tmp_path):
    values = settings_with(
        DATABASE_URL="postgres://townhall:pw@db.example:5432/townhall",
        DJANGO_ALLOWED_HOSTS="a.example, b.example",
        DJANGO_MEDIA_ROOT="",
        DJANGO_VAR_DIR=str(tmp_path),
    )
    assert (values["ENGINE"], values["NAME"]) == ("django.db.backends.postgresql", "townhall")
    assert values["ALLOWED_HOSTS"] == ["a.example", "b.example"]
    assert values["MEDIA_ROOT"] == str(tmp_path / "media")


@pytest.mark.parametrize(
    ("prepared", "options"),
    [
        (None, {"prepare_threshold": 5}),
        ("1", {"prepare_threshold": 5}),
        ("0", {}),
    ],
)
def test_postgresql_prepares_the_hot_statements_unless_turned_off(prepared, options):
    env = {"DATABASE_URL": "postgres://townhall:pw@db.example:5432/townhall"}
    if prepared is not None:
        env["DJANGO_DB_PREPARED_STATEMENTS"] = prepared
    assert settings_with(**env)["DB_OPTIONS"] == options
