"""Routes of the leave area (under /api/v1/leave/)."""

from django.urls import path

from api.leave import views

urlpatterns: list = [
    path("types/", views.TypeListView.as_view(), name="leave-types"),
    path("balance/", views.BalanceView.as_view(), name="leave-balance"),
    path("requests/", views.RequestListView.as_view(), name="leave-requests"),
    path("requests/<int:pk>/", views.RequestDetailView.as_view(), name="leave-request"),
    path("requests/<int:pk>/cancel/", views.RequestCancelView.as_view(), name="leave-request-cancel"),
]
