"""Version 1 of the API: each area of the domain brings its own routes."""

from django.urls import include, path

from api.core.views import ErrorCatalogueView

urlpatterns = [
    path("errors/", ErrorCatalogueView.as_view(), name="error-catalogue"),
    path("", include("api.auth.urls")),
    path("", include("api.org.urls")),
    path("notifications/", include("api.notifications.urls")),
    path("approvals/", include("api.approvals.urls")),
    path("leave/", include("api.leave.urls")),
    path("attendance/", include("api.attendance.urls")),
    path("telework/rollout/", include("api.rollout.urls")),
    path("telework/", include("api.telework.urls")),
]
