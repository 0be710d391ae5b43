"""Token login and logout, the caller's own profile, password and tokens."""

from django.contrib.auth import update_session_auth_hash
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from api.auth.serializers import (
    AccessTokenSerializer,
    MeSerializer,
    PasswordChangeSerializer,
    TokenObtainSerializer,
    TokenSerializer,
)
from api.core.schema import error_codes
from org import services
from org.codes import OrgError
from org.login import (
    TOKEN_NAME_MAX_LENGTH,
    client_address,
    token_delete,
    token_obtain,
    token_revoke,
    tokens_of,
)
from org.models import AccessToken

PASSWORD_FIELD_CODES = (
    OrgError.CURRENT_PASSWORD_INCORRECT,
    OrgError.PASSWORD_TOO_SIMILAR,
    OrgError.PASSWORD_TOO_SHORT,
    OrgError.PASSWORD_TOO_COMMON,
    OrgError.PASSWORD_ENTIRELY_NUMERIC,
)


class TokenObtainView(APIView):
    """ログイン: username and password → a new API token for this device, sent afterwards as
    `Authorization: Token <token>`, with its `id`, `name` and absolute `expiry` (API_TOKEN_TTL_DAYS).

    Wrong credentials → 400 `invalid_credentials`; after LOGIN_FAILURE_LIMIT consecutive failures from one address
    the username is locked there for a while (and an address failing for many usernames is locked too) → 429
    `account_locked` with Retry-After.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(
        request=TokenObtainSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="`invalid_credentials`, or `invalid` with `errors`."),
            429: OpenApiResponse(description="`account_locked` or `throttled`; see `Retry-After`."),
        },
        tags=["auth"],
    )
    @error_codes(OrgError.INVALID_CREDENTIALS, OrgError.ACCOUNT_LOCKED)
    def post(self, request):
        serializer = TokenObtainSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        issued = token_obtain(
            request=request,
            username=data["username"],
            password=data["password"],
            name=data.get("name") or request.headers.get("User-Agent", "")[:TOKEN_NAME_MAX_LENGTH],
            address=client_address(request),
        )
        token = issued.token
        body = {"token": issued.key, "id": token.pk, "name": token.name, "expiry": token.expiry}
        return Response(TokenSerializer(body).data)


class TokenRevokeView(APIView):
    """ログアウト: deletes the API token of this request (the caller's other devices stay logged in)."""

    @extend_schema(request=None, responses={204: None}, tags=["auth"])
    @error_codes()
    def post(self, request):
        token_revoke(user=request.user, token=request.auth if isinstance(request.auth, AccessToken) else None)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """The caller's own profile, department and roles (the authenticated user needs no further read)."""

    @extend_schema(responses=MeSerializer, tags=["auth"])
    @error_codes()
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class PasswordChangeView(APIView):
    """パスワード変更: the caller's own, with the current one; every other token of the caller ends (this one
    and, for a session, this session stay). 204. Under the `login` throttle, so it cannot be used to guess."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(request=PasswordChangeSerializer, responses={204: None}, tags=["auth"])
    @error_codes(fields=PASSWORD_FIELD_CODES)
    def post(self, request):
        serializer = PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        employee = services.password_change(
            employee=request.user,
            keep=request.auth if isinstance(request.auth, AccessToken) else None,
            address=client_address(request),
            **serializer.validated_data,
        )
        if request.auth is None:  # a session: it stays logged in with the new password
            update_session_auth_hash(request._request, employee)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's API tokens (one per login), to see where they are logged in and to end one (a lost phone)."""

    serializer_class = AccessTokenSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no caller
            return AccessToken.objects.none()
        return tokens_of(user=self.request.user)

    @extend_schema(tags=["auth"])
    @error_codes()
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={204: None}, tags=["auth"])
    @error_codes(OrgError.TOKEN_NOT_FOUND)
    def destroy(self, request, pk=None):
        token_delete(
            actor=request.user,
            token_id=int(pk),
            current=request.auth if isinstance(request.auth, AccessToken) else None,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
