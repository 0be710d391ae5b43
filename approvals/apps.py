"""App configuration of approvals."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = _("電子決裁")

    def ready(self) -> None:
        from approvals.registry import register_kind

        register_kind("general", label=_("起案文書"))
