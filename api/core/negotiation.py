"""Content negotiation (DEFAULT_CONTENT_NEGOTIATION_CLASS): DRF's, except that OPTIONS always answers JSON.

The metadata of an OPTIONS request is a JSON document whatever the endpoint serves on GET: a `?format=csv` or an
`Accept: text/csv` must not hand it to a CSV renderer that knows only the endpoint's own data."""

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer


class ContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        if request.method == "OPTIONS":
            return JSONRenderer(), JSONRenderer.media_type
        return super().select_renderer(request, renderers, format_suffix)
