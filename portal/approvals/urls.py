"""Routes under /approvals/ (namespace `portal:approvals`). The nav links to `portal:approvals:inbox`."""

from django.urls import path

from portal.approvals import away, drafting, views

app_name = "approvals"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("bulk/", views.bulk_approve, name="bulk"),
    path("post-reviews/", views.post_reviews, name="post-reviews"),
    path("new/", drafting.draft_new, name="new"),
    path("away/", away.away, name="away"),
    path("away/absences/", away.absence_record, name="away-absence"),
    path("away/absences/<int:absence_id>/cancel/", away.absence_delete, name="away-absence-cancel"),
    path("away/delegations/", away.delegation_give, name="away-delegation"),
    path(
        "away/delegations/<int:delegation_id>/revoke/", away.delegation_revoke, name="away-delegation-revoke"
    ),
    path("documents/<int:document_id>/", views.document, name="document"),
    path("documents/<int:document_id>/decide/", views.decide, name="decide"),
    path("documents/<int:document_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("documents/<int:document_id>/edit/", drafting.draft_edit, name="edit"),
    path("documents/<int:document_id>/submit/", drafting.submit, name="submit"),
    path("documents/<int:document_id>/withdraw/", drafting.withdraw, name="withdraw"),
    path("documents/<int:document_id>/attachments/", drafting.attachment_upload, name="attachments"),
]
