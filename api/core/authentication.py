"""`Authorization: Token <token>`: django-rest-knox's hashed tokens (`org.AccessToken`), one query a request.

Knox's own class also deletes the user's other expired tokens on every request (a second query); here an
expired token is only refused, and `org.tasks.purge_tokens` removes the expired rows on a schedule.

The look-up is knox's (the token's key prefix, then the SHA-512 digest compared in constant time, the expiry,
the user active), read by one hand-written SELECT of the token, its user and the user's role codes: the ORM
took longer to compile `filter(token_key=...).select_related("user")` than the database took to answer it, on
every request, and the roles cost a query of their own on most requests (bench/README.md, the profiles). The
rows become model instances through the database's own converters; the roles are the user's prefetched
`roles`, so `has_role` and `RolesPrefetchedMixin` ask nothing more.
The schema names the scheme `tokenAuth`, as it did for DRF's tokens: clients see the same header.
"""

import binascii
from functools import cache
from hmac import compare_digest

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.db.models.expressions import Col
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS, knox_settings
from knox.signals import token_expired
from rest_framework import exceptions

from core import batch


class _Reader:
    """The SELECT of a token and its user on one database, and the converters of its columns."""

    def __init__(self, alias: str):
        token_model, user_model = get_token_model(), get_user_model()
        connection = connections[alias]
        quote = connection.ops.quote_name
        self.alias = alias
        self.token_fields = list(token_model._meta.concrete_fields)
        self.user_fields = list(user_model._meta.concrete_fields)
        token_table, user_table = quote(token_model._meta.db_table), quote(user_model._meta.db_table)
        columns = [f"t.{quote(f.column)}" for f in self.token_fields]
        columns += [f"u.{quote(f.column)}" for f in self.user_fields]
        roles = user_model._meta.get_field("roles")
        aggregate = "string_agg" if connection.vendor == "postgresql" else "group_concat"
        columns.append(
            f"(SELECT {aggregate}(r.{quote(roles.m2m_reverse_name())}, ',') "
            f"FROM {quote(roles.m2m_db_table())} r WHERE r.{quote(roles.m2m_column_name())} = u.{quote(user_model._meta.pk.column)})"
        )
        self.role_model = roles.related_model
        user_fk = token_model._meta.get_field("user")
        self.sql = (
            f"SELECT {', '.join(columns)} FROM {token_table} t JOIN {user_table} u "
            f"ON u.{quote(user_fk.target_field.column)} = t.{quote(user_fk.column)} "
            f"WHERE t.{quote(token_model._meta.get_field('token_key').column)} = %s"
        )
        self.converters = []
        for index, model_field in enumerate(self.token_fields + self.user_fields):
            col = Col("t", model_field)
            functions = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if functions:
                self.converters.append((index, col, functions))
        self.token_model, self.user_model = token_model, user_model

    def rows(self, key: str) -> list:
        connection = connections[self.alias]
        [rows] = batch.run([(self.sql, [key])], using=self.alias)  # prepared on the connection
        found = []
        for row in rows:
            values = list(row)
            for index, col, functions in self.converters:
                for convert in functions:
                    values[index] = convert(values[index], col, connection)
            *values, role_codes = values
            token_values, user_values = values[: len(self.token_fields)], values[len(self.token_fields) :]
            token = self.token_model.from_db(self.alias, [f.attname for f in self.token_fields], token_values)
            user = self.user_model.from_db(self.alias, [f.attname for f in self.user_fields], user_values)
            self._prefetch_roles(user, role_codes.split(",") if role_codes else [])
            token.user = user
            found.append(token)
        return found

    def _prefetch_roles(self, user, codes: list[str]) -> None:
        """The user's `roles` as if prefetched (Role is its code alone)."""
        roles = user.roles.get_queryset()
        roles._result_cache = [
            self.role_model.from_db(self.alias, ["code"], [code]) for code in sorted(codes)
        ]
        roles._prefetch_done = True
        user._prefetched_objects_cache = {"roles": roles}


@cache
def _reader(alias: str) -> _Reader:
    return _Reader(alias)


class TokenAuthentication(KnoxTokenAuthentication):
    """Knox's scheme with its look-up in one hand-written query, without the per-request cleanup."""

    def authenticate_credentials(self, token: bytes):
        message = _("Invalid token.")
        token = token.decode("utf-8")
        alias = router.db_for_read(get_token_model())
        for auth_token in _reader(alias).rows(token[: CONSTANTS.TOKEN_KEY_LENGTH]):
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error) as error:
                raise exceptions.AuthenticationFailed(message) from error
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(message)

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )
