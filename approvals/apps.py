"""App configuration of approvals."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = _("電子決裁")

    def ready(self) -> None:
        from approvals import posts, services
        from approvals.registry import register_kind
        from org.registry import register_acting_departments, register_transfer_listener

        register_kind("general", label=_("起案文書"))
        # 人事異動: the waiting steps of a post follow it to its new holder
        register_transfer_listener("approvals", services.on_transfer)
        # 職務代理者: the acting holder of a vacant 課長 post manages that department
        register_acting_departments("approvals", posts.acting_departments)
