"""The catalogue of every stable error code, published at GET /api/v1/errors/.

Each app lists its codes in one `ErrorCode` enum in its `codes.py` (found with `autodiscover_modules("codes")`),
besides `core.errors.CoreError` and the HTTP layer's `api.core.codes.ApiError`. A code is declared in exactly one
catalogue: the system check `api.E001` fails when two declare the same code.
"""

import sys
from collections import defaultdict

from django.apps import apps
from django.core import checks
from django.utils import translation
from django.utils.module_loading import autodiscover_modules

from api.core import codes as api_codes
from core import errors as core_errors
from core.errors import ErrorCode


def catalogues() -> list[type[ErrorCode]]:
    """Every catalogue: CoreError, each installed app's `codes.py` enums, ApiError."""
    autodiscover_modules("codes")
    modules = [core_errors, api_codes]
    modules += [
        sys.modules[name] for app in apps.get_app_configs() if (name := f"{app.name}.codes") in sys.modules
    ]
    found: list[type[ErrorCode]] = []
    for module in dict.fromkeys(modules):
        found += [
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, ErrorCode)
            and value is not ErrorCode
            and value.__module__ == module.__name__
        ]
    return found


def duplicates(found: list[type[ErrorCode]]) -> dict[str, list[str]]:
    """{code: [catalogues declaring it]} for each code declared more than once."""
    owners: dict[str, list[str]] = defaultdict(list)
    for catalogue in found:
        for member in catalogue:
            owners[member.value].append(f"{catalogue.__module__}.{catalogue.__name__}")
    return {code: names for code, names in owners.items() if len(names) > 1}


def entries(found: list[type[ErrorCode]]) -> list[dict]:
    """[{code, status, title_ja, title_en}] of every member, sorted by code."""
    rows = []
    for catalogue in found:
        for member in catalogue:
            titles = {}
            for language in ("ja", "en"):
                with translation.override(language):
                    titles[language] = str(member.message)
            rows.append(
                {
                    "code": member.value,
                    "status": member.status,
                    "title_ja": titles["ja"],
                    "title_en": titles["en"],
                }
            )
    return sorted(rows, key=lambda row: row["code"])


def check_unique_codes(found: list[type[ErrorCode]]) -> list[checks.CheckMessage]:
    return [
        checks.Error(
            f"The error code {code!r} is declared in more than one catalogue: {', '.join(names)}.",
            hint="Declare it once; a code that several apps use belongs in core.errors.CoreError.",
            id="api.E001",
        )
        for code, names in sorted(duplicates(found).items())
    ]


@checks.register()
def error_codes_unique(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """System check: every code is in exactly one catalogue."""
    return check_unique_codes(catalogues())
