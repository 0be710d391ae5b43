"""Routes of the telework area (under /api/v1/telework/)."""

from django.urls import path

from api.telework import views, views_revise

urlpatterns: list = [
    path("policy/", views.DefaultPolicyView.as_view(), name="telework-policy"),
    path("policies/<slug:code>/", views.DepartmentPolicyView.as_view(), name="telework-department-policy"),
    path("requests/", views.RequestListView.as_view(), name="telework-requests"),
    path("requests/<int:pk>/", views.RequestDetailView.as_view(), name="telework-request"),
    path("requests/<int:pk>/cancel/", views.RequestCancelView.as_view(), name="telework-request-cancel"),
    path("requests/<int:pk>/report/", views.RequestReportView.as_view(), name="telework-request-report"),
    path(
        "requests/<int:pk>/revise/", views_revise.RequestReviseView.as_view(), name="telework-request-revise"
    ),
    path("calendar/", views.CalendarView.as_view(), name="telework-calendar"),
    path("calendar.ics", views.CalendarFeedView.as_view(), name="telework-calendar-feed"),
    path("calendar-token/", views.CalendarTokenView.as_view(), name="telework-calendar-token"),
    path("continuity/", views.ContinuityView.as_view(), name="telework-continuity"),
    path("blackout-dates/", views.BlackoutDateView.as_view(), name="telework-blackout-dates"),
]
