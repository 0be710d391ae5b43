"""Routes under /leave/ (namespace `portal:leave`). The nav links to `portal:leave:home`."""

from django.urls import path

from portal.leave import views

app_name = "leave"

urlpatterns = [
    path("", views.home, name="home"),
    path("apply/", views.apply, name="apply"),
    path("requests/<int:request_id>/cancel/", views.cancel, name="cancel"),
]
