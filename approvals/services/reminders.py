"""督促・エスカレーション: the periodic reminders of decisions waiting too long, and of 後閲 once the approver is back.

Which items are due is the pure `approvals.reminders`; this records each (item, level) once and writes one
notification per recipient and level.
"""

from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import reminders, selectors
from approvals.models import ApprovalReminder, ReminderLevel, StepApprover
from notifications.services import notify
from org import selectors as org_selectors
from org.calendar import BusinessCalendar

REMINDER_KINDS = {
    ReminderLevel.REMINDER: "approval_reminder",
    ReminderLevel.ESCALATION: "approval_escalation",
    ReminderLevel.POST_REVIEW: "approval_post_review_reminder",
}
INBOX_LINK = "/api/v1/approvals/inbox/"
POST_REVIEWS_LINK = "/api/v1/approvals/post-reviews/"


def _claim_reminders(pairs: list[tuple[int, str]], now: datetime) -> set[tuple[int, str]]:
    """Records (step approver, level) pairs and returns those recorded by this call: a pair recorded before (or
    by a run at the same time, which the unique constraint makes wait and then skip) is not returned again.
    Records older than their step's current opening (the step was reopened) are replaced."""
    keys = {key for key, _level in pairs}
    ApprovalReminder.objects.filter(
        step_approver_id__in=keys, sent_at__lt=F("step_approver__step__opened_at")
    ).delete()
    ApprovalReminder.objects.bulk_create(
        [ApprovalReminder(step_approver_id=key, level=level, sent_at=now) for key, level in pairs],
        ignore_conflicts=True,
    )
    return set(
        ApprovalReminder.objects.filter(step_approver_id__in=keys, sent_at=now).values_list(
            "step_approver_id", "level"
        )
    )


def _item_line(row: StepApprover, *, hours: int, absent: bool = False) -> str:
    values = {
        "title": row.step.document.title,
        "approver": row.approver.name or row.approver.username,
        "hours": hours,
    }
    if absent:
        return _("・%(title)s(処理者: %(approver)s 不在、%(hours)s営業時間)") % values
    return _("・%(title)s(処理者: %(approver)s、%(hours)s営業時間)") % values


def _send_digests(
    digests: dict[tuple[int, str], list], titles: dict[str, str], links: dict[str, str]
) -> None:
    """One notification per recipient and level, listing its items; `digests` maps (recipient id, level) to
    [(recipient, row, line)]."""
    for (_recipient_id, level), entries in sorted(digests.items()):
        rows = {row.pk: row for _recipient, row, _line in entries}
        notify(
            recipients=[entries[0][0]],
            kind=REMINDER_KINDS[level],
            title=titles[level] % {"count": len(rows)},
            body="\n".join(dict.fromkeys(line for _recipient, _row, line in entries)),
            link=links[level],
            data={
                "level": level,
                "documents": sorted({row.step.document_id for row in rows.values()}),
                "step_approvers": sorted(rows),
            },
        )


def _send_reminders(
    pairs: list[tuple[int, str]],
    now: datetime,
    *,
    digests_of: Callable[[set[tuple[int, str]]], dict[tuple[int, str], list]],
    titles: dict[str, str],
    links: dict[str, str],
) -> int:
    """In one transaction: record the due (step approver, level) pairs, and send the digests of those this run
    recorded (`digests_of` builds them from the claimed pairs). Returns how many pairs were sent."""
    if not pairs:
        return 0
    with transaction.atomic():
        claimed = _claim_reminders(pairs, now)
        _send_digests(digests_of(claimed), titles, links)
    return len(claimed)


def approval_reminders_send(*, now: datetime | None = None) -> int:
    """督促・エスカレーション: an undecided item waiting APPROVAL_REMINDER_BUSINESS_HOURS business hours reminds its
    approver and their active delegates; after APPROVAL_ESCALATION_BUSINESS_HOURS it goes to the approver's
    superior and, if the approver is away today, their deputy (代決者). Each (item, level) once; one notification
    per recipient and level. Returns how many (item, level) pairs were sent. The queries do not grow with the
    number of items, only the notifications with the number of recipients."""
    now = now or timezone.now()
    reminder_hours = settings.APPROVAL_REMINDER_BUSINESS_HOURS
    escalation_hours = settings.APPROVAL_ESCALATION_BUSINESS_HOURS
    # Business time never runs faster than the clock: an item younger than the threshold is not due.
    opened_before = now - timedelta(hours=min(reminder_hours, escalation_hours))
    rows = {row.pk: row for row in selectors.reminder_candidates(opened_before=opened_before)}
    if not rows:
        return 0
    calendar = org_selectors.business_calendar()
    items = [
        reminders.WaitingItem(
            key=row.pk,
            person=row.approver_id,
            opened_at=row.step.opened_at,
            sent=frozenset({ReminderLevel.REMINDER} if row.reminded else ()),
        )
        for row in rows.values()
    ]
    due = reminders.due_approval_items(
        items,
        now=now,
        calendar=calendar,
        reminder_hours=reminder_hours,
        escalation_hours=escalation_hours,
    )
    return _send_reminders(
        [(item.key, level) for item, level in due],
        now,
        digests_of=lambda claimed: _approval_digests(claimed, rows=rows, now=now, calendar=calendar),
        titles={
            ReminderLevel.REMINDER: _("決裁の督促: 処理待ちが%(count)s件あります"),
            ReminderLevel.ESCALATION: _("決裁の滞留: 処理が遅れている決裁が%(count)s件あります"),
        },
        links={ReminderLevel.REMINDER: INBOX_LINK, ReminderLevel.ESCALATION: INBOX_LINK},
    )


def _approval_digests(
    claimed: set[tuple[int, str]], *, rows: dict[int, StepApprover], now: datetime, calendar: BusinessCalendar
) -> dict[tuple[int, str], list]:
    """督促 to the approver and their active delegates; エスカレーション to the superior and an absent approver's
    deputy. Four queries, whatever the number of items."""
    today = timezone.localdate(now)
    approvers = {rows[key].approver_id: rows[key].approver for key, _level in claimed}
    delegations = selectors.active_delegations_from(delegator_ids=approvers, on=today)
    absent = org_selectors.absent_employee_ids(on=today, employee_ids=list(approvers))
    escalated = [rows[key].approver for key, level in claimed if level == ReminderLevel.ESCALATION]
    superiors = selectors.superiors_of(employees=escalated) if escalated else {}
    digests: dict[tuple[int, str], list] = {}
    for key, level in sorted(claimed):
        row = rows[key]
        hours = reminders.business_minutes_between(row.step.opened_at, now, calendar) // 60
        line = _item_line(row, hours=hours)
        if level == ReminderLevel.REMINDER:
            recipients = [row.approver] + [
                d.delegate
                for d in delegations
                if d.delegator_id == row.approver_id and d.covers(row.step.document.kind)
            ]
        else:
            recipients = [superiors.get(row.approver_id)]
            if row.approver_id in absent:
                line = _item_line(row, hours=hours, absent=True)
                deputy = row.approver.deputy
                recipients.append(deputy if deputy is not None and deputy.is_active else None)
        for recipient in recipients:
            if recipient is not None:
                digests.setdefault((recipient.pk, level), []).append((recipient, row, line))
    return digests


def post_review_reminders_send(*, now: datetime | None = None) -> int:
    """後閲の督促: a 後閲 waiting APPROVAL_POST_REVIEW_REMINDER_BUSINESS_DAYS business days or more reminds the
    absent approver once they are back (no absence covering today); once per 後閲 step. Returns how many."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    days = settings.APPROVAL_POST_REVIEW_REMINDER_BUSINESS_DAYS
    rows = {
        row.pk: row
        for row in selectors.post_review_reminder_candidates(opened_before=now - timedelta(days=days))
    }
    if not rows:
        return 0
    calendar = org_selectors.business_calendar()
    absent = org_selectors.absent_employee_ids(
        on=today, employee_ids=list({row.approver_id for row in rows.values()})
    )
    due = reminders.due_post_reviews(
        [
            reminders.WaitingItem(key=row.pk, person=row.approver_id, opened_at=row.step.opened_at)
            for row in rows.values()
        ],
        today=today,
        calendar=calendar,
        days=days,
        absent=absent,
    )
    return _send_reminders(
        [(item.key, ReminderLevel.POST_REVIEW) for item in due],
        now,
        digests_of=lambda claimed: _post_review_digests(claimed, rows=rows, today=today, calendar=calendar),
        titles={ReminderLevel.POST_REVIEW: _("後閲のお願い: 未確認の代決が%(count)s件あります")},
        links={ReminderLevel.POST_REVIEW: POST_REVIEWS_LINK},
    )


def _post_review_digests(
    claimed: set[tuple[int, str]], *, rows: dict[int, StepApprover], today: date, calendar: BusinessCalendar
) -> dict[tuple[int, str], list]:
    """後閲の督促 to the approver who is back, each item with the business days it has waited."""
    digests: dict[tuple[int, str], list] = {}
    for key, level in sorted(claimed):
        row = rows[key]
        days_waited = calendar.business_days_between(timezone.localdate(row.step.opened_at), today)
        line = _("・%(title)s(%(days)s営業日前に代決)") % {
            "title": row.step.document.title,
            "days": days_waited,
        }
        digests.setdefault((row.approver_id, level), []).append((row.approver, row, line))
    return digests
