"""Home `/`: today's state and the next clock action with the place, today's schedule, unread notifications,
what waits for my decision and my requests in flight. `POST /clock/` records the action."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals.models import DocumentStatus
from approvals.selectors import documents_visible_to
from attendance import selectors as attendance
from attendance.models import ClockKind, ClockSource, Location
from attendance.services.clocking import REFUSALS, clock_event_record
from notifications.selectors import notification_get, notification_list
from notifications.services import notification_mark_read
from org.selectors import business_calendar
from portal.decorators import page
from portal.forms import run_lookup, run_service
from portal.home.forms import ClockForm
from portal.htmx import is_htmx
from portal.labels import CLOCK_ACTIONS
from portal.links import page_for
from telework.selectors import approved_telework_location

HOME_NOTIFICATIONS = 5
HOME_REQUESTS = 10
NOTIFICATION_PAGE = 50
IN_FLIGHT = (DocumentStatus.IN_REVIEW, DocumentStatus.RETURNED)


def clock_panel(request, form: ClockForm | None = None) -> dict:
    """The clock card: where the person stands now, the actions open to them (the order of a time recorder),
    today's events and the place preselected (the approved telework place, else where they clocked in)."""
    employee = request.user
    now = timezone.now()
    state = attendance.clock_state(employee_id=employee.pk, now=now)
    events = list(attendance.effective_events(employee_id=employee.pk, day=state.work_date))
    telework_location = approved_telework_location(employee=employee, on=state.work_date)
    place = telework_location or (events[-1].location if events else Location.OFFICE)
    actions = [
        {"kind": kind, "label": CLOCK_ACTIONS[kind]}
        for kind in (ClockKind.IN, ClockKind.BREAK_START, ClockKind.BREAK_END, ClockKind.OUT)
        if (state.state, kind) not in REFUSALS
    ]
    if form is None:
        form = ClockForm(initial={"location": place})
    return {
        "state": state.state,
        "work_date": state.work_date,
        "events": events,
        "actions": actions,
        "telework_location": telework_location,
        "telework_location_label": Location(telework_location).label if telework_location else "",
        "form": form,
    }


@page
def home(request):
    employee = request.user
    today = timezone.localdate()
    calendar = business_calendar()
    context = {
        **clock_panel(request),
        "today": today,
        "is_working_day": calendar.is_working_day(today),
        "closure_reason": calendar.closure_reason(today),
        "schedule": attendance.schedule_on(employee_id=employee.pk, day=today),
        "notifications": list(notification_list(user=employee, unread=True)[:HOME_NOTIFICATIONS]),
        "in_flight": list(
            documents_visible_to(user=employee, mine=True).filter(status__in=IN_FLIGHT)[:HOME_REQUESTS]
        ),
    }
    return render(request, "portal/home/home.html", context)


@page
@require_POST
def clock(request):
    """打刻: the action at server time; answered with the clock card to htmx, else back to home."""
    form = ClockForm(request.POST)
    event = None
    if form.is_valid():
        data = form.cleaned_data
        event = run_service(
            form,
            clock_event_record,
            employee=request.user,
            kind=data["kind"],
            location=data["location"],
            source=ClockSource.WEB,
        )
    if event is not None:
        messages.success(
            request,
            _("%(action)sを記録しました(%(time)s)。")
            % {"action": CLOCK_ACTIONS[event.kind], "time": timezone.localtime(event.at).strftime("%H:%M")},
        )
        if not is_htmx(request):
            return redirect("portal:home")
        return render(request, "portal/home/_clock.html", clock_panel(request))
    status = form.error_status
    if is_htmx(request):
        return render(request, "portal/home/_clock.html", clock_panel(request, form), status=status)
    messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
    return redirect("portal:home")


@page
def notifications(request):
    """お知らせ: the person's latest notifications, unread first marked."""
    items = list(notification_list(user=request.user)[:NOTIFICATION_PAGE])
    return render(request, "portal/home/notifications.html", {"notifications": items})


@page
def notification_open(request, notification_id: int):
    """GET /notifications/<id>/: marks it read and opens the page it is about (the link e-mails and chat carry);
    another person's notification is a 404."""
    notification = run_lookup(notification_get, user=request.user, notification_id=notification_id)
    notification_mark_read(notification=notification, user=request.user)
    return redirect(page_for(notification.link))
