"""Routes of the attendance area (under /api/v1/attendance/)."""

from django.urls import path

from api.attendance import views

MONTH = "<str:month>"

urlpatterns: list = [
    path("clock/", views.ClockView.as_view(), name="attendance-clock"),
    path("events/", views.EventListView.as_view(), name="attendance-events"),
    path("days/", views.DayListView.as_view(), name="attendance-days"),
    path("pc-logs/", views.PcLogView.as_view(), name="attendance-pc-logs"),
    path(f"timesheets/{MONTH}/", views.TimesheetView.as_view(), name="attendance-timesheet"),
    path("corrections/", views.CorrectionView.as_view(), name="attendance-corrections"),
    path(
        f"timesheets/{MONTH}/submit/", views.TimesheetSubmitView.as_view(), name="attendance-timesheet-submit"
    ),
    path(f"timesheets/{MONTH}/close/", views.TimesheetCloseView.as_view(), name="attendance-timesheet-close"),
    path("export.csv", views.ExportView.as_view(), name="attendance-export"),
    path("summary.csv", views.ExportView.as_view(kind="summary"), name="attendance-summary"),
]
