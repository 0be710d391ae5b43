"""Shapes of the overtime orders (時間外勤務命令) and day swaps (週休日の振替) endpoints."""

from api.attendance.serializers import MonthField
from api.core import serializers
from attendance.models import DaySwap, OvertimeOrder
from org.models import Department


class OvertimeOrderCreateSerializer(serializers.Serializer):
    employee = serializers.IntegerField(
        required=False, min_value=1, help_text="Whose overtime: the caller (事前申請) when left out."
    )
    date = serializers.DateField()
    start = serializers.TimeField()
    end = serializers.TimeField()
    telework = serializers.BooleanField(
        required=False, default=False, help_text="The overtime is worked on a telework day."
    )
    reason = serializers.CharField(max_length=2000)


class OvertimeOrderSerializer(serializers.ModelSerializer):
    employee_name = serializers.CharField(source="employee.name", read_only=True)
    minutes = serializers.IntegerField(read_only=True)

    class Meta:
        model = OvertimeOrder
        fields = [
            "id",
            "employee",
            "employee_name",
            "date",
            "start",
            "end",
            "minutes",
            "telework",
            "reason",
            "status",
            "ordered_by",
            "document",
            "created_at",
            "decided_at",
            "cancelled_at",
        ]
        read_only_fields = fields


class OrderListQuerySerializer(serializers.Serializer):
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), required=False, allow_null=True
    )
    month = MonthField(required=False)


class DaySwapCreateSerializer(serializers.Serializer):
    work_date = serializers.DateField(help_text="The 週休日 to work.")
    off_date = serializers.DateField(help_text="The working day taken off instead.")
    reason = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class DaySwapSerializer(serializers.ModelSerializer):
    employee_name = serializers.CharField(source="employee.name", read_only=True)

    class Meta:
        model = DaySwap
        fields = [
            "id",
            "employee",
            "employee_name",
            "work_date",
            "off_date",
            "reason",
            "status",
            "document",
            "created_at",
            "decided_at",
            "cancelled_at",
        ]
        read_only_fields = fields
