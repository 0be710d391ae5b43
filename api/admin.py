"""Admin of the API's HTTP-level state: an administrator unlocks an account by deleting its failure row."""

from django.contrib import admin

from api.models import LoginFailure


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    list_display = ["username", "failures", "last_failed_at", "locked_until"]
    search_fields = ["username"]
    readonly_fields = ["username", "failures", "last_failed_at", "locked_until"]

    def has_add_permission(self, request) -> bool:
        return False
