"""Shapes of the attendance endpoints: clocking, PC logs, days, timesheets, closing and reopening, schedules and
their assignments, and the CSV parameters."""

from datetime import date

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from api.core import limits, serializers
from api.core.codes import ApiError
from attendance.codes import AttendanceError
from attendance.models import (
    ClockEvent,
    ClockKind,
    ClockSource,
    DaySummary,
    Location,
    PcLogKind,
    ScheduleAssignment,
    WorkSchedule,
)
from core.errors import CoreError
from leave.models import RequestUnit
from org.models import Department, Employee

WEEKDAY_CHOICES = [(n, label) for n, label in enumerate("月火水木金土日")]


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-06"})
class MonthField(serializers.Field):
    """`YYYY-MM` on the wire, the first day of the month inside."""

    default_error_messages = {"invalid": _("YYYY-MM 形式で指定してください。")}

    def to_internal_value(self, data) -> date:
        try:
            year, month = str(data).split("-")
            if len(year) != 4 or len(month) != 2:
                raise ValueError
            value = date(int(year), int(month), 1)
        except ValueError:
            self.fail("invalid")
        if not limits.min_date() <= value <= limits.max_date():
            raise serializers.ValidationError(
                ApiError.DATE_OUT_OF_RANGE.message, code=ApiError.DATE_OUT_OF_RANGE
            )
        return value

    def to_representation(self, value: date) -> str:
        return f"{value:%Y-%m}"


class ClockSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ClockKind.choices)
    location = serializers.ChoiceField(choices=Location.choices)
    source = serializers.ChoiceField(
        choices=[ClockSource.WEB, ClockSource.MOBILE], default=ClockSource.WEB, required=False
    )
    occurred_at = serializers.DateTimeField(
        required=False,
        help_text="An offline replay: when the button was pressed on the device (ISO 8601 with its offset); "
        "needs an `Idempotency-Key`.",
    )

    def validate_occurred_at(self, value):
        raw = self.initial_data.get("occurred_at")
        parsed = parse_datetime(raw) if isinstance(raw, str) else None
        if parsed is None or parsed.tzinfo is None:
            raise serializers.ValidationError(
                _("時差(+09:00 など)付きの日時で指定してください。"), code=CoreError.INVALID
            )
        return value


class ClockEventSerializer(serializers.ModelSerializer):
    replaced = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = ClockEvent
        fields = [
            "id",
            "employee",
            "kind",
            "at",
            "work_date",
            "location",
            "source",
            "corrects",
            "replaced",
            "offline_replay",
            "recorded_at",
        ]
        read_only_fields = fields

    def to_representation(self, event):
        """What the declared fields give, written out: DRF's walk over eleven fields was a tenth of a clock-in's
        time in Python (bench/README.md). `replaced` is set by the day's list, absent on a new event."""
        moment = serializers.moment
        return {
            "id": event.id,
            "employee": event.employee_id,
            "kind": event.kind,
            "at": moment(event.at),
            "work_date": event.work_date.isoformat(),
            "location": event.location,
            "source": event.source,
            "corrects": event.corrects_id,
            "replaced": bool(getattr(event, "replaced", False)),
            "offline_replay": event.offline_replay,
            "recorded_at": moment(event.recorded_at),
        }


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


class PcLogBulkItemSerializer(serializers.Serializer):
    employee = serializers.CharField(
        max_length=150, help_text="The username or the external id (`external_id`)."
    )
    kind = serializers.ChoiceField(choices=PcLogKind.choices)
    at = serializers.DateTimeField()
    system = serializers.CharField(max_length=50)


PC_LOG_BULK_MAX = 1000


class PcLogBulkFailureSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The item's position in the request, from 0.")
    code = serializers.CharField()


class PcLogBulkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    duplicates = serializers.IntegerField(
        help_text="Items already recorded (same system, employee, kind, at)."
    )
    failed = PcLogBulkFailureSerializer(many=True)

    def to_representation(self, result):
        return {
            "created": result.created,
            "duplicates": result.duplicates,
            "failed": [{"index": index, "code": str(code)} for index, code in result.failed],
        }


class DayLogsQuerySerializer(serializers.Serializer):
    date = serializers.DateField()
    employee = serializers.IntegerField(required=False, min_value=1)


class LogGapReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()
    recorded_by = serializers.IntegerField(source="recorded_by_id")
    recorded_at = serializers.DateTimeField()


class DayLogsSerializer(serializers.Serializer):
    employee = serializers.IntegerField(source="employee.pk")
    date = serializers.DateField()
    first_in = serializers.DateTimeField(source="summary.first_in", allow_null=True, default=None)
    last_out = serializers.DateTimeField(source="summary.last_out", allow_null=True, default=None)
    log_gap = serializers.SerializerMethodField()
    logs = PcLogOutSerializer(many=True)
    reason = LogGapReasonSerializer(allow_null=True, help_text="勤怠差異の理由, when one was recorded.")

    def get_log_gap(self, day) -> bool:
        return bool(day.summary and "log_gap" in (day.summary.anomalies or []))


class LogGapReasonWriteSerializer(serializers.Serializer):
    date = serializers.DateField()
    employee = serializers.PrimaryKeyRelatedField(
        queryset=Employee.objects.all(), required=False, help_text="Another employee's day (a manager, HR)."
    )
    reason = serializers.CharField(max_length=2000)


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


class DayLeaveSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="The leave type's code (annual, sick, summer, ...).")
    unit = serializers.ChoiceField(choices=RequestUnit.choices)
    hours = serializers.FloatField()


class DaySerializer(serializers.ModelSerializer):
    """A day; `leave` is the day's approved leave (the view puts the days' leave in the context as `leave`)."""

    location = serializers.SerializerMethodField()
    leave = serializers.SerializerMethodField()

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
            "ordered_overtime_minutes",
            "late_night_minutes",
            "holiday_work_minutes",
            "is_holiday",
            "day_kind",
            "late_minutes",
            "early_leave_minutes",
            "anomalies",
            "leave",
        ]
        read_only_fields = fields

    def get_location(self, summary) -> str | None:
        return summary.location or None

    @extend_schema_field(DayLeaveSerializer(allow_null=True))
    def get_leave(self, summary) -> dict | None:
        leave = self.context.get("leave", {}).get(summary.date)
        return {"type": leave["type"], "unit": leave["unit"], "hours": leave["hours"]} if leave else None


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


class ReopenSerializer(serializers.Serializer):
    employee = serializers.PrimaryKeyRelatedField(queryset=Employee.objects.all())
    reason = serializers.CharField(max_length=2000)


class ClosedMonthSerializer(serializers.Serializer):
    employee = serializers.IntegerField(source="employee_id")
    month = MonthField()
    status = serializers.CharField()
    closed_at = serializers.DateTimeField()


class MonthCloseResultSerializer(serializers.Serializer):
    """What the month close answers: the month and the employees' months it closed."""

    month = MonthField()
    closed = ClosedMonthSerializer(many=True)


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


class ScheduleSerializer(serializers.ModelSerializer):
    """勤務時間割: `end` at or before `start` is the next morning (a night shift); `rest_weekdays` are the 週休日,
    0 = Monday … 6 = Sunday (Saturday and Sunday by default)."""

    rest_weekdays = serializers.ListField(
        child=serializers.ChoiceField(choices=WEEKDAY_CHOICES), required=False, max_length=7
    )
    minutes = serializers.IntegerField(read_only=True, help_text="所定勤務時間 of a day, in minutes.")

    class Meta:
        model = WorkSchedule
        fields = ["id", "name", "start", "end", "break_start", "break_end", "rest_weekdays", "minutes"]
        read_only_fields = ["id", "minutes"]
        # the name's uniqueness is the service's (one error shape whichever way the schedule is written)
        extra_kwargs = {"name": {"validators": []}}


class ScheduleAssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScheduleAssignment
        fields = ["id", "employee", "schedule", "start", "end"]
        read_only_fields = ["id"]
        validators = []  # the period's rules are the service's


class ScheduleAssignmentsQuerySerializer(serializers.Serializer):
    employee = serializers.IntegerField(required=False, min_value=1)
