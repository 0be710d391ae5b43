"""Routes of the attendance area (under /api/v1/attendance/)."""

from django.urls import path

from api.attendance import views, views_orders

MONTH = "<str:month>"

urlpatterns: list = [
    path("clock/", views.ClockView.as_view(), name="attendance-clock"),
    path("events/", views.EventListView.as_view(), name="attendance-events"),
    path("days/", views.DayListView.as_view(), name="attendance-days"),
    path("pc-logs/", views.PcLogView.as_view(), name="attendance-pc-logs"),
    path("pc-logs/bulk/", views.PcLogBulkView.as_view(), name="attendance-pc-logs-bulk"),
    path("pc-logs/reason/", views.LogGapReasonView.as_view(), name="attendance-pc-logs-reason"),
    path(f"timesheets/{MONTH}/", views.TimesheetView.as_view(), name="attendance-timesheet"),
    path("corrections/", views.CorrectionView.as_view(), name="attendance-corrections"),
    path(
        f"timesheets/{MONTH}/submit/", views.TimesheetSubmitView.as_view(), name="attendance-timesheet-submit"
    ),
    path(f"timesheets/{MONTH}/close/", views.TimesheetCloseView.as_view(), name="attendance-timesheet-close"),
    path(
        f"timesheets/{MONTH}/reopen/", views.TimesheetReopenView.as_view(), name="attendance-timesheet-reopen"
    ),
    path("schedules/", views.ScheduleListView.as_view(), name="attendance-schedules"),
    path("schedules/<int:schedule_id>/", views.ScheduleDetailView.as_view(), name="attendance-schedule"),
    path(
        "schedule-assignments/",
        views.ScheduleAssignmentView.as_view(),
        name="attendance-schedule-assignments",
    ),
    path("overtime-orders/", views_orders.OvertimeOrderListView.as_view(), name="attendance-overtime-orders"),
    path(
        "overtime-orders/<int:pk>/",
        views_orders.OvertimeOrderDetailView.as_view(),
        name="attendance-overtime-order",
    ),
    path(
        "overtime-orders/<int:pk>/cancel/",
        views_orders.OvertimeOrderCancelView.as_view(),
        name="attendance-overtime-order-cancel",
    ),
    path("day-swaps/", views_orders.DaySwapListView.as_view(), name="attendance-day-swaps"),
    path("day-swaps/<int:pk>/", views_orders.DaySwapDetailView.as_view(), name="attendance-day-swap"),
    path(
        "day-swaps/<int:pk>/cancel/",
        views_orders.DaySwapCancelView.as_view(),
        name="attendance-day-swap-cancel",
    ),
    path("export.csv", views.ExportView.as_view(), name="attendance-export"),
    path("summary.csv", views.ExportView.as_view(kind="summary"), name="attendance-summary"),
]
