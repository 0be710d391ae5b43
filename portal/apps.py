"""The portal app: pages only, no models; every page calls the domain's services and selectors."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("職員ポータル")
