"""What each inbox item is about, read in a fixed number of queries whatever the number of items: the telework
request (dates, place, the rule check stored at application), the correction's day as it stands (the day's
figures) and the events asked for, the timesheet's totals."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import get_language

from approvals import registry
from approvals.models import ActedAs, Document, DocumentKind, StepApprover
from attendance import selectors as attendance_selectors
from attendance.models import ClockKind, Location
from telework import selectors as telework_selectors
from telework.models import TeleworkRequest


@dataclass
class Item:
    """A row of the inbox (or of the 後閲 list): the approver row, its document and what the document is about."""

    row: StepApprover
    document: Document
    kind_label: str
    bulk_approvable: bool
    telework: TeleworkRequest | None = None
    warnings: list[str] = field(default_factory=list)
    day: object | None = None  # attendance.models.DaySummary of a correction's day
    correction_date: date | None = None
    correction_events: list[dict] = field(default_factory=list)
    timesheet: dict | None = None  # a timesheet's month and totals as submitted

    @property
    def acting_for(self):
        """The approver the user decides for (委任 or 代決), None when it is their own row."""
        return None if self.acting_as == ActedAs.SELF else self.row.approver

    @property
    def acting_as(self) -> str:
        return getattr(self.row, "acting_as", ActedAs.SELF)

    @property
    def acting_label(self) -> str:
        """委任 or 代決 in words."""
        return ActedAs(self.acting_as).label


def asked_events(events: list[dict]) -> list[dict]:
    """The clock events a correction asks for (as stored in its document), in words and local time."""
    return [
        {
            "kind": ClockKind(event["kind"]).label,
            "at": timezone.localtime(datetime.fromisoformat(event["at"])),
            "location": Location(event["location"]).label,
        }
        for event in events
    ]


def kind_label(kind: str) -> str:
    spec = registry.get_kind(kind)
    return spec.label if spec else DocumentKind(kind).label


def _warning_messages(request: TeleworkRequest) -> list[str]:
    english = (get_language() or "").startswith("en")
    return [w.get("message_en" if english else "message_ja") or w.get("code", "") for w in request.warnings]


def describe(rows: list[StepApprover]) -> list[Item]:
    """The rows with what their documents are about: two queries for telework requests (and their days), one
    for the days of the corrections."""
    items = [
        Item(
            row=row,
            document=row.step.document,
            kind_label=kind_label(row.step.document.kind),
            bulk_approvable=bool(
                (spec := registry.get_kind(row.step.document.kind)) and spec.bulk_approvable
            ),
        )
        for row in rows
    ]
    telework_ids = [item.document.pk for item in items if item.document.kind == DocumentKind.TELEWORK]
    requests = {}
    if telework_ids:
        requests = {
            request.document_id: request
            for request in telework_selectors.request_queryset().filter(document_id__in=telework_ids)
        }
    corrections = [item for item in items if item.document.kind == DocumentKind.ATTENDANCE_CORRECTION]
    for item in corrections:
        payload = item.document.payload or {}
        item.correction_date = date.fromisoformat(payload["date"]) if payload.get("date") else None
        item.correction_events = asked_events(payload.get("events", []))
    days = attendance_selectors.day_summaries_of(
        pairs=[
            (item.document.drafter_id, item.correction_date) for item in corrections if item.correction_date
        ]
    )
    for item in items:
        if item.document.kind == DocumentKind.TIMESHEET:
            item.timesheet = item.document.payload or None
        item.telework = requests.get(item.document.pk)
        if item.telework is not None:
            item.warnings = _warning_messages(item.telework)
        if item.correction_date:
            item.day = days.get((item.document.drafter_id, item.correction_date))
    return items
