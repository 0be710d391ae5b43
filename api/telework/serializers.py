"""Shapes of the telework endpoints: policy, requests, day reports, calendar, continuity, blackout dates."""

from django.utils.translation import get_language

from api.core import serializers
from org.models import Department, EmploymentType
from telework.models import BlackoutDate, ContinuityPeriod, DayReport, DayUnit, Location, TeleworkRequest
from telework.rules import RULE_CODES, SEVERITIES

# --- policy -----------------------------------------------------------------------------------------


class BlackoutDateSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = BlackoutDate
        fields = ["id", "date", "reason", "department"]
        read_only_fields = fields


class BlackoutDateCreateSerializer(serializers.Serializer):
    date = serializers.DateField()
    reason = serializers.CharField(max_length=200)
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), required=False, allow_null=True
    )


class PolicyVersionsSerializer(serializers.Serializer):
    default = serializers.IntegerField(allow_null=True)
    department = serializers.IntegerField(allow_null=True)


class PolicySerializer(serializers.Serializer):
    """The effective policy of a scope (the town default, or a department with its override merged in)."""

    department = serializers.CharField(allow_null=True)
    allowed_locations = serializers.ListField(child=serializers.ChoiceField(choices=Location.choices))
    max_days_per_week = serializers.IntegerField(allow_null=True)
    max_days_per_month = serializers.IntegerField(allow_null=True)
    max_consecutive_days = serializers.IntegerField(allow_null=True)
    advance_notice_business_days = serializers.IntegerField(allow_null=True)
    min_office_staff = serializers.IntegerField(allow_null=True)
    blackout_dates = BlackoutDateSerializer(many=True)
    eligible_employment_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EmploymentType.choices), allow_null=True
    )
    min_months_since_hire = serializers.IntegerField(allow_null=True)
    require_security_training = serializers.BooleanField()
    require_security_pledge = serializers.BooleanField()
    require_day_report = serializers.BooleanField()
    allow_half_days = serializers.BooleanField(help_text="半日単位(午前・午後)のテレワークを認める")
    after_the_fact_business_days = serializers.IntegerField(
        allow_null=True, help_text="事後申請の期限(実施日から何開庁日以内か); null = 事後申請を認めない"
    )
    require_start_end_report = serializers.BooleanField(
        help_text="始業・終業報告: 在宅・サテライトでの出退勤を所属長にチャットで通知する"
    )
    severities = serializers.DictField(child=serializers.ChoiceField(choices=SEVERITIES))
    override = serializers.DictField(
        allow_null=True, help_text="The department's own fields (null = inherited)."
    )
    versions = PolicyVersionsSerializer()
    phase = serializers.CharField(allow_null=True)


class BlackoutDateItemSerializer(serializers.Serializer):
    date = serializers.DateField()
    reason = serializers.CharField(max_length=200)


class PolicyUpdateSerializer(serializers.Serializer):
    """PATCH: on a department, null means "inherit the town default"; on the default, "no limit".
    `blackout_dates` replaces the scope's own upcoming blackout dates (the department's on a department, the
    town-wide ones on the default); `blackout-dates/` adds one at a time. Unknown fields are refused (400)."""

    allowed_locations = serializers.ListField(
        child=serializers.ChoiceField(choices=Location.choices), allow_null=True, required=False
    )
    max_days_per_week = serializers.IntegerField(min_value=0, max_value=7, allow_null=True, required=False)
    max_days_per_month = serializers.IntegerField(min_value=0, max_value=31, allow_null=True, required=False)
    max_consecutive_days = serializers.IntegerField(
        min_value=0, max_value=31, allow_null=True, required=False
    )
    advance_notice_business_days = serializers.IntegerField(
        min_value=0, max_value=60, allow_null=True, required=False
    )
    min_office_staff = serializers.IntegerField(min_value=0, max_value=1000, allow_null=True, required=False)
    eligible_employment_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EmploymentType.choices), allow_null=True, required=False
    )
    min_months_since_hire = serializers.IntegerField(
        min_value=0, max_value=600, allow_null=True, required=False
    )
    require_security_training = serializers.BooleanField(allow_null=True, required=False)
    require_security_pledge = serializers.BooleanField(allow_null=True, required=False)
    require_day_report = serializers.BooleanField(allow_null=True, required=False)
    allow_half_days = serializers.BooleanField(allow_null=True, required=False)
    after_the_fact_business_days = serializers.IntegerField(
        min_value=0, max_value=60, allow_null=True, required=False
    )
    require_start_end_report = serializers.BooleanField(allow_null=True, required=False)
    severities = serializers.DictField(
        child=serializers.ChoiceField(choices=SEVERITIES), allow_null=True, required=False
    )
    blackout_dates = BlackoutDateItemSerializer(many=True, required=False)

    def validate_severities(self, value):
        unknown = sorted(set(value or {}) - set(RULE_CODES))
        if unknown:
            raise serializers.ValidationError(f"unknown rule codes: {', '.join(unknown)}")
        return value


# --- requests ---------------------------------------------------------------------------------------


def localized_warning(warning: dict) -> dict:
    english = (get_language() or "").startswith("en")
    return {
        "field": warning.get("field"),
        "code": warning["code"],
        "message": warning["message_en"] if english else warning["message_ja"],
        "params": warning.get("params", {}),
    }


class IssueSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True)
    code = serializers.ChoiceField(choices=RULE_CODES)
    message = serializers.CharField()
    params = serializers.DictField()


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RequestDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    unit = serializers.ChoiceField(choices=DayUnit.choices)
    status = serializers.CharField()
    reported = serializers.BooleanField()


class TeleworkRequestSerializer(serializers.ModelSerializer):
    employee = serializers.SerializerMethodField()
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    dates = serializers.SerializerMethodField()
    days = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()
    policy_version = serializers.SerializerMethodField()

    class Meta:
        model = TeleworkRequest
        fields = [
            "id",
            "employee",
            "department",
            "location",
            "unit",
            "work_plan",
            "status",
            "document",
            "dates",
            "days",
            "warnings",
            "policy_version",
            "after_the_fact",
            "approved_after_the_day",
            "created_at",
            "decided_at",
            "cancelled_at",
        ]
        read_only_fields = fields

    def get_employee(self, obj) -> PersonSerializer:
        return {"id": obj.employee_id, "name": obj.employee.name or obj.employee.username}

    def get_dates(self, obj) -> list[str]:
        """The days the request covers now (a day cancelled on its own is in `days` only)."""
        return [day.date.isoformat() for day in obj.days.all() if day.status == obj.status]

    def get_days(self, obj) -> RequestDaySerializer(many=True):
        return [
            {
                "date": day.date.isoformat(),
                "unit": day.unit,
                "status": day.status,
                "reported": hasattr(day, "report"),
            }
            for day in obj.days.all()
        ]

    def get_warnings(self, obj) -> IssueSerializer(many=True):
        return [localized_warning(warning) for warning in obj.warnings]

    def get_policy_version(self, obj) -> PolicyVersionsSerializer:
        return {
            "default": obj.policy_version.version if obj.policy_version else None,
            "department": obj.department_policy_version.version if obj.department_policy_version else None,
        }


class RuleCheckSerializer(serializers.Serializer):
    checked_at = serializers.DateTimeField()
    policy_version = PolicyVersionsSerializer(
        help_text="The policy versions the request was checked against."
    )
    ok = serializers.BooleanField(help_text="No hard violation: the request can be approved now.")
    violations = IssueSerializer(many=True)
    warnings = IssueSerializer(many=True)


class TeleworkRequestDetailSerializer(TeleworkRequestSerializer):
    check = serializers.SerializerMethodField(
        help_text="For approvers of a submitted request: the rules as of now."
    )

    class Meta(TeleworkRequestSerializer.Meta):
        fields = [*TeleworkRequestSerializer.Meta.fields, "check"]
        read_only_fields = fields

    def get_check(self, obj) -> RuleCheckSerializer(allow_null=True):
        return self.context.get("check")


class TeleworkRequestCreateSerializer(serializers.Serializer):
    dates = serializers.ListField(child=serializers.DateField(), min_length=1, max_length=31)
    location = serializers.ChoiceField(choices=Location.choices)
    unit = serializers.ChoiceField(
        choices=DayUnit.choices, default=DayUnit.DAY, help_text="day (終日), am (午前) or pm (午後)"
    )
    work_plan = serializers.CharField(max_length=4000)


class TeleworkRequestCancelSerializer(serializers.Serializer):
    dates = serializers.ListField(
        child=serializers.DateField(),
        min_length=1,
        max_length=31,
        required=False,
        help_text="The days to cancel (一部取消); every day when omitted.",
    )


class RequestListQuerySerializer(serializers.Serializer):
    mine = serializers.BooleanField(required=False, default=False)
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), required=False, allow_null=True
    )


class DayReportCreateSerializer(serializers.Serializer):
    date = serializers.DateField()
    summary = serializers.CharField(max_length=4000)


class DayReportSerializer(serializers.ModelSerializer):
    date = serializers.DateField(source="day.date")
    request = serializers.IntegerField(source="day.request_id")

    class Meta:
        model = DayReport
        fields = ["id", "request", "date", "summary", "submitted_at"]
        read_only_fields = fields


# --- calendar ---------------------------------------------------------------------------------------


class CalendarQuerySerializer(serializers.Serializer):
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), required=False, allow_null=True
    )
    to = serializers.DateField()

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField()  # `from` is a keyword in Python
        return fields

    def validate(self, attrs):
        if attrs["to"] < attrs["from"]:
            raise serializers.ValidationError({"to": "must be on or after from"})
        if (attrs["to"] - attrs["from"]).days > 92:
            raise serializers.ValidationError({"to": "at most 93 days at once"})
        return attrs


class TeleworkerSerializer(PersonSerializer):
    location = serializers.ChoiceField(choices=Location.choices)
    unit = serializers.ChoiceField(choices=DayUnit.choices)


class OnLeaveSerializer(PersonSerializer):
    unit = serializers.ChoiceField(
        choices=["day", "am", "pm", "hours"],
        help_text="休暇: the part of the day (never the type nor the reason)",
    )


class CalendarDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    is_working_day = serializers.BooleanField()
    closure_reason = serializers.CharField(allow_null=True)
    in_office = PersonSerializer(many=True)
    teleworking = TeleworkerSerializer(many=True)
    pending = TeleworkerSerializer(many=True)
    absent = PersonSerializer(many=True)
    on_leave = OnLeaveSerializer(many=True)
    office_count = serializers.IntegerField()
    min_office_staff = serializers.IntegerField(allow_null=True)
    counter_ok = serializers.BooleanField()


class CalendarSerializer(serializers.Serializer):
    department = serializers.CharField()
    days = CalendarDaySerializer(many=True)


class CalendarTokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    url = serializers.CharField()


class FeedQuerySerializer(serializers.Serializer):
    token = serializers.CharField(max_length=200)


# --- continuity -------------------------------------------------------------------------------------


class ContinuityPeriodSerializer(serializers.ModelSerializer):
    departments = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = ContinuityPeriod
        fields = ["id", "start", "end", "departments", "reason", "created_at"]
        read_only_fields = fields


class ContinuityPeriodCreateSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    departments = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), many=True, required=False
    )
    reason = serializers.CharField(max_length=200)
