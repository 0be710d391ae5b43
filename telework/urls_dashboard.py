"""Pages under /dashboard/."""

from django.urls import path

from telework.views_dashboard import rollout_dashboard

urlpatterns = [
    path("rollout/", rollout_dashboard, name="dashboard-rollout"),
]
