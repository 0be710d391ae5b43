"""Every app of the project is in the wheel: pyproject's package list names each local app of INSTALLED_APPS
(the wheel check of .ci/run found `leave` missing only after building and installing)."""

import fnmatch
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def test_each_local_app_is_packaged():
    found = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    local = [app.split(".")[0] for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0]).is_dir()]
    missing = [app for app in local if not any(fnmatch.fnmatch(app, pattern) for pattern in found["include"])]
    assert local
    assert missing == []
