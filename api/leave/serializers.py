"""Shapes of the leave endpoints: types, the annual balance, requests."""

from api.core import serializers
from leave.codes import LeaveError
from leave.models import LeaveRequest, LeaveType, RequestUnit, TypeUnit
from org.models import Department


class WindowSerializer(serializers.Serializer):
    start = serializers.CharField(help_text="MM-DD")
    end = serializers.CharField(help_text="MM-DD")


class LeaveTypeSerializer(serializers.ModelSerializer):
    window = WindowSerializer(allow_null=True, read_only=True)
    max_days_per_year = serializers.FloatField(allow_null=True)
    max_days_per_event = serializers.FloatField(allow_null=True)
    units = serializers.ListField(child=serializers.ChoiceField(choices=TypeUnit.choices))

    class Meta:
        model = LeaveType
        fields = [
            "code",
            "name",
            "units",
            "paid",
            "balance",
            "max_days_per_year",
            "max_days_per_event",
            "window",
            "needs_attachment_after_days",
        ]
        read_only_fields = fields


class DaysHoursSerializer(serializers.Serializer):
    days = serializers.IntegerField(help_text="Whole days")
    hours = serializers.FloatField(help_text="The rest, in hours")
    minutes = serializers.FloatField(help_text="All of it, in minutes")


class HourlySerializer(serializers.Serializer):
    used = DaysHoursSerializer()
    limit = DaysHoursSerializer()


class BalanceSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    employee = serializers.IntegerField()
    day_minutes = serializers.IntegerField(help_text="The length of a day of leave (7h45m = 465)")
    granted = DaysHoursSerializer()
    carried_over = DaysHoursSerializer()
    used = DaysHoursSerializer(help_text="Submitted and approved requests")
    remaining = DaysHoursSerializer()
    hourly = HourlySerializer(help_text="Annual leave by the hour: used and the yearly limit")


class BalanceQuerySerializer(serializers.Serializer):
    employee = serializers.IntegerField(required=False, min_value=1)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class LeaveIssueSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True)
    code = serializers.CharField()
    message = serializers.CharField()
    params = serializers.DictField()


class LeavePersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class LeaveRequestSerializer(serializers.ModelSerializer):
    employee = serializers.SerializerMethodField()
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    type = serializers.SlugRelatedField(source="leave_type", slug_field="code", read_only=True)
    days = serializers.FloatField()
    hours = serializers.FloatField()
    minutes = serializers.FloatField()
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = LeaveRequest
        fields = [
            "id",
            "employee",
            "department",
            "type",
            "start_date",
            "end_date",
            "unit",
            "start_time",
            "end_time",
            "reason",
            "status",
            "document",
            "days",
            "hours",
            "minutes",
            "warnings",
            "created_at",
            "decided_at",
            "cancelled_at",
        ]
        read_only_fields = fields

    def get_employee(self, obj) -> LeavePersonSerializer:
        return {"id": obj.employee_id, "name": obj.employee.name or obj.employee.username}

    def get_warnings(self, obj) -> LeaveIssueSerializer(many=True):
        """Re-worded in the caller's language from the stored code and parameters."""
        return [
            LeaveError(warning["code"]).field(warning["field"], **warning["params"])
            for warning in obj.warnings
        ]


class LeaveRequestCreateSerializer(serializers.Serializer):
    type = serializers.SlugRelatedField(slug_field="code", queryset=LeaveType.objects.filter(active=True))
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, help_text="Default: the start date")
    unit = serializers.ChoiceField(choices=RequestUnit.choices, default=RequestUnit.DAY)
    start_time = serializers.TimeField(required=False, allow_null=True, help_text="unit=hours")
    end_time = serializers.TimeField(required=False, allow_null=True, help_text="unit=hours")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")

    def validate(self, attrs):
        attrs.setdefault("end_date", attrs["start_date"])
        return attrs


class RequestListQuerySerializer(serializers.Serializer):
    mine = serializers.BooleanField(required=False, default=False)
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), required=False, allow_null=True
    )
