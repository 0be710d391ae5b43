"""Routes of the approvals area (under /api/v1/approvals/); the record's routes come from urls_record."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from api.approvals.views import (
    BulkApproveView,
    DelegationViewSet,
    DocumentViewSet,
    InboxViewSet,
    PostReviewViewSet,
)

router = SimpleRouter()
router.register("documents", DocumentViewSet, basename="approvals-document")
router.register("inbox", InboxViewSet, basename="approvals-inbox")
router.register("post-reviews", PostReviewViewSet, basename="approvals-post-review")
router.register("delegations", DelegationViewSet, basename="approvals-delegation")

urlpatterns: list = [
    *router.urls,
    path("bulk-approve/", BulkApproveView.as_view(), name="approvals-bulk-approve"),
    path("", include("api.approvals.urls_record")),
]
