"""Shapes of login, tokens, the caller's own profile (/me/) and password."""

from drf_spectacular.utils import extend_schema_field

from api.core import serializers
from org.login import TOKEN_NAME_MAX_LENGTH, USERNAME_MAX_LENGTH
from org.models import Position, RoleCode


class TokenObtainSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=USERNAME_MAX_LENGTH)
    password = serializers.CharField(max_length=1024, trim_whitespace=False, style={"input_type": "password"})
    name = serializers.CharField(
        max_length=TOKEN_NAME_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text="the device or program the token is for (default: the User-Agent)",
    )


class TokenSerializer(serializers.Serializer):
    """A new token: `token` is shown this once (only its digest is kept); `expiry` is absolute."""

    token = serializers.CharField(read_only=True)
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    expiry = serializers.DateTimeField(read_only=True, allow_null=True)


class AccessTokenSerializer(serializers.Serializer):
    """One of the caller's tokens (never the token itself): `current` marks the one of this request."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    created = serializers.DateTimeField(read_only=True)
    expiry = serializers.DateTimeField(read_only=True, allow_null=True)
    current = serializers.SerializerMethodField()

    def get_current(self, token) -> bool:
        auth = self.context["request"].auth
        return auth is not None and getattr(auth, "pk", None) == token.pk


class PasswordChangeSerializer(serializers.Serializer):
    current_password = serializers.CharField(max_length=1024, trim_whitespace=False)
    new_password = serializers.CharField(max_length=1024, trim_whitespace=False)


class DepartmentBriefSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class MeSerializer(serializers.Serializer):
    """The caller: `department` is null for a system administrator outside the organisation chart."""

    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    department = DepartmentBriefSerializer(read_only=True, allow_null=True)
    position = serializers.ChoiceField(choices=Position.choices, read_only=True)
    roles = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=RoleCode.choices)))
    def get_roles(self, employee) -> list[str]:
        codes = employee.role_codes
        return [code for code in RoleCode.values if code in codes]
