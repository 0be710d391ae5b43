"""Routes of the portal under / (namespace `portal`); each area has its own package and views module."""

from django.urls import include, path

from portal import shell
from portal.account import views as account
from portal.attendance import views as attendance
from portal.attendance import views_orders as orders
from portal.home import views as home
from portal.telework import views as telework

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("clock/", home.clock, name="clock"),
    path("notifications/", home.notifications, name="notifications"),
    path("notifications/<int:notification_id>/", home.notification_open, name="notification"),
    path("attendance/", attendance.month, name="attendance"),
    path("attendance/timesheet/", attendance.timesheet, name="attendance-timesheet"),
    path("attendance/corrections/new/", attendance.correction, name="attendance-correction"),
    path("attendance/orders/", orders.home, name="attendance-orders"),
    path("attendance/orders/apply/", orders.apply, name="attendance-orders-apply"),
    path("attendance/orders/order/", orders.order, name="attendance-orders-order"),
    path("attendance/orders/<int:order_id>/cancel/", orders.order_cancel, name="attendance-orders-cancel"),
    path("attendance/orders/swaps/", orders.swap, name="attendance-swaps"),
    path("attendance/orders/swaps/<int:swap_id>/cancel/", orders.swap_cancel, name="attendance-swaps-cancel"),
    path("telework/", telework.overview, name="telework"),
    path("telework/check/", telework.check, name="telework-check"),
    path("telework/apply/", telework.apply, name="telework-apply"),
    path("telework/requests/<int:request_id>/cancel/", telework.cancel, name="telework-cancel"),
    path("telework/requests/<int:request_id>/report/", telework.report, name="telework-report"),
    path("telework/calendar-token/", telework.calendar_token, name="telework-calendar-token"),
    path("settings/", account.settings_page, name="settings"),
    path("settings/password/", account.password, name="settings-password"),
    path("settings/tokens/<int:token_id>/revoke/", account.token_revoke, name="settings-token-revoke"),
    path("leave/", include("portal.leave.urls")),
    path("approvals/", include("portal.approvals.urls")),
    path("manage/", include("portal.manage.urls")),
    path("manifest.webmanifest", shell.manifest, name="manifest"),
    path("sw.js", shell.service_worker, name="service-worker"),
    path("favicon.ico", shell.favicon, name="favicon"),
]
