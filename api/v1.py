"""Version 1 of the API: each area of the domain brings its own routes."""

from django.urls import include, path

from api.core.views import ErrorCatalogueView

# Django tries the patterns in order: the areas under a prefix of their own come first (a prefix that does not
# match is one comparison), the areas without one last (each of their patterns is tried). The clock-in's path
# was matched against the seventeen patterns of auth and org before reaching attendance.
urlpatterns = [
    path("attendance/", include("api.attendance.urls")),
    path("approvals/", include("api.approvals.urls")),
    path("telework/rollout/", include("api.rollout.urls")),
    path("telework/", include("api.telework.urls")),
    path("leave/", include("api.leave.urls")),
    path("notifications/", include("api.notifications.urls")),
    path("errors/", ErrorCatalogueView.as_view(), name="error-catalogue"),
    path("", include("api.auth.urls")),
    path("", include("api.org.urls")),
]
