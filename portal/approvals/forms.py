"""The forms of /approvals/: a decision with its comment, a bulk approval, a draft (起案), an attachment, an
absence (不在) and a delegation (委任). They check the shape of the input only; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from approvals.codes import ApprovalsError
from approvals.models import RETENTION_YEARS, DocumentKind
from attendance.codes import AttendanceError
from core.errors import CoreError, ErrorCode
from org.models import Department, Employee
from portal.forms import PortalForm
from telework.codes import TeleworkError

APPROVE, REJECT, RETURN = "approve", "reject", "return"
PERMANENT = "permanent"
# The catalogues whose codes a bulk approval reports for a refused document.
BULK_LIMIT = 100  # as the API's 一括承認
BULK_CATALOGUES: tuple[type[ErrorCode], ...] = (ApprovalsError, TeleworkError, AttendanceError, CoreError)


def code_message(code: str) -> str:
    """The catalogue's message of a code a bulk approval reported (the code itself when none has it)."""
    for catalogue in BULK_CATALOGUES:
        if code in catalogue._value2member_map_:
            return str(catalogue(code).message)
    return code


class DecisionForm(PortalForm):
    """承認・否決・差戻し of the open step, with a comment (required to reject or send back)."""

    decision = forms.ChoiceField(
        label=_("判断"),
        choices=[(APPROVE, _("承認")), (REJECT, _("否決")), (RETURN, _("差戻し"))],
        widget=forms.RadioSelect,
        initial=APPROVE,
    )
    comment = forms.CharField(
        label=_("コメント"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("否決・差戻しのときは理由を書いてください。"),
    )
    acknowledge_warnings = forms.BooleanField(label=_("警告を確認したうえで承認する"), required=False)

    def __init__(self, *args, warnings: bool = False, **kwargs):
        """`warnings`: the kind's rules can warn (telework), so the approver may acknowledge them."""
        super().__init__(*args, **kwargs)
        if not warnings:
            del self.fields["acknowledge_warnings"]

    def clean(self):
        data = super().clean()
        if data.get("decision") in (REJECT, RETURN) and not (data.get("comment") or "").strip():
            self.add_error("comment", _("否決・差戻しの理由を入力してください。"))
        return data


class AcknowledgeForm(PortalForm):
    """後閲・供覧の確認."""

    comment = forms.CharField(
        label=_("コメント"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DocumentIdsField(forms.Field):
    """Ticked document ids (`documents=1&documents=2`), each a positive integer, at most BULK_LIMIT."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        if len(values) > BULK_LIMIT:
            raise forms.ValidationError(
                _("一度に一括承認できるのは%(limit)d件までです。") % {"limit": BULK_LIMIT}, code="invalid"
            )
        try:
            ids = [int(item) for item in values]
        except (TypeError, ValueError) as error:
            raise forms.ValidationError(_("文書の指定が正しくありません。"), code="invalid") from error
        if any(pk < 1 for pk in ids):
            raise forms.ValidationError(_("文書の指定が正しくありません。"), code="invalid")
        return ids


class BulkApproveForm(PortalForm):
    """一括承認: the documents ticked in the inbox (the service reports each one it cannot approve)."""

    documents = DocumentIdsField(
        label=_("一括承認する文書"), error_messages={"required": _("一括承認する文書を選んでください。")}
    )
    comment = forms.CharField(label=_("コメント"), required=False, max_length=2000)


class DraftForm(PortalForm):
    """起案文書: title, body, category, amount, retention (保存年限) and the departments consulted (合議)."""

    title = forms.CharField(label=_("件名"), max_length=200)
    body = forms.CharField(label=_("本文"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    category = forms.CharField(
        label=_("文書分類"),
        required=False,
        max_length=50,
        help_text=_("文書分類表の分類名。保存年限を選ばないときは分類の年限になります。"),
    )
    amount = forms.IntegerField(label=_("金額(円)"), required=False, min_value=0)
    retention_years = forms.ChoiceField(
        label=_("保存年限"),
        required=False,
        choices=[
            ("", _("文書分類による")),
            *[(str(years), _("%(years)s年") % {"years": years}) for years in RETENTION_YEARS],
            (PERMANENT, _("永年")),
        ],
    )
    consult_departments = forms.ModelMultipleChoiceField(
        label=_("合議先の課"),
        required=False,
        queryset=Department.objects.none(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consult_departments"].queryset = Department.objects.filter(is_active=True).order_by(
            "sort_order", "code"
        )

    def service_fields(self) -> dict:
        """The cleaned fields as `document_create` / `document_update` take them (retention left out = the
        category's; 永年 = None)."""
        data = dict(self.cleaned_data)
        retention = data.pop("retention_years")
        data["body"] = data.get("body") or ""
        data["category"] = data.get("category") or ""
        data["consult_departments"] = list(data["consult_departments"])
        if retention == PERMANENT:
            data["retention_years"] = None
        elif retention:
            data["retention_years"] = int(retention)
        return data

    @classmethod
    def initial_of(cls, document) -> dict:
        retention = PERMANENT if document.retention_years is None else str(document.retention_years)
        return {
            "title": document.title,
            "body": document.body,
            "category": document.category,
            "amount": document.amount,
            "retention_years": retention,
            "consult_departments": list(document.consult_departments.all()),
        }


class AttachmentForm(PortalForm):
    file = forms.FileField(label=_("添付ファイル"))


def _date_field(label) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}))


class AbsenceForm(PortalForm):
    """不在の登録 (出張・研修…): while it lasts, my deputy (代決者) may decide for me."""

    start = _date_field(_("開始日"))
    end = _date_field(_("終了日"))
    reason = forms.CharField(
        label=_("理由"), required=False, max_length=200, help_text=_("例: 出張(札幌)、研修")
    )


class DelegateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Employee) -> str:
        name = obj.name or obj.username
        parts = [str(obj.department.name) if obj.department_id else "", obj.get_position_display()]
        return f"{name}({' '.join(part for part in parts if part)})"


class DelegationForm(PortalForm):
    """決裁の委任: for a period the delegate decides my items (every kind, or only those ticked).
    `delegates` is the choice offered; the service checks the rules (not myself, an active account...)."""

    delegate = DelegateChoiceField(
        label=_("受任者"), queryset=Employee.objects.none(), empty_label=_("受任者を選んでください")
    )
    start = _date_field(_("開始日"))
    end = _date_field(_("終了日"))
    kinds = forms.MultipleChoiceField(
        label=_("対象の種別"),
        choices=DocumentKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("選ばないときはすべての種別を委任します。"),
    )

    def __init__(self, *args, delegates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = delegates
