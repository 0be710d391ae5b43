"""Routes of the portal under / (namespace `portal`); each area has its own package and views module."""

from django.urls import include, path

from portal import shell
from portal.account import views as account
from portal.attendance import views as attendance
from portal.home import views as home
from portal.telework import views as telework

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("attendance/", attendance.month, name="attendance"),
    path("telework/", telework.overview, name="telework"),
    path("settings/", account.settings_page, name="settings"),
    path("approvals/", include("portal.approvals.urls")),
    path("manage/", include("portal.manage.urls")),
    path("manifest.webmanifest", shell.manifest, name="manifest"),
    path("sw.js", shell.service_worker, name="service-worker"),
    path("favicon.ico", shell.favicon, name="favicon"),
]
