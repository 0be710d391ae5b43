"""`Authorization: Token <token>`: django-rest-knox's hashed tokens (`org.AccessToken`), one query a request.

Knox's own class also deletes the user's other expired tokens on every request (a second query); here an
expired token is only refused, and `org.tasks.purge_tokens` removes the expired rows on a schedule.
The schema names the scheme `tokenAuth`, as it did for DRF's tokens: clients see the same header.
"""

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.signals import token_expired


class TokenAuthentication(KnoxTokenAuthentication):
    """Knox's scheme without the per-request cleanup of the user's other tokens."""

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
