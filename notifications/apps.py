"""App configuration of notifications."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        from notifications.account_events import notify_account_owner
        from org.registry import register_security_event_listener

        register_security_event_listener("notifications", notify_account_owner)
