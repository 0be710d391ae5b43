"""The service works from its wheel alone, as in the Docker image: no source tree beside it.

    .venv/bin/python tests/packaging/check_wheel.py        # `make check-wheel`; .ci/run runs it too

Builds the wheel, creates a fresh virtual environment in a temporary directory, installs requirements.lock and the
wheel (no dependency resolution: the lock is what the image installs), then, from another temporary directory
with DJANGO_SETTINGS_MODULE=config.settings and production settings, runs `django-admin check --deploy`,
`migrate` on a new SQLite file, `collectstatic`, and a script that loads every template, renders one, and reads
a message of each language. Exits non-zero on the first failure.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

PROBE = r"""
from pathlib import Path

import django

django.setup()
from django.conf import settings
from django.template.loader import get_template, render_to_string
from django.utils import translation

import config
from core.errors import CoreError

assert "site-packages" in config.__file__, config.__file__
for name in ["approvals/print.html", "dashboard/rollout.html", "auth/login.html", "api/redoc.html", "api/guide.html",
             "portal/base.html", "portal/home/home.html", "404.html"]:
    get_template(name)
assert "<html" in render_to_string("api/guide.html", {"schema_url": "/api/schema/"})
with translation.override("en"):
    english = str(CoreError.NOT_FOUND.message)
with translation.override("ja"):
    japanese = str(CoreError.NOT_FOUND.message)
assert english != japanese and english.isascii(), (english, japanese)
static = Path(settings.STATIC_ROOT)
for name in ["vendor/chartjs/chart.umd.min.js", "dashboard/rollout.js", "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
             "portal/vendor/htmx.min.js", "portal/sw.js", "portal/portal.js"]:
    assert (static / name).is_file(), name
print("wheel: templates, translations and static files found")
"""


def run(*command: str | Path, **kwargs) -> None:
    shown = ["<probe>" if "\n" in str(part) else str(part) for part in command]
    print("$", " ".join(shown), flush=True)
    subprocess.run([str(part) for part in command], check=True, **kwargs)


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="townhall-wheel-"))
    try:
        wheels = work / "wheels"
        run(BIN / "python", "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", wheels, ROOT)
        (wheel,) = wheels.glob("townhall-*.whl")
        venv = work / "venv"
        run(BIN / "uv", "venv", "--quiet", "--python", sys.executable, venv)
        python = venv / "bin" / "python"
        run(BIN / "uv", "pip", "install", "--quiet", "--python", python, "-r", ROOT / "requirements.lock")
        run(BIN / "uv", "pip", "install", "--quiet", "--python", python, "--no-deps", wheel)
        site = work / "site"
        site.mkdir()
        env = {
            "PATH": f"{venv / 'bin'}:{os.environ.get('PATH', '')}",
            "HOME": str(work),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_VAR_DIR": str(site / "var"),
            "DJANGO_SECRET_KEY": "wheel-check-secret-key-" + "q7w8e9r0" * 6,
            "AUDIT_HMAC_KEY": "wheel-check-audit-key",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
        }
        admin = venv / "bin" / "django-admin"
        run(admin, "check", "--deploy", "--fail-level", "WARNING", cwd=site, env=env)
        run(admin, "migrate", "--noinput", "--verbosity", "0", cwd=site, env=env)
        run(admin, "collectstatic", "--noinput", "--verbosity", "0", cwd=site, env=env)
        run(python, "-c", PROBE, cwd=site, env=env)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
