"""The bounds every input of the API is held to, in one place (each can be changed in the settings).

- integers: 64-bit (`INT_MIN`..`INT_MAX`) unless a field or its model column says less;
- dates and times: years `API_MIN_YEAR`..`API_MAX_YEAR` (2000–2100) unless a field says otherwise;
- lists: at most `API_MAX_LIST_LENGTH` items unless a field says otherwise;
- JSON bodies: at most `API_MAX_JSON_BYTES` bytes and `API_MAX_JSON_DEPTH` levels of nesting;
- no control character (C0 other than tab, line feed and carriage return; DEL) in a path, a query or a body.
"""

import re
from datetime import date

from django.conf import settings

INT_MIN = -(2**63)
INT_MAX = 2**63 - 1
# Characters that no text of the API may contain: C0 controls but TAB, LF and CR; DEL. NUL among them (PostgreSQL
# refuses it in text; it cuts strings short in C libraries).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def min_year() -> int:
    return getattr(settings, "API_MIN_YEAR", 2000)


def max_year() -> int:
    return getattr(settings, "API_MAX_YEAR", 2100)


def min_date() -> date:
    return date(min_year(), 1, 1)


def max_date() -> date:
    return date(max_year(), 12, 31)


def max_list_length() -> int:
    return getattr(settings, "API_MAX_LIST_LENGTH", 1000)


def max_json_bytes() -> int:
    return getattr(settings, "API_MAX_JSON_BYTES", 1024 * 1024)


def max_json_depth() -> int:
    return getattr(settings, "API_MAX_JSON_DEPTH", 32)


def has_control_character(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None
