"""Routes of this API area (included at /api/v1/notifications/)."""

from django.urls import path

from api.notifications import views

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="notification-list"),
    path("read-all/", views.NotificationReadAllView.as_view(), name="notification-read-all"),
    path("<int:pk>/", views.NotificationDetailView.as_view(), name="notification-detail"),
    path("<int:pk>/read/", views.NotificationReadView.as_view(), name="notification-read"),
]
