"""Shapes of the organisation endpoints: departments, sections, employees, transfers and assignments, absences
(input and output)."""

from datetime import date

from api.core import serializers
from org.models import (
    Absence,
    Assignment,
    Department,
    Employee,
    EmploymentType,
    Position,
    RoleCode,
    Section,
)
from org.selectors import can_read_employee_record

# --- Departments ----------------------------------------------------------------------------------


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["code", "name", "short_name", "sort_order", "overtime_exempt", "is_active"]
        read_only_fields = fields


class DepartmentCreateSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=32)
    name = serializers.CharField(max_length=100)
    short_name = serializers.CharField(max_length=20)
    sort_order = serializers.IntegerField(min_value=0, required=False)
    overtime_exempt = serializers.BooleanField(required=False)


class DepartmentUpdateSerializer(serializers.Serializer):
    """PATCH: `code` is permanent and cannot change."""

    name = serializers.CharField(max_length=100, required=False)
    short_name = serializers.CharField(max_length=20, required=False)
    sort_order = serializers.IntegerField(min_value=0, required=False)
    overtime_exempt = serializers.BooleanField(required=False)
    is_active = serializers.BooleanField(required=False)


# --- Sections (係) ---------------------------------------------------------------------------------


class SectionSerializer(serializers.ModelSerializer):
    """{id, department (code), code, name, chief (employee id or null)}."""

    department = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Section
        fields = ["id", "department", "code", "name", "chief", "sort_order", "is_active"]
        read_only_fields = fields


class SectionCreateSerializer(serializers.Serializer):
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.filter(is_active=True)
    )
    code = serializers.SlugField(max_length=32)
    name = serializers.CharField(max_length=100)
    chief = serializers.PrimaryKeyRelatedField(
        queryset=Employee.objects.all(), required=False, allow_null=True
    )
    sort_order = serializers.IntegerField(min_value=0, required=False)


class SectionUpdateSerializer(serializers.Serializer):
    """PATCH: the department and code of a section are permanent."""

    name = serializers.CharField(max_length=100, required=False)
    chief = serializers.PrimaryKeyRelatedField(
        queryset=Employee.objects.all(), required=False, allow_null=True
    )
    sort_order = serializers.IntegerField(min_value=0, required=False)
    is_active = serializers.BooleanField(required=False)


class SectionListQuerySerializer(serializers.Serializer):
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), required=False
    )


# --- Employees ------------------------------------------------------------------------------------

DIRECTORY_FIELDS = ("id", "name", "department", "section", "position", "is_active")


class EmployeeSerializer(serializers.ModelSerializer):
    """An employee. Callers who may read only the directory (名簿) get `id, name, department, position,
    is_active`; the employee themself, hr and admin get every field."""

    always_present_fields = DIRECTORY_FIELDS  # the schema: the other fields are not sent to every caller
    department = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = Employee
        fields = [
            "id",
            "username",
            "name",
            "email",
            "department",
            "section",
            "position",
            "employee_number",
            "external_id",
            "employment_type",
            "hired_on",
            "retired_on",
            "roles",
            "deputy",
            "security_training_fy",
            "security_pledge_signed",
            "is_active",
        ]
        read_only_fields = fields

    def get_roles(self, employee: Employee) -> list[str]:
        return sorted(employee.role_codes)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if can_read_employee_record(viewer=self.context["request"].user, employee=instance):
            return data
        return {name: value for name, value in data.items() if name in DIRECTORY_FIELDS}


class EmployeeWriteSerializer(serializers.Serializer):
    """POST (username and name required) and PATCH (any subset). `password` is write-only."""

    username = serializers.CharField(max_length=150)
    password = serializers.CharField(
        write_only=True, required=False, allow_null=True, style={"input_type": "password"}
    )
    name = serializers.CharField(max_length=100)
    email = serializers.EmailField(required=False, allow_blank=True)
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.filter(is_active=True), required=False, allow_null=True
    )
    section = serializers.PrimaryKeyRelatedField(
        queryset=Section.objects.filter(is_active=True), required=False, allow_null=True
    )
    position = serializers.ChoiceField(choices=Position.choices, required=False)
    employee_number = serializers.CharField(max_length=20, required=False, allow_null=True, allow_blank=True)
    external_id = serializers.CharField(max_length=64, required=False, allow_null=True, allow_blank=True)
    employment_type = serializers.ChoiceField(choices=EmploymentType.choices, required=False)
    hired_on = serializers.DateField(
        required=False, allow_null=True, min_date=date(1950, 4, 1)
    )  # 採用日: long careers
    roles = serializers.ListField(child=serializers.ChoiceField(choices=RoleCode.choices), required=False)
    deputy = serializers.PrimaryKeyRelatedField(
        queryset=Employee.objects.all(), required=False, allow_null=True
    )
    security_training_fy = serializers.IntegerField(
        min_value=2000, max_value=2100, required=False, allow_null=True
    )
    security_pledge_signed = serializers.BooleanField(required=False)


# --- Transfers (人事異動) and assignments (配属履歴) ---------------------------------------------------


class TransferSerializer(serializers.Serializer):
    """人事異動: from `effective_on` the employee belongs to `department` (code; null: none) and `section`
    (id; of that department) as `position`."""

    employee = serializers.PrimaryKeyRelatedField(queryset=Employee.objects.all())
    effective_on = serializers.DateField()
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.filter(is_active=True), allow_null=True
    )
    section = serializers.PrimaryKeyRelatedField(
        queryset=Section.objects.filter(is_active=True), required=False, allow_null=True, default=None
    )
    position = serializers.ChoiceField(choices=Position.choices)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class AssignmentSerializer(serializers.ModelSerializer):
    """配属: `start` (発令日) to `end` (inclusive; null while it lasts), department (code), section (id),
    position."""

    department = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    effective_on = serializers.DateField(source="start", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "employee",
            "start",
            "effective_on",
            "end",
            "department",
            "section",
            "position",
            "reason",
        ]
        read_only_fields = fields


# --- Absences -------------------------------------------------------------------------------------


class AbsenceSerializer(serializers.ModelSerializer):
    employee_name = serializers.CharField(source="employee.name", read_only=True)

    class Meta:
        model = Absence
        fields = ["id", "employee", "employee_name", "start", "end", "reason", "created_by", "created_at"]
        read_only_fields = fields


class AbsenceCreateSerializer(serializers.Serializer):
    employee = serializers.PrimaryKeyRelatedField(queryset=Employee.objects.all())
    start = serializers.DateField()
    end = serializers.DateField()
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)
