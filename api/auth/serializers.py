"""Shapes of login, token and the caller's own profile (/me/)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from org.login import USERNAME_MAX_LENGTH
from org.models import Position, RoleCode


class TokenObtainSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=USERNAME_MAX_LENGTH)
    password = serializers.CharField(max_length=1024, trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


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
