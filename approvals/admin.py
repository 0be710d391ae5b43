"""Admin of approvals: documents (read-only, with their route and record), route rules (a save publishes a new
version), delegations, the audit events."""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from approvals import routing, services
from approvals.models import (
    ActingAppointment,
    AuditEvent,
    Comment,
    Delegation,
    Document,
    DocumentCategory,
    KindPolicy,
    Register,
    RouteRule,
    Step,
)
from approvals.models_record import Attachment
from core.errors import DomainError, RuleViolation


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StepInline(ReadOnlyInline):
    model = Step
    fields = [
        "round",
        "order",
        "kind",
        "mode",
        "required_count",
        "status",
        "skip_reason",
        "decisions",
        "opened_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("approvers__approver", "approvers__decided_by")

    @admin.display(description=_("判断"))
    def decisions(self, step):
        return format_html_join(
            ", ",
            "{} — {}{}",
            (
                (
                    row.approver,
                    row.get_decision_display(),
                    f" ({row.get_acted_as_display()}: {row.decided_by})"
                    if row.acted_as not in ("", "self")
                    else "",
                )
                for row in step.approvers.all()
            ),
        )


class CommentInline(ReadOnlyInline):
    model = Comment
    fields = ["author", "body", "created_at"]
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["name", "size", "content_type", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


class AuditEventInline(ReadOnlyInline):
    model = AuditEvent
    fields = ["seq", "action", "actor", "on_behalf_of", "comment", "at", "hash"]
    readonly_fields = fields
    ordering = ["seq"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Documents change only through the services: the admin shows them, their route and their record."""

    list_display = ["id", "number", "title", "kind", "status", "drafter", "department", "decided_at"]
    list_filter = ["kind", "status", "department", "fiscal_year"]
    search_fields = ["title", "number", "drafter__name", "drafter__username"]
    list_select_related = ["drafter", "department"]
    date_hierarchy = "created_at"
    inlines = [StepInline, CommentInline, AttachmentInline, AuditEventInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Document._meta.fields] + ["consult_departments"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RouteRuleForm(forms.ModelForm):
    class Meta:
        model = RouteRule
        fields = ["kind", "steps", "note"]

    def clean_steps(self):
        steps = self.cleaned_data["steps"]
        errors = routing.validate_template(steps)
        if errors:
            raise forms.ValidationError([f"{e['field']}: {e['message']}" for e in errors])
        return steps


@admin.register(RouteRule)
class RouteRuleAdmin(admin.ModelAdmin):
    """決裁ルート規則: saving (a new rule or an edited one) publishes a new active version; versions that built
    routes stay as they were."""

    form = RouteRuleForm
    list_display = ["kind", "version", "active", "note", "created_by", "created_at"]
    list_filter = ["kind", "active"]
    readonly_fields = ["version", "active", "created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        rule = services.route_rule_publish(
            kind=obj.kind, steps=obj.steps, actor=request.user, note=obj.note or ""
        )
        obj.pk, obj.version, obj.active = rule.pk, rule.version, rule.active
        obj._state.adding = False

    def has_delete_permission(self, request, obj=None):
        return False


class DelegationForm(forms.ModelForm):
    """A new delegation, checked by the service's rules so a broken rule is a form error, not a server error."""

    actor = None  # set per request by DelegationAdmin.get_form

    class Meta:
        model = Delegation
        fields = ["delegator", "delegate", "start", "end", "kinds"]

    def clean_kinds(self):
        kinds = self.cleaned_data.get("kinds") or []
        if not isinstance(kinds, list) or not all(isinstance(kind, str) for kind in kinds):
            raise forms.ValidationError(_("種別の一覧(JSON の文字列の配列)を入力してください。"))
        return kinds

    def clean(self):
        cleaned = super().clean()
        fields = ("delegator", "delegate", "start", "end", "kinds")
        if self.errors or any(cleaned.get(name) is None for name in fields):
            return cleaned
        try:
            services.delegation_check(actor=self.actor, **{name: cleaned[name] for name in fields})
        except RuleViolation as error:
            for item in error.errors:
                self.add_error(item["field"] if item["field"] in self.fields else None, str(item["message"]))
        except DomainError as error:
            self.add_error("delegator", str(error.detail))
        return cleaned


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    """委任: added through the service (audited, the delegate told); an existing one is only revoked (an action),
    never edited or deleted here."""

    form = DelegationForm
    list_display = ["delegator", "delegate", "start", "end", "kinds", "created_by", "revoked_at"]
    list_filter = ["start"]
    search_fields = ["delegator__name", "delegate__name"]
    list_select_related = ["delegator", "delegate", "created_by"]
    fields = ["delegator", "delegate", "start", "end", "kinds"]
    actions = ["revoke"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.actor = request.user
        return form

    def has_change_permission(self, request, obj=None):
        """The changelist (and its revoke action) for those who may change delegations; a saved one is read-only."""
        return obj is None and super().has_change_permission(request)

    def save_model(self, request, obj, form, change):
        created = services.delegation_create(
            delegator=obj.delegator,
            delegate=obj.delegate,
            start=obj.start,
            end=obj.end,
            kinds=obj.kinds or (),
            actor=request.user,
        )
        obj.pk = created.pk
        obj._state.adding = False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("選択した委任を取り消す"), permissions=["change"])
    def revoke(self, request, queryset):
        revoked = 0
        for delegation in queryset:
            try:
                services.delegation_revoke(delegation=delegation, actor=request.user)
            except DomainError as error:
                self.message_user(request, f"{delegation}: {error.detail}", level=messages.WARNING)
            else:
                revoked += 1
        self.message_user(request, _("%(count)s件の委任を取り消しました。") % {"count": revoked})


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """監査証跡: read-only."""

    list_display = ["seq", "action", "document", "actor", "on_behalf_of", "at"]
    list_filter = ["action"]
    search_fields = ["document__number", "document__title"]
    list_select_related = ["document", "actor", "on_behalf_of"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Register)
class RegisterAdmin(admin.ModelAdmin):
    """文書番号簿: where each kind's documents take their numbers (種別の文書規程 names the register)."""

    list_display = ["code", "name", "number_format", "per_department"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(KindPolicy)
class KindPolicyAdmin(admin.ModelAdmin):
    """種別の文書規程: one row per kind (seeded): its register, retention and who may change its attachments."""

    list_display = ["kind", "register", "retention_years", "retention_permanent", "handling_roles"]
    list_select_related = ["register"]
    readonly_fields = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DocumentCategory)
class DocumentCategoryAdmin(admin.ModelAdmin):
    """文書分類表: the retention a category gives a document whose drafter leaves it out."""

    list_display = ["name", "retention_years", "retention_permanent"]
    search_fields = ["name"]


@admin.register(ActingAppointment)
class ActingAppointmentAdmin(admin.ModelAdmin):
    """職務代理者: who holds a vacant post; route steps naming the post go to them while it covers the day."""

    list_display = ["department", "section", "position", "acting", "start", "end"]
    list_filter = ["position", "department"]
    list_select_related = ["department", "section", "acting"]
    autocomplete_fields = ["acting"]
