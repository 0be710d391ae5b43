"""Routes of the rollout area (under /api/v1/telework/rollout/, where API.md has them)."""

from django.urls import path

from api.rollout.views import (
    DepartmentPlanView,
    PhaseMoveView,
    RolloutDepartmentDetailView,
    RolloutDepartmentListView,
    RolloutMonthlyView,
    RolloutSummaryView,
    RolloutSurveyView,
    TownPlanView,
)

urlpatterns = [
    path("departments/", RolloutDepartmentListView.as_view(), name="rollout-departments"),
    path("departments/<slug:code>/", RolloutDepartmentDetailView.as_view(), name="rollout-department"),
    path("departments/<slug:code>/phase/", PhaseMoveView.as_view(), name="rollout-phase-move"),
    path("departments/<slug:code>/plan/", DepartmentPlanView.as_view(), name="rollout-department-plan"),
    path("plan/", TownPlanView.as_view(), name="rollout-plan"),
    path("summary/", RolloutSummaryView.as_view(), name="rollout-summary"),
    path("monthly/", RolloutMonthlyView.as_view(), name="rollout-monthly"),
    path("survey/", RolloutSurveyView.as_view(), name="rollout-survey"),
]
