"""The account's owner is told of what happened to their account (the security event log of `org`).

A password set by someone else, one's own password changed, a login locked after wrong passwords: each is a
notification to the owner in the same transaction as the event, so a change they did not make is noticed.
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.services import notify
from org.models import SecurityAction, SecurityEvent

TITLES = {
    SecurityAction.PASSWORD_RESET: gettext_lazy("パスワードが再設定されました"),
    SecurityAction.PASSWORD_CHANGED: gettext_lazy("パスワードが変更されました"),
    SecurityAction.ACCOUNT_LOCKED: gettext_lazy("ログインが一時的にロックされました"),
}


def _body(event: SecurityEvent) -> str:
    at = date_format(timezone.localtime(event.at), "Y-m-d H:i")
    if event.action == SecurityAction.ACCOUNT_LOCKED:
        text = _(
            "%(at)s、%(address)s からのパスワードの誤りが続いたため、その接続元からのログインをロックしました。"
        )
        return text % {"at": at, "address": event.address or "-"} + " " + _unexpected()
    who = (event.actor.name or event.actor.username) if event.actor is not None else _("システム")
    return (
        _("%(at)s、%(who)sがあなたのパスワードを設定しました。") % {"at": at, "who": who}
        + " "
        + _unexpected()
    )


def _unexpected() -> str:
    return _("心当たりがない場合は、情報システム担当にすぐ連絡してください。")


def notify_account_owner(*, event: SecurityEvent) -> None:
    """`org.registry`'s security-event listener: the owner of the account concerned is notified."""
    title = TITLES.get(event.action)
    if title is None or event.subject is None:
        return
    notify(
        recipients=[event.subject],
        kind=f"security_{event.action}",
        title=str(title),
        body=_body(event),
        data={"security_event": event.pk},
    )
