"""Pages under /dashboard/."""

from django.urls import path

from rollout.views import rollout_dashboard

urlpatterns = [
    path("rollout/", rollout_dashboard, name="dashboard-rollout"),
]
