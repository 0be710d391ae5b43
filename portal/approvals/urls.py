"""Routes under /approvals/ (namespace `portal:approvals`). The nav links to `portal:approvals:inbox`."""

app_name = "approvals"

urlpatterns: list = []
