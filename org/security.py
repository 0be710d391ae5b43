"""The security event log (セキュリティ監査ログ): every change to an account's access, and every absence, recorded once.

`security_event_record` is called by the services inside their own transaction, so the event exists exactly when
the change does; the listeners of `org.registry` (notifications) run in the same transaction.
"""

from org import registry
from org.models import Employee, SecurityEvent


def security_event_record(
    *,
    action: str,
    actor: Employee | None,
    subject: Employee | None,
    subject_username: str = "",
    address: str = "",
    data: dict | None = None,
) -> SecurityEvent:
    """Appends one event; call it inside the transaction of the change it records."""
    event = SecurityEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.pk else None,
        actor_username=actor.get_username() if actor is not None else "",
        subject=subject,
        subject_username=subject_username or (subject.get_username() if subject is not None else ""),
        address=address[:45],
        data=data or {},
    )
    registry.security_event_recorded(event=event)
    return event
