"""The direction of imports between apps (DESIGN.md, "Layout and layering"): a domain app imports only the
apps below it, and never the interfaces (`api/`, `portal/`).

Every module of every domain app is read with `ast`, so imports inside functions count as much as those at
the top of a module. `config` may import anything; `api` and `portal` may import the domain apps.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The allowed directions: each domain app and the apps it may import (those to its left in
# core ← org ← notifications ← approvals ← leave ← attendance ← telework ← rollout).
# `portal` does not exist yet; its place is kept.
MAY_IMPORT: dict[str, set[str]] = {
    "core": set(),
    "org": {"core"},
    "notifications": {"core", "org"},
    "approvals": {"core", "org", "notifications"},
    "leave": {"core", "org", "notifications", "approvals"},
    "attendance": {"core", "org", "notifications", "approvals", "leave"},
    "telework": {"core", "org", "notifications", "approvals", "leave", "attendance"},
    "rollout": {"core", "org", "notifications", "approvals", "leave", "attendance", "telework"},
}
DOMAIN_APPS = set(MAY_IMPORT)
# HTTP for programs and for people: they import the domain, never the other way round.
INTERFACES = {"api", "portal"}


def imported_apps(source: str) -> list[tuple[int, str]]:
    """(line, top-level package) of every absolute import in the source, at any depth (functions included)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def wrong_imports(app: str, source: str) -> list[str]:
    """The imports of a module of `app` that break the layering, as `line: package`."""
    wrong = []
    for line, package in imported_apps(source):
        if package == app:
            continue
        if package in INTERFACES or (package in DOMAIN_APPS and package not in MAY_IMPORT[app]):
            wrong.append(f"{line}: {package}")
    return wrong


def domain_modules() -> list[tuple[str, Path]]:
    return [
        (app, path)
        for app in sorted(DOMAIN_APPS)
        if (ROOT / app).is_dir()
        for path in sorted((ROOT / app).rglob("*.py"))
    ]


def test_the_table_is_the_order_of_design_md():
    order = ["core", "org", "notifications", "approvals", "leave", "attendance", "telework", "rollout"]
    assert list(MAY_IMPORT) == order
    for index, app in enumerate(order):
        assert MAY_IMPORT[app] == set(order[:index])


def test_every_existing_domain_app_is_walked():
    walked = {app for app, _path in domain_modules()}
    assert walked == {app for app in DOMAIN_APPS if (ROOT / app).is_dir()}
    assert {
        "core",
        "org",
        "notifications",
        "approvals",
        "leave",
        "attendance",
        "telework",
        "rollout",
    } <= walked


def every_wrong_import() -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{item}"
        for app, path in domain_modules()
        for item in wrong_imports(app, path.read_text(encoding="utf-8"))
    ]


def test_no_domain_app_imports_an_app_above_it():
    upward = [item for item in every_wrong_import() if item.rsplit(" ", 1)[-1] in DOMAIN_APPS]
    assert not upward, "imports against the layering (DESIGN.md): " + ", ".join(upward)


def test_no_domain_app_imports_api_or_portal():
    interfaces = [item for item in every_wrong_import() if item.rsplit(" ", 1)[-1] in INTERFACES]
    assert not interfaces, "domain code importing an interface: " + ", ".join(interfaces)


@pytest.mark.parametrize(
    ("app", "source", "expected"),
    [
        ("attendance", "from telework.selectors import approved_telework_location\n", ["1: telework"]),
        ("attendance", "def hook():\n    from telework import services\n", ["2: telework"]),
        ("telework", "import rollout.services\n", ["1: rollout"]),
        ("org", "from api.core.errors import problem_body\n", ["1: api"]),
        ("rollout", "from portal import views\n", ["1: portal"]),
        ("approvals", "from leave.models import LeaveRequest\n", ["1: leave"]),
        ("leave", "from attendance.selectors import schedule_on\n", ["1: attendance"]),
        ("attendance", "from leave import selectors as leave_selectors\n", []),
        ("rollout", "from telework.models import Phase\nfrom attendance.models import DaySummary\n", []),
        ("telework", "from .models import Phase\nfrom django.db import models\n", []),
    ],
)
def test_the_walk_finds_an_import_in_the_wrong_direction(app, source, expected):
    assert wrong_imports(app, source) == expected
