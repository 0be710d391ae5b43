"""Token login and logout, and the caller's own profile."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from api.auth.serializers import MeSerializer, TokenObtainSerializer, TokenSerializer
from api.core.schema import error_codes
from org.codes import OrgError
from org.login import token_obtain, token_revoke


class TokenObtainView(APIView):
    """ログイン: username and password → the API token, sent afterwards as `Authorization: Token <token>`.

    Wrong credentials → 400 `invalid_credentials`; after LOGIN_FAILURE_LIMIT consecutive failures the
    username is locked for a while → 429 `account_locked` with Retry-After.
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
        token = token_obtain(request=request, **serializer.validated_data)
        return Response(TokenSerializer({"token": token}).data)


class TokenRevokeView(APIView):
    """ログアウト: deletes the caller's API token."""

    @extend_schema(request=None, responses={204: None}, tags=["auth"])
    @error_codes()
    def post(self, request):
        token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """The caller's own profile, department and roles (the authenticated user needs no further read)."""

    @extend_schema(responses=MeSerializer, tags=["auth"])
    @error_codes()
    def get(self, request):
        return Response(MeSerializer(request.user).data)
