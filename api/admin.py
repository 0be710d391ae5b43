"""Admin of the API's HTTP-level state: an administrator unlocks an account by deleting its failure row.

The admin site's login form counts toward the same lockout as the token endpoint and the site's login page.
"""

from django.contrib import admin

from api.auth.pages import AdminLoginForm
from api.models import LoginFailure

admin.site.login_form = AdminLoginForm


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    list_display = ["username", "failures", "last_failed_at", "locked_until"]
    search_fields = ["username"]
    readonly_fields = ["username", "failures", "last_failed_at", "locked_until"]

    def has_add_permission(self, request) -> bool:
        return False
