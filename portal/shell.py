"""The shell of the installable app: the web manifest, the service worker (served from / so that its scope is
the whole site) and /favicon.ico, which browsers ask for on pages without an icon (the login page)."""

from django.contrib.staticfiles import finders
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


@require_GET
def manifest(request):
    """GET /manifest.webmanifest: name, start URL, colours and icons of the installed app."""
    return JsonResponse(
        {
            "name": _("南富良野町 職員ポータル"),
            "short_name": _("職員ポータル"),
            "lang": request.LANGUAGE_CODE,
            "start_url": reverse("portal:home"),
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#1d4e89",
            "icons": [
                {
                    "src": static(f"portal/icons/icon-{size}.png"),
                    "sizes": f"{size}x{size}",
                    "type": "image/png",
                }
                for size in (192, 512)
            ],
        },
        content_type="application/manifest+json",
    )


@require_GET
@cache_control(no_cache=True)
def service_worker(request):
    """GET /sw.js: the service worker (portal/static/portal/sw.js) under the site's root, so its scope is /."""
    with open(finders.find("portal/sw.js"), "rb") as source:
        body = source.read()
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def favicon(request):
    """GET /favicon.ico: the app's icon."""
    return HttpResponsePermanentRedirect(static("portal/icons/icon-192.png"))
