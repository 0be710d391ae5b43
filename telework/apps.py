"""App configuration of telework."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeleworkConfig(AppConfig):
    name = "telework"
    verbose_name = _("テレワーク")

    def ready(self) -> None:
        from approvals.registry import register_kind
        from telework import services

        register_kind(
            "telework",
            label=_("テレワーク申請"),
            before_approve=services.before_approve,
            on_approved=services.on_approved,
            on_rejected=services.on_rejected,
            on_withdrawn=services.on_withdrawn,
        )
