"""`manage.py demo`: loads the demo town 南富良野町 and prints the demo logins.

Extension point for the other apps: first `org.demo.build_town()` creates the departments and staff and
returns an `org.demo.Town` (departments by code, employees by username, `town.mayor`, `town.director(code)`,
`town.chief(code)`, `town.members(code)`, `town.with_role(role)`, the shared `town.password`). Then, for every
app in INSTALLED_APPS after `org`, in that order, the command imports `<app>.demo` if the module exists and
calls its `load(town)`, each inside its own transaction. A loader must be idempotent (running the command
twice creates nothing new), must be quick, and may append `org.demo.Login` rows to `town.logins` to have
them printed. No signals, no registry: adding `demo.py` with a `load(town)` function is all it takes.

With DEBUG off (production settings) the command refuses to run unless `--force` is given, and even then no
account gets the published demo password: the accounts it creates share one random password, printed this once.
"""

import importlib
import importlib.util
import secrets
import unicodedata

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from org.demo import DEMO_PASSWORD, build_town


def _width(text: str) -> int:
    """Columns the text takes in a terminal (full-width characters take two)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def demo_loaders() -> list[tuple[str, object]]:
    """`(app label, load function)` of every installed app (org excluded) that has a `demo` module."""
    loaders = []
    for config in apps.get_app_configs():
        if config.name == "org" or importlib.util.find_spec(f"{config.name}.demo") is None:
            continue
        loaders.append((config.label, importlib.import_module(f"{config.name}.demo").load))
    return loaders


class Command(BaseCommand):
    help = "Loads the demo town 南富良野町 (idempotent) and prints the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="run with DEBUG off too (new accounts then get a random password, printed once)",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "manage.py demo loads a demo town with known logins: it runs only with DJANGO_DEBUG=1, "
                "or with --force (then with a random password instead of the published one)."
            )
        password = DEMO_PASSWORD if settings.DEBUG else secrets.token_urlsafe(15)
        town = build_town(password=password)
        self.stdout.write(
            f"org: {len(town.departments)} departments, {len(town.employees)} accounts ({town.created} rows created)"
        )
        for label, load in demo_loaders():
            with transaction.atomic():
                load(town)
            self.stdout.write(f"{label}: loaded")
        self.stdout.write("")
        if settings.DEBUG:
            self.stdout.write(f"Demo logins (password for every account: {town.password})")
        else:
            self.stdout.write(
                f"Demo logins (password of the accounts created now, shown only this once: {town.password})"
            )
        rows = [("role", "username", "name", "department")]
        rows += [(row.label, row.username, row.name, row.department) for row in town.logins]
        widths = [max(_width(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            cells = [value + " " * (width - _width(value)) for value, width in zip(row, widths, strict=True)]
            self.stdout.write("  ".join(cells).rstrip())
