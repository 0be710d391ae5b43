"""App configuration of telework: the `telework` document kind and attendance's telework days."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeleworkConfig(AppConfig):
    name = "telework"
    verbose_name = _("テレワーク")

    def ready(self) -> None:
        from approvals.registry import register_kind
        from attendance.registry import register_telework_days
        from telework import selectors, services

        register_kind(
            "telework",
            label=_("テレワーク申請"),
            before_approve=services.before_approve,
            on_approved=services.on_approved,
            on_rejected=services.on_rejected,
            on_withdrawn=services.on_withdrawn,
            bulk_approvable=True,
        )
        register_telework_days(
            approved_location=selectors.approved_telework_location,
            without_approval_notify=services.telework_without_approval_notify,
            clocked=services.start_end_report_notify,
        )
