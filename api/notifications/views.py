"""Notifications of the caller: the in-app list and read marks."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from api.core.schema import error_codes
from api.notifications.serializers import (
    NotificationListQuerySerializer,
    NotificationSerializer,
    ReadAllResultSerializer,
)
from core.errors import CoreError
from notifications.models import Notification
from notifications.selectors import notification_get, notification_list
from notifications.services import notification_mark_all_read, notification_mark_read


class NotificationListView(generics.ListAPIView):
    """The caller's own notifications, newest first; `?unread=true` for the unread ones."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # for the schema; get_queryset gives the caller's own

    @extend_schema(parameters=[NotificationListQuerySerializer])
    @error_codes()
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = NotificationListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return notification_list(user=self.request.user, unread=query.validated_data["unread"])


class NotificationDetailView(APIView):
    @extend_schema(responses=NotificationSerializer)
    @error_codes(CoreError.NOT_FOUND)
    def get(self, request, pk: int):
        notification = notification_get(user=request.user, notification_id=pk)
        return Response(NotificationSerializer(notification).data)


class NotificationReadView(APIView):
    @extend_schema(request=None, responses=NotificationSerializer)
    @error_codes(CoreError.NOT_FOUND)
    def post(self, request, pk: int):
        """既読にする: marks one of the caller's notifications read (404 for anyone else's)."""
        notification = notification_get(user=request.user, notification_id=pk)
        notification = notification_mark_read(notification=notification, user=request.user)
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllView(APIView):
    @extend_schema(request=None, responses=ReadAllResultSerializer)
    @error_codes()
    def post(self, request):
        """すべて既読にする."""
        return Response({"updated": notification_mark_all_read(user=request.user)})
