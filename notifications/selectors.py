"""Reads of notifications shared by the API and other apps."""

from django.db.models import QuerySet

from core.errors import NotFound
from notifications.models import Notification
from org.models import Employee


def notification_list(*, user: Employee, unread: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, newest first; only unread ones with `unread`."""
    notifications = Notification.objects.filter(recipient=user).order_by("-created_at", "-id")
    if unread:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications


def notification_get(*, user: Employee, notification_id: int) -> Notification:
    """One of the user's notifications; another user's is NotFound, as if it did not exist."""
    notification = Notification.objects.filter(recipient=user, pk=notification_id).first()
    if notification is None:
        raise NotFound()
    return notification
