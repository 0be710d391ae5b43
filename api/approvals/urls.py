"""Routes of this API area."""

urlpatterns: list = []
