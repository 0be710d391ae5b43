"""Shapes of the attendance endpoints: clocking, PC logs, days, timesheets, closing and the CSV parameters."""

from datetime import date

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from attendance.codes import AttendanceError
from attendance.models import ClockEvent, ClockKind, ClockSource, DaySummary, Location, PcLogKind
from org.models import Department, Employee


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-06"})
class MonthField(serializers.Field):
    """`YYYY-MM` on the wire, the first day of the month inside."""

    default_error_messages = {"invalid": _("YYYY-MM 形式で指定してください。")}

    def to_internal_value(self, data) -> date:
        try:
            year, month = str(data).split("-")
            if len(year) != 4 or len(month) != 2:
                raise ValueError
            return date(int(year), int(month), 1)
        except ValueError:
            self.fail("invalid")

    def to_representation(self, value: date) -> str:
        return f"{value:%Y-%m}"


class ClockSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ClockKind.choices)
    location = serializers.ChoiceField(choices=Location.choices)
    source = serializers.ChoiceField(
        choices=[ClockSource.WEB, ClockSource.MOBILE], default=ClockSource.WEB, required=False
    )


class ClockEventSerializer(serializers.ModelSerializer):
    replaced = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = ClockEvent
        fields = ["id", "employee", "kind", "at", "work_date", "location", "source", "corrects", "replaced"]
        read_only_fields = fields


class EventsQuerySerializer(serializers.Serializer):
    date = serializers.DateField(required=False)
    employee = serializers.IntegerField(required=False, min_value=1)


class PcLogSerializer(serializers.Serializer):
    employee = serializers.PrimaryKeyRelatedField(queryset=Employee.objects.all())
    kind = serializers.ChoiceField(choices=PcLogKind.choices)
    at = serializers.DateTimeField()
    system = serializers.CharField(max_length=50)


class PcLogOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    employee = serializers.IntegerField(source="employee_id")
    kind = serializers.CharField()
    at = serializers.DateTimeField()
    work_date = serializers.DateField()
    system = serializers.CharField()


class DaysQuerySerializer(serializers.Serializer):
    # `from` is a Python keyword: the field is declared below by name.
    to = serializers.DateField()
    employee = serializers.IntegerField(required=False, min_value=1)

    def validate(self, attrs):
        if attrs["from"] > attrs["to"]:
            raise serializers.ValidationError(
                {"to": _("終了日は開始日以降にしてください。")}, code=AttendanceError.BEFORE_START
            )
        if (attrs["to"] - attrs["from"]).days > 366:
            raise serializers.ValidationError(
                {"to": _("期間は1年以内にしてください。")}, code=AttendanceError.RANGE_TOO_LONG
            )
        return attrs


DaysQuerySerializer._declared_fields["from"] = serializers.DateField()


class DaySerializer(serializers.ModelSerializer):
    location = serializers.SerializerMethodField()

    class Meta:
        model = DaySummary
        fields = [
            "employee",
            "date",
            "first_in",
            "last_out",
            "location",
            "worked_minutes",
            "break_minutes",
            "overtime_minutes",
            "late_night_minutes",
            "holiday_work_minutes",
            "is_holiday",
            "anomalies",
        ]
        read_only_fields = fields

    def get_location(self, summary) -> str | None:
        return summary.location or None


class TimesheetQuerySerializer(serializers.Serializer):
    employee = serializers.IntegerField(required=False, min_value=1)


class TimesheetSerializer(serializers.Serializer):
    month = MonthField()
    employee = serializers.IntegerField(source="employee.pk")
    status = serializers.CharField()
    document = serializers.IntegerField(allow_null=True)
    totals = serializers.DictField(child=serializers.IntegerField())
    days = DaySerializer(many=True)


class CloseSerializer(serializers.Serializer):
    employee = serializers.PrimaryKeyRelatedField(queryset=Employee.objects.all(), required=False)
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), required=False
    )

    def validate(self, attrs):
        if ("employee" in attrs) == ("department" in attrs):
            raise serializers.ValidationError(
                _("employee か department のどちらか一方を指定してください。"),
                code=AttendanceError.EMPLOYEE_OR_DEPARTMENT,
            )
        return attrs


class ClosedMonthSerializer(serializers.Serializer):
    employee = serializers.IntegerField(source="employee_id")
    month = MonthField()
    status = serializers.CharField()
    closed_at = serializers.DateTimeField()


class ExportQuerySerializer(serializers.Serializer):
    month = MonthField()
    department = serializers.SlugField(required=False)
    kind = serializers.ChoiceField(choices=["days", "summary"], default="days", required=False)


class CorrectionEventSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ClockKind.choices)
    at = serializers.DateTimeField()
    location = serializers.ChoiceField(choices=Location.choices)


class CorrectionCreateSerializer(serializers.Serializer):
    date = serializers.DateField()
    events = CorrectionEventSerializer(many=True, allow_empty=False, max_length=20)
    reason = serializers.CharField(max_length=2000)


class CorrectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    employee = serializers.IntegerField(source="employee_id")
    date = serializers.DateField()
    status = serializers.CharField()
    document = serializers.IntegerField(source="document_id", allow_null=True)
    events = serializers.ListField(child=serializers.DictField())
    reason = serializers.CharField()


class TimesheetSubmittedSerializer(serializers.Serializer):
    month = MonthField()
    status = serializers.CharField()
    document = serializers.IntegerField(source="document_id", allow_null=True)
