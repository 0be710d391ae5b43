"""App configuration of leave: the `leave` document kind."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeaveConfig(AppConfig):
    name = "leave"
    verbose_name = _("休暇")

    def ready(self) -> None:
        from approvals.registry import register_kind
        from leave import services

        register_kind(
            services.KIND,
            label=_("休暇申請"),
            before_approve=services.before_approve,
            on_approved=services.on_approved,
            on_rejected=services.on_rejected,
            on_withdrawn=services.on_withdrawn,
            bulk_approvable=True,
        )
