"""The API's parsers (DEFAULT_PARSER_CLASSES): JSON, form and multipart bodies held to `api.core.limits`.

- JSON: at most API_MAX_JSON_BYTES (413 `payload_too_large`, read no further), at most API_MAX_JSON_DEPTH levels
  (400 `json_too_deep`), and no control character or lone surrogate in any key or string (400
  `invalid_character`); NaN and Infinity are not JSON (400 `parse_error`).
- form and multipart: the same characters refused in every name and value; Django's DATA_UPLOAD_MAX_* bound them.
The limits hold on every endpoint, the anonymous token endpoint included, since parsing happens before any view code.
"""

import codecs
import json

from django.conf import settings
from django.http import QueryDict
from rest_framework import exceptions, parsers

from api.core import limits
from api.core.codes import ApiError


class InvalidCharacter(exceptions.ParseError):
    default_code = ApiError.INVALID_CHARACTER
    default_detail = ApiError.INVALID_CHARACTER.message


class JsonTooDeep(exceptions.ParseError):
    default_code = ApiError.JSON_TOO_DEEP
    default_detail = ApiError.JSON_TOO_DEEP.message


class PayloadTooLarge(exceptions.APIException):
    status_code = ApiError.PAYLOAD_TOO_LARGE.status
    default_code = ApiError.PAYLOAD_TOO_LARGE
    default_detail = ApiError.PAYLOAD_TOO_LARGE.message


def _bad_text(text: str) -> bool:
    if limits.has_control_character(text):
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (`"\ud800"`): no character at all
        return True
    return False


def check_json(value) -> None:
    """Walks a parsed document without recursion: its depth and every key and string."""
    max_depth = limits.max_json_depth()
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > max_depth:
                raise JsonTooDeep()
            if isinstance(item, dict):
                for key, child in item.items():
                    if _bad_text(key):
                        raise InvalidCharacter()
                    stack.append((child, depth + 1))
            else:
                stack.extend((child, depth + 1) for child in item)
        elif isinstance(item, str) and _bad_text(item):
            raise InvalidCharacter()


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        limit = limits.max_json_bytes()
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise PayloadTooLarge()
        try:
            text = codecs.decode(raw, encoding)
            data = json.loads(text, parse_constant=_refuse_constant)
        except RecursionError as error:
            raise JsonTooDeep() from error
        except ValueError as error:
            raise exceptions.ParseError(f"JSON parse error - {error}") from error
        check_json(data)
        return data


class BodyQueryDict(QueryDict):
    """A parsed form body, which serializers tell from a query string (see api.core.serializers)."""

    @classmethod
    def of(cls, data: QueryDict) -> "BodyQueryDict":
        body = cls(mutable=True, encoding=data.encoding)
        for name, values in data.lists():
            body.setlist(name, values)
        body._mutable = False
        return body


def _check_form(data) -> None:
    for name, values in data.lists():
        if _bad_text(name) or any(isinstance(value, str) and _bad_text(value) for value in values):
            raise InvalidCharacter()


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _check_form(data)
        return BodyQueryDict.of(data)


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        _check_form(result.data)
        return parsers.DataAndFiles(BodyQueryDict.of(result.data), result.files)
