"""Renderers of the files the API serves, so that content negotiation knows their media types: a view that builds
its own CSV or iCalendar response lists the renderer, and `Accept: text/csv` / `text/calendar` (or `*/*`, or no
`Accept`) reaches it instead of a 406. Errors stay problem+json whatever was negotiated (api.core.errors)."""

from rest_framework import renderers


class FileRenderer(renderers.BaseRenderer):
    """The view returns the file itself (an HttpResponse); a `Response` whose data is already text or bytes is
    sent as it is."""

    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str):
            return data.encode(self.charset)
        if isinstance(data, bytes):
            return data
        raise TypeError(f"{type(self).__name__} renders text or bytes, not {type(data).__name__}")


class CsvRenderer(FileRenderer):
    media_type = "text/csv"
    format = "csv"


class ICalendarRenderer(FileRenderer):
    media_type = "text/calendar"
    format = "ics"
