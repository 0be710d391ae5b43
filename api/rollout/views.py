"""Rollout endpoints (導入推進): the secretariat reads every department and moves phases; others read their own
department. Figures come from the monthly snapshots that the nightly job writes."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api.core.idempotency import idempotent
from api.core.permissions import RolesPrefetchedMixin, has_role
from api.core.schema import error_codes
from api.rollout.serializers import (
    DepartmentRolloutDetailSerializer,
    DepartmentRolloutSerializer,
    FiscalYearQuerySerializer,
    MonthlySerializer,
    PhaseMoveSerializer,
    PlanSerializer,
    SummaryCsvRenderer,
    SummarySerializer,
    SurveyCsvRenderer,
    SurveySerializer,
    TownPlanSerializer,
)
from org.calendar import fiscal_year
from org.models import RoleCode
from rollout import selectors, services
from rollout.codes import RolloutError
from telework.codes import TeleworkError

FISCAL_YEAR_PARAMETER = OpenApiParameter(
    "fiscal_year", int, description="年度 (e.g. 2026 = 令和8年度); the current one when omitted"
)


def requested_fiscal_year(request) -> int:
    query = FiscalYearQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data.get("fiscal_year") or fiscal_year(timezone.localdate())


class RolloutDepartmentListView(RolesPrefetchedMixin, APIView):
    """各課の導入段階と計画: phase, since when, planned dates per phase and whether it is behind plan."""

    @extend_schema(responses={200: DepartmentRolloutSerializer(many=True)})
    @error_codes()
    def get(self, request):
        departments = list(selectors.departments_visible_to(viewer=request.user))
        rollouts = selectors.department_rollouts(departments=departments, today=timezone.localdate())
        return Response(DepartmentRolloutSerializer(rollouts, many=True).data)


class RolloutDepartmentDetailView(RolesPrefetchedMixin, APIView):
    """One department's phase against plan with its full history (date, note, who moved it)."""

    @extend_schema(responses={200: DepartmentRolloutDetailSerializer})
    @error_codes()
    def get(self, request, code: str):
        department = selectors.department_visible_to(viewer=request.user, code=code)
        entry = selectors.department_rollout(department=department, today=timezone.localdate())
        return Response(DepartmentRolloutDetailSerializer(entry).data)


class PhaseMoveView(RolesPrefetchedMixin, APIView):
    """段階の移行 (secretariat): records the move and notifies the department's director."""

    @extend_schema(request=PhaseMoveSerializer, responses={201: DepartmentRolloutDetailSerializer})
    @error_codes(
        TeleworkError.PHASE_UNCHANGED,
        fields=(RolloutError.PHASE_DATE_IN_FUTURE, RolloutError.PHASE_DATE_BEFORE_LAST),
    )
    @idempotent
    def post(self, request, code: str):
        department = selectors.department_visible_to(viewer=request.user, code=code)
        serializer = PhaseMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.phase_move(
            actor=request.user,
            department=department,
            phase=data["phase"],
            on=data.get("date") or timezone.localdate(),
            note=data["note"],
        )
        entry = selectors.department_rollout(department=department, today=timezone.localdate())
        return Response(DepartmentRolloutDetailSerializer(entry).data, status=status.HTTP_201_CREATED)


class DepartmentPlanView(RolesPrefetchedMixin, APIView):
    """導入計画 of a department (secretariat): planned dates per phase; null falls back to the town plan."""

    @extend_schema(request=PlanSerializer, responses={200: DepartmentRolloutDetailSerializer})
    @error_codes(fields=(RolloutError.PLAN_OUT_OF_ORDER,))
    def put(self, request, code: str):
        department = selectors.department_visible_to(viewer=request.user, code=code)
        serializer = PlanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.plan_set(
            actor=request.user, department=department, planned=serializer.validated_data["planned"]
        )
        entry = selectors.department_rollout(department=department, today=timezone.localdate())
        return Response(DepartmentRolloutDetailSerializer(entry).data)


class TownPlanView(RolesPrefetchedMixin, APIView):
    """全庁の導入計画: everyone reads; the secretariat sets (the DX plan's schedule to begin with)."""

    @extend_schema(responses={200: TownPlanSerializer})
    @error_codes()
    def get(self, request):
        return Response(TownPlanSerializer({"planned": selectors.plan_of(None)}).data)

    @extend_schema(request=PlanSerializer, responses={200: TownPlanSerializer})
    @error_codes(fields=(RolloutError.PLAN_OUT_OF_ORDER,))
    def put(self, request):
        serializer = PlanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        planned = services.plan_set(
            actor=request.user, department=None, planned=serializer.validated_data["planned"]
        )
        return Response(TownPlanSerializer({"planned": planned}).data)


class RolloutSummaryView(RolesPrefetchedMixin, APIView):
    """年度の導入状況: the KPI (departments implementing / all) against the target, phases and plan (as of the
    fiscal year's end for a past one) and adoption, small groups suppressed; `?format=csv` for the table."""

    renderer_classes = [JSONRenderer, SummaryCsvRenderer]

    @extend_schema(parameters=[FISCAL_YEAR_PARAMETER], responses={200: SummarySerializer})
    @error_codes()
    def get(self, request):
        summary = selectors.fiscal_year_summary(
            departments=list(selectors.departments_visible_to(viewer=request.user)),
            fiscal_year=requested_fiscal_year(request),
            today=timezone.localdate(),
            disclosure=selectors.disclosure_for(request.user),
        )
        return Response(SummarySerializer(summary).data)


class RolloutMonthlyView(RolesPrefetchedMixin, APIView):
    """月別の導入状況 per department, for the charts."""

    @extend_schema(parameters=[FISCAL_YEAR_PARAMETER], responses={200: MonthlySerializer})
    @error_codes()
    def get(self, request):
        series = selectors.monthly_series(
            departments=list(selectors.departments_visible_to(viewer=request.user)),
            fiscal_year=requested_fiscal_year(request),
            disclosure=selectors.disclosure_for(request.user),
        )
        return Response(MonthlySerializer(series).data)


class RolloutSurveyView(RolesPrefetchedMixin, APIView):
    """総務省調査の回答 as of 1 October (secretariat); `?format=csv` for the file."""

    permission_classes = [has_role(RoleCode.SECRETARIAT, RoleCode.ADMIN)]
    renderer_classes = [JSONRenderer, SurveyCsvRenderer]

    @extend_schema(parameters=[FISCAL_YEAR_PARAMETER], responses={200: SurveySerializer})
    @error_codes()
    def get(self, request):
        survey = selectors.survey(
            fiscal_year=requested_fiscal_year(request),
            today=timezone.localdate(),
            disclosure=selectors.disclosure_for(request.user),
        )
        return Response(SurveySerializer(survey).data)
