"""Top-level URLs: the API under /api/, the admin, health, the dashboard, and the portal's pages under /."""

from django.contrib import admin
from django.urls import include, path

from api.core.views import healthz, readyz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("api.auth.urls_pages")),
    path("api/", include("api.urls")),
    path("dashboard/", include("rollout.urls")),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the portal's language switch
    path("", include("portal.urls")),  # the portal last: its pages are everything else under /
]

handler400 = "api.core.views.bad_request"
handler403 = "api.core.views.permission_denied"
handler404 = "api.core.views.page_not_found"
handler500 = "api.core.views.server_error"
