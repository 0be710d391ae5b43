"""Shapes of the rollout endpoints (導入推進): phases against plan, the fiscal year's summary, monthly series
and the national survey. Aggregates per department only."""

import csv
import io

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer

from org.calendar import reiwa_fiscal_label_ja
from rollout import calculations
from telework.models import Phase

PLANNED_PHASE_CHOICES = [(phase, Phase(phase).label) for phase in calculations.PLANNED_PHASES]


class FiscalYearQuerySerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class PhaseMoveSerializer(serializers.Serializer):
    phase = serializers.ChoiceField(choices=Phase.choices)
    date = serializers.DateField(required=False, help_text=_("移行日(省略時は今日)"))
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class PlanSerializer(serializers.Serializer):
    """{phase: date or null}; null removes a department's own date (the town-wide date applies again)."""

    planned = serializers.DictField(child=serializers.DateField(allow_null=True))

    def validate_planned(self, value):
        unknown = sorted(set(value) - set(calculations.PLANNED_PHASES))
        if unknown:
            raise serializers.ValidationError(
                _("段階が正しくありません: %(phases)s") % {"phases": ", ".join(unknown)}
            )
        return value


class TownPlanSerializer(serializers.Serializer):
    planned = serializers.DictField(child=serializers.DateField())


class PhaseEventSerializer(serializers.Serializer):
    phase = serializers.CharField()
    previous_phase = serializers.CharField()
    date = serializers.DateField()
    note = serializers.CharField()
    moved_by = serializers.CharField(source="moved_by.name", default=None)


class PhaseMoveBriefSerializer(serializers.Serializer):
    phase = serializers.CharField()
    date = serializers.DateField()


class DepartmentRolloutSerializer(serializers.Serializer):
    """A department's phase against plan; `history` lists its moves (phase, date) oldest first."""

    code = serializers.CharField(source="department.code")
    name = serializers.CharField(source="department.name")
    phase = serializers.CharField()
    phase_since = serializers.DateField(allow_null=True)
    planned = serializers.DictField(child=serializers.DateField())
    behind_plan = serializers.BooleanField()
    overdue = serializers.ListField(child=serializers.CharField(), help_text=_("予定日を過ぎた未到達の段階"))
    history = PhaseMoveBriefSerializer(many=True)


class DepartmentRolloutDetailSerializer(DepartmentRolloutSerializer):
    history = PhaseEventSerializer(many=True)


class DepartmentAdoptionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    phase = serializers.CharField()
    behind_plan = serializers.BooleanField()
    implementing = serializers.BooleanField()
    headcount = serializers.IntegerField()
    teleworkers = serializers.IntegerField()
    telework_days = serializers.IntegerField()
    adoption_rate = serializers.FloatField()
    days_by_location = serializers.DictField(child=serializers.IntegerField())


class DepartmentRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SummarySerializer(serializers.Serializer):
    """年度の導入状況 from a FiscalYearSummary."""

    fiscal_year = serializers.IntegerField()
    fiscal_year_label = serializers.SerializerMethodField()
    as_of = serializers.DateField(help_text=_("段階を数えた日"))
    departments_total = serializers.IntegerField(source="kpi.departments_total")
    departments_implementing = serializers.IntegerField(source="kpi.departments_implementing")
    implementing_rate = serializers.FloatField(source="kpi.implementing_rate")
    target_rate = serializers.FloatField(source="kpi.target_rate")
    target_met = serializers.BooleanField(source="kpi.target_met")
    by_phase = serializers.DictField(child=serializers.IntegerField())
    not_implementing = serializers.SerializerMethodField()
    departments = serializers.SerializerMethodField()

    def get_fiscal_year_label(self, summary) -> str:
        return reiwa_fiscal_label_ja(summary.fiscal_year)

    @staticmethod
    def _refs(departments) -> list[dict]:
        return [{"code": department.code, "name": department.name} for department in departments]

    @extend_schema_field(DepartmentRefSerializer(many=True))
    def get_not_implementing(self, summary) -> list[dict]:
        return DepartmentRefSerializer(self._refs(summary.not_implementing), many=True).data

    @extend_schema_field(DepartmentAdoptionSerializer(many=True))
    def get_departments(self, summary) -> list[dict]:
        rows = []
        for entry in summary.rollouts:
            adoption = summary.adoption[entry.department.pk]
            rows.append(
                {
                    "code": entry.department.code,
                    "name": entry.department.name,
                    "phase": entry.phase,
                    "behind_plan": entry.behind_plan,
                    "implementing": adoption.telework_days > 0,
                    "headcount": adoption.headcount,
                    "teleworkers": adoption.teleworkers,
                    "telework_days": adoption.telework_days,
                    "adoption_rate": adoption.adoption_rate,
                    "days_by_location": adoption.days_by_location,
                }
            )
        return DepartmentAdoptionSerializer(rows, many=True).data


class MonthFiguresSerializer(serializers.Serializer):
    month = serializers.SerializerMethodField()
    headcount = serializers.IntegerField()
    teleworkers = serializers.IntegerField()
    telework_days = serializers.IntegerField()
    adoption_rate = serializers.FloatField()
    days_by_location = serializers.DictField(child=serializers.IntegerField())

    def get_month(self, figures) -> str:
        return f"{figures.year:04d}-{figures.month:02d}"


class DepartmentMonthsSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    months = MonthFiguresSerializer(many=True)


class MonthlySerializer(serializers.Serializer):
    """Per department per month of the fiscal year (months without a snapshot are left out), and the total."""

    fiscal_year = serializers.IntegerField()
    months = serializers.SerializerMethodField()
    total = MonthFiguresSerializer(source="totals", many=True)
    departments = serializers.SerializerMethodField()

    def get_months(self, series) -> list[str]:
        return [f"{year:04d}-{month:02d}" for year, month in series.months]

    @extend_schema_field(DepartmentMonthsSerializer(many=True))
    def get_departments(self, series) -> list[dict]:
        return [
            {
                "code": department.code,
                "name": department.name,
                "months": MonthFiguresSerializer(series.figures[department.pk], many=True).data,
            }
            for department in series.departments
        ]


class SurveySerializer(serializers.Serializer):
    """総務省「地方公共団体におけるテレワークに関する取組状況の調査」の回答 (as of 1 October)."""

    fiscal_year = serializers.IntegerField()
    as_of = serializers.DateField()
    adoption_status = serializers.ChoiceField(
        choices=[
            calculations.STATUS_FORMAL,
            calculations.STATUS_TRIAL,
            calculations.STATUS_CONSIDERING,
            calculations.STATUS_NONE,
        ]
    )
    forms_used = serializers.ListField(child=serializers.ChoiceField(choices=calculations.TELEWORK_LOCATIONS))
    usage_rate_band = serializers.ChoiceField(
        choices=[
            calculations.BAND_UNDER_30,
            calculations.BAND_30_50,
            calculations.BAND_50_80,
            calculations.BAND_80_OVER,
        ]
    )
    usage_rate = serializers.FloatField()
    headcount = serializers.IntegerField()
    teleworkers = serializers.IntegerField()
    telework_days = serializers.IntegerField()
    days_by_location = serializers.DictField(child=serializers.IntegerField())
    departments_total = serializers.IntegerField()
    departments_implementing = serializers.IntegerField()


STATUS_LABELS = {
    calculations.STATUS_FORMAL: _("導入済み"),
    calculations.STATUS_TRIAL: _("試行中"),
    calculations.STATUS_CONSIDERING: _("導入を検討中"),
    calculations.STATUS_NONE: _("導入予定なし"),
}
FORM_LABELS = {"home": _("在宅勤務"), "satellite": _("サテライトオフィス勤務"), "mobile": _("モバイルワーク")}
BAND_LABELS = {
    calculations.BAND_UNDER_30: _("30%未満"),
    calculations.BAND_30_50: _("30%以上50%未満"),
    calculations.BAND_50_80: _("50%以上80%未満"),
    calculations.BAND_80_OVER: _("80%以上"),
}


class SurveyCsvRenderer(BaseRenderer):
    """`?format=csv`: the survey answers as rows of (item, label, answer, code), UTF-8 with BOM for Excel."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Disposition"] = (
                f'attachment; filename="telework-survey-{data["fiscal_year"]}.csv"'
            )
        days = data["days_by_location"]
        rows = [
            ("fiscal_year", _("年度"), reiwa_fiscal_label_ja(data["fiscal_year"]), data["fiscal_year"]),
            ("as_of", _("調査基準日"), data["as_of"], data["as_of"]),
            (
                "adoption_status",
                _("導入状況"),
                STATUS_LABELS[data["adoption_status"]],
                data["adoption_status"],
            ),
            (
                "forms_used",
                _("導入形態"),
                "・".join(str(FORM_LABELS[form]) for form in data["forms_used"]),
                ";".join(data["forms_used"]),
            ),
            ("usage_rate_band", _("利用率"), BAND_LABELS[data["usage_rate_band"]], data["usage_rate_band"]),
            ("usage_rate", _("利用率(実数)"), f"{data['usage_rate'] * 100:.1f}%", data["usage_rate"]),
            ("headcount", _("職員数"), data["headcount"], data["headcount"]),
            ("teleworkers", _("テレワーク実施者数"), data["teleworkers"], data["teleworkers"]),
            ("telework_days", _("テレワーク実施日数"), data["telework_days"], data["telework_days"]),
            *(
                (f"days_{form}", _("%(form)s日数") % {"form": FORM_LABELS[form]}, days[form], days[form])
                for form in calculations.TELEWORK_LOCATIONS
            ),
            ("departments_total", _("課の数"), data["departments_total"], data["departments_total"]),
            (
                "departments_implementing",
                _("実施した課の数"),
                data["departments_implementing"],
                data["departments_implementing"],
            ),
        ]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([_("項目コード"), _("項目"), _("回答"), _("回答コード")])
        writer.writerows([str(cell) for cell in row] for row in rows)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
