"""委任: a delegator gives their decisions to a delegate for a period (all kinds or some), and may revoke it."""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import lock_objects
from approvals.audit import audit_append, audit_batch
from approvals.codes import ApprovalsError
from approvals.models import Delegation, DocumentKind
from core.errors import CoreError
from notifications.services import notify
from org.models import Employee


def delegation_check(
    *, delegator: Employee, delegate: Employee, start: date, end: date, kinds: Iterable[str], actor: Employee
) -> None:
    """委任の規則: raises PermissionDenied (the actor is neither the delegator nor an admin) or RuleViolation with
    every broken rule; the admin form runs it to show them as form errors."""
    if actor.pk != delegator.pk and not actor.has_role("admin"):
        raise ApprovalsError.NOT_DELEGATOR.error()
    errors = []
    if delegate.pk == delegator.pk:
        errors.append(ApprovalsError.SELF_DELEGATION.field("delegate"))
    if end < start:
        errors.append(CoreError.END_BEFORE_START.field("end"))
    if any(kind not in DocumentKind.values for kind in kinds):
        errors.append(ApprovalsError.INVALID_KIND.field("kinds"))
    if not delegate.is_active:
        errors.append(ApprovalsError.INACTIVE.field("delegate"))
    if errors:
        raise CoreError.RULE_VIOLATION.error(errors=errors)


def _audit_delegation(*, action: str, actor: Employee, delegator: Employee, **data) -> None:
    """The delegation's audit event; `on_behalf_of` names the delegator when an admin acts for them."""
    audit_append(
        document=None,
        action=action,
        actor=actor,
        on_behalf_of=delegator if actor.pk != delegator.pk else None,
        data=data,
    )


def delegation_create(
    *,
    delegator: Employee,
    delegate: Employee,
    start: date,
    end: date,
    kinds: Iterable[str] = (),
    actor: Employee,
) -> Delegation:
    """委任: for a period the delegate decides the delegator's items (all kinds, or only `kinds`)."""
    kinds = list(dict.fromkeys(kinds))
    delegation_check(delegator=delegator, delegate=delegate, start=start, end=end, kinds=kinds, actor=actor)
    with transaction.atomic(), audit_batch():
        delegation = Delegation.objects.create(
            delegator=delegator, delegate=delegate, start=start, end=end, kinds=kinds, created_by=actor
        )
        _audit_delegation(
            action="delegate",
            actor=actor,
            delegator=delegator,
            delegation=delegation.pk,
            delegate=delegate.pk,
            start=start,
            end=end,
            kinds=kinds,
        )
        notify(
            recipients=[delegate],
            kind="approval_delegated",
            title=_("%(name)sから決裁を委任されました") % {"name": delegator.name or delegator.username},
            body=f"{start}–{end}",
            data={"delegation": delegation.pk},
        )
    return delegation


def delegation_revoke(*, delegation: Delegation, actor: Employee) -> Delegation | None:
    """委任の取消: the delegator (or an admin) ends a delegation at once: from this moment the delegate no
    longer acts for the delegator (`revoked_at`, the day's remaining hours included; the period's end becomes
    today). One not yet started is deleted (returns None). Anyone else gets NotFound; one already over or
    revoked, Conflict. The delegate is told."""
    with transaction.atomic(), audit_batch():
        delegation = lock_objects.delegation_for_update(pk=delegation.pk)
        if delegation is None or (actor.pk != delegation.delegator_id and not actor.has_role("admin")):
            raise ApprovalsError.DELEGATION_NOT_FOUND.error()
        now = timezone.now()
        today = timezone.localdate()
        if delegation.end < today or delegation.revoked_at is not None:
            raise ApprovalsError.DELEGATION_ENDED.error()
        delegator, delegate, start, end = (
            delegation.delegator,
            delegation.delegate,
            delegation.start,
            delegation.end,
        )
        if start > today:
            delegation.delete()
            revoked = None
        else:
            delegation.end = today
            delegation.revoked_at = now
            delegation.save(update_fields=["end", "revoked_at"])
            revoked = delegation
        _audit_delegation(
            action="delegation_revoke",
            actor=actor,
            delegator=delegator,
            delegation=delegation.pk if revoked else None,
            delegate=delegate.pk,
            start=start,
            end=end,
            new_end=today if revoked else None,
            revoked_at=now if revoked else None,
        )
        notify(
            recipients=[delegate],
            kind="approval_delegation_revoked",
            title=_("%(name)sからの委任が取り消されました") % {"name": delegator.name or delegator.username},
            body=f"{start}–{today if revoked else end}",
            data={"delegation": revoked.pk if revoked else None, "deleted": revoked is None},
        )
    return revoked
