"""The admin site's login form: it counts toward the same lockout as the token endpoint and the site's login page
(the login-failure rows themselves are in the organisation's admin, `org.admin`)."""

from django.contrib import admin

from api.auth.pages import AdminLoginForm

admin.site.login_form = AdminLoginForm
