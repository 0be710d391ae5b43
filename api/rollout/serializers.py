"""Shapes of the rollout endpoints (導入推進): phases against plan, the fiscal year's summary, monthly series
and the national survey. Aggregates per department only."""

import csv
import io

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework.renderers import BaseRenderer

from api.core import serializers
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


SUPPRESSED = "—"


class PublishedFiguresSerializer(serializers.Serializer):
    """Adoption figures; null (shown as "—") when the group is smaller than the threshold, with the reason."""

    headcount = serializers.IntegerField(source="figures.headcount")
    teleworkers = serializers.IntegerField(source="figures.teleworkers", allow_null=True)
    telework_days = serializers.IntegerField(source="figures.telework_days", allow_null=True)
    adoption_rate = serializers.FloatField(source="figures.adoption_rate", allow_null=True)
    days_by_location = serializers.DictField(
        source="figures.days_by_location", child=serializers.IntegerField(), allow_null=True
    )
    suppressed = serializers.BooleanField(
        source="figures.suppressed", help_text=_("人数が少ないため非表示(個人の特定を防ぐ)")
    )
    suppressed_reason = serializers.CharField(allow_null=True)


class DepartmentAdoptionSerializer(PublishedFiguresSerializer):
    """A department's row of the fiscal year: phase and plan as of the reference date, its figures."""

    code = serializers.CharField(source="department.code")
    name = serializers.CharField(source="department.name")
    phase = serializers.CharField(source="standing.phase")
    planned = serializers.DictField(source="standing.planned", child=serializers.DateField())
    overdue = serializers.ListField(source="standing.overdue", child=serializers.CharField())
    behind_plan = serializers.BooleanField(source="standing.behind_plan")
    implementing = serializers.BooleanField()


class DepartmentRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SummarySerializer(serializers.Serializer):
    """年度の導入状況 from a FiscalYearSummary; a past fiscal year's phases and plan are those of its end."""

    fiscal_year = serializers.IntegerField()
    fiscal_year_label = serializers.SerializerMethodField()
    as_of = serializers.DateField(help_text=_("段階と計画を読んだ日"))
    departments_total = serializers.IntegerField(source="kpi.departments_total")
    departments_implementing = serializers.IntegerField(source="kpi.departments_implementing")
    implementing_rate = serializers.FloatField(source="kpi.implementing_rate")
    target_rate = serializers.FloatField(source="kpi.target_rate")
    target_met = serializers.BooleanField(source="kpi.target_met")
    by_phase = serializers.DictField(child=serializers.IntegerField())
    not_implementing = serializers.SerializerMethodField()
    departments = DepartmentAdoptionSerializer(source="rows", many=True)

    def get_fiscal_year_label(self, summary) -> str:
        return reiwa_fiscal_label_ja(summary.fiscal_year)

    @extend_schema_field(DepartmentRefSerializer(many=True))
    def get_not_implementing(self, summary) -> list[dict]:
        refs = [{"code": department.code, "name": department.name} for department in summary.not_implementing]
        return DepartmentRefSerializer(refs, many=True).data


class MonthFiguresSerializer(PublishedFiguresSerializer):
    month = serializers.SerializerMethodField()

    def get_month(self, published) -> str:
        return f"{published.year:04d}-{published.month:02d}"


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


STATUS_LABELS = {
    calculations.STATUS_IMPLEMENTED: _("導入済み"),
    calculations.STATUS_TRIAL: _("試行中"),
    calculations.STATUS_PLANNED: _("導入予定"),
    calculations.STATUS_UNDECIDED: _("未定"),
}
FORM_LABELS = {"home": _("在宅勤務"), "satellite": _("サテライトオフィス勤務"), "mobile": _("モバイルワーク")}
BAND_LABELS = {
    calculations.BAND_UNDER_30: _("30%未満"),
    calculations.BAND_30_50: _("30%以上50%未満"),
    calculations.BAND_50_80: _("50%以上80%未満"),
    calculations.BAND_80_OVER: _("80%以上"),
}
SURVEY_STATUS_HELP = (
    "導入状況 (総務省調査の選択肢): implemented = 導入済み, trial = 試行中, planned = 導入予定 "
    "(planned_fiscal_year: 令和X年度から), undecided = 未定. The town answers with its most advanced department, "
    "each department's phase on the survey date mapped by this table: "
    + ", ".join(f"{phase} → {status}" for phase, status in calculations.SURVEY_STATUS_BY_PHASE.items())
    + " (一部運用 is operation under the 要綱 for some forms: 導入済み); planned becomes undecided when no plan "
    "dates a trial or an operation phase."
)


class SurveySerializer(serializers.Serializer):
    """総務省「地方公共団体におけるテレワークに関する取組状況の調査」の回答 (as of 1 October). The figures (usage
    rate, headcount, staff who used telework, days) are null when the town is smaller than the threshold."""

    fiscal_year = serializers.IntegerField(source="answers.fiscal_year")
    as_of = serializers.DateField(source="answers.as_of")
    adoption_status = serializers.ChoiceField(
        source="answers.adoption_status", choices=calculations.SURVEY_STATUSES, help_text=SURVEY_STATUS_HELP
    )
    adoption_status_label = serializers.SerializerMethodField()
    planned_fiscal_year = serializers.IntegerField(source="answers.planned_fiscal_year", allow_null=True)
    forms_used = serializers.ListField(
        source="answers.forms_used", child=serializers.ChoiceField(choices=calculations.TELEWORK_LOCATIONS)
    )
    usage_rate_band = serializers.SerializerMethodField()
    usage_rate = serializers.SerializerMethodField()
    headcount = serializers.SerializerMethodField()
    teleworkers = serializers.SerializerMethodField(help_text=_("テレワークを実施した職員数"))
    telework_days = serializers.SerializerMethodField()
    days_by_location = serializers.SerializerMethodField()
    departments_total = serializers.IntegerField(source="answers.departments_total")
    departments_implementing = serializers.IntegerField(source="answers.departments_implementing")
    suppressed = serializers.BooleanField()
    suppressed_reason = serializers.CharField(allow_null=True)

    def get_adoption_status_label(self, survey) -> str:
        label = str(STATUS_LABELS[survey.answers.adoption_status])
        if survey.answers.planned_fiscal_year is not None:
            label += _("(%(fy)sから)") % {"fy": reiwa_fiscal_label_ja(survey.answers.planned_fiscal_year)}
        return label

    def _figure(self, survey, name):
        return None if survey.suppressed else getattr(survey.answers, name)

    @extend_schema_field(
        serializers.ChoiceField(
            choices=[
                calculations.BAND_UNDER_30,
                calculations.BAND_30_50,
                calculations.BAND_50_80,
                calculations.BAND_80_OVER,
            ],
            allow_null=True,
        )
    )
    def get_usage_rate_band(self, survey):
        return self._figure(survey, "usage_rate_band")

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_usage_rate(self, survey):
        return self._figure(survey, "usage_rate")

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_headcount(self, survey):
        return self._figure(survey, "headcount")

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_teleworkers(self, survey):
        return self._figure(survey, "teleworkers")

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_telework_days(self, survey):
        return self._figure(survey, "telework_days")

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField(), allow_null=True))
    def get_days_by_location(self, survey):
        return self._figure(survey, "days_by_location")


def _cell(value) -> str:
    return SUPPRESSED if value is None else str(value)


def _csv(rows: list, *, filename: str, renderer_context) -> bytes:
    """Rows as CSV, UTF-8 with BOM for Excel, offered as a download named `filename`."""
    response = (renderer_context or {}).get("response")
    if response is not None:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([_cell(cell) for cell in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


class SurveyCsvRenderer(BaseRenderer):
    """`?format=csv`: the survey answers as rows of (item, label, answer, code), UTF-8 with BOM for Excel;
    suppressed figures are "—", the reason on its own row."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        days = data["days_by_location"] or {}
        rate = data["usage_rate"]
        band = data["usage_rate_band"]
        rows = [
            (_("項目コード"), _("項目"), _("回答"), _("回答コード")),
            ("fiscal_year", _("年度"), reiwa_fiscal_label_ja(data["fiscal_year"]), data["fiscal_year"]),
            ("as_of", _("調査基準日"), data["as_of"], data["as_of"]),
            ("adoption_status", _("導入状況"), data["adoption_status_label"], data["adoption_status"]),
            (
                "planned_fiscal_year",
                _("導入予定年度"),
                reiwa_fiscal_label_ja(data["planned_fiscal_year"]) if data["planned_fiscal_year"] else "",
                data["planned_fiscal_year"] or "",
            ),
            (
                "forms_used",
                _("導入形態"),
                "・".join(str(FORM_LABELS[form]) for form in data["forms_used"]),
                ";".join(data["forms_used"]),
            ),
            ("usage_rate_band", _("利用率"), BAND_LABELS[band] if band else None, band),
            ("usage_rate", _("利用率(実数)"), f"{rate * 100:.1f}%" if rate is not None else None, rate),
            ("headcount", _("職員数"), data["headcount"], data["headcount"]),
            ("teleworkers", _("テレワーク実施者数"), data["teleworkers"], data["teleworkers"]),
            ("telework_days", _("テレワーク実施日数"), data["telework_days"], data["telework_days"]),
            *(
                (
                    f"days_{form}",
                    _("%(form)s日数") % {"form": FORM_LABELS[form]},
                    days.get(form) if data["days_by_location"] is not None else None,
                    days.get(form) if data["days_by_location"] is not None else None,
                )
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
        if data["suppressed"]:
            rows.append(("suppressed", _("非表示の理由"), data["suppressed_reason"], "suppressed"))
        return _csv(
            rows, filename=f"telework-survey-{data['fiscal_year']}.csv", renderer_context=renderer_context
        )


class SummaryCsvRenderer(BaseRenderer):
    """`?format=csv`: one row per department of the fiscal year, UTF-8 with BOM for Excel; a suppressed
    department's figures are "—" with the reason in the last column."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        phases = dict(Phase.choices)
        rows = [
            (
                _("課コード"),
                _("課"),
                _("段階"),
                _("計画遅れ"),
                _("実施"),
                _("職員数"),
                _("実施者数"),
                _("実施日数"),
                _("利用率"),
                _("備考"),
            )
        ]
        for row in data["departments"]:
            rate = row["adoption_rate"]
            rows.append(
                (
                    row["code"],
                    row["name"],
                    phases.get(row["phase"], row["phase"]),
                    _("遅れ") if row["behind_plan"] else "",
                    _("実施") if row["implementing"] else "",
                    row["headcount"],
                    row["teleworkers"],
                    row["telework_days"],
                    f"{rate * 100:.1f}%" if rate is not None else None,
                    row["suppressed_reason"] or "",
                )
            )
        return _csv(
            rows, filename=f"telework-rollout-{data['fiscal_year']}.csv", renderer_context=renderer_context
        )
