"""Admin of the outbox: read-only views of notifications and their deliveries, and a retry action."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications.models import Delivery, Notification
from notifications.services import deliveries_retry


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows are written by services only; the admin looks at them."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ["channel", "status", "attempts", "next_attempt_at", "sent_at", "last_error"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["id", "recipient", "kind", "title", "created_at", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "recipient__username", "recipient__name"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["id", "notification", "channel", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["notification__title", "notification__recipient__username"]
    list_select_related = ["notification"]
    actions = ["retry"]

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("notifications.change_delivery")

    @admin.action(description=_("失敗した配信を再送する"), permissions=["retry"])
    def retry(self, request, queryset):
        count = deliveries_retry(delivery_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%(count)d 件を再送します。", "%(count)d 件を再送します。", count) % {"count": count},
            messages.SUCCESS,
        )
