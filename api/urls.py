"""Routes under /api/: version 1 of the API, the OpenAPI schema and its docs pages (local assets only)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from api.core.views import GuideView

urlpatterns = [
    path("v1/", include("api.v1")),  # first: every API request goes there
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # the split view serves Swagger UI's start-up script as a file, so the Content-Security-Policy needs no inline script
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
    path("docs/guide/", GuideView.as_view(), name="docs-guide"),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="schema", template_name="api/redoc.html"),
        name="redoc",
    ),
]
