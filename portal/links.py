"""The page a notification is about: each app links its notifications to what they concern (an API resource or a
path of its own); the portal opens the page that shows it to a person."""

import re
from collections.abc import Callable

from django.urls import NoReverseMatch, reverse


def _page(name: str, *args, fallback: str = "portal:home") -> str:
    """The named page, or the fallback while the area that owns the name is not there."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return reverse(fallback)


def _month_page(month: str, anchor: str = "") -> str:
    return f"{reverse('portal:attendance')}?month={month}{anchor}"


PAGES: list[tuple[re.Pattern, Callable[[re.Match], str]]] = [
    (
        re.compile(r"^/api/v1/approvals/documents/(?P<id>\d+)/"),
        lambda m: _page("portal:approvals:document", int(m["id"]), fallback="portal:home"),
    ),
    (re.compile(r"^/api/v1/approvals/inbox/"), lambda m: _page("portal:approvals:inbox")),
    (
        re.compile(r"^/api/v1/approvals/post-reviews/"),
        lambda m: _page("portal:approvals:post-reviews", fallback="portal:home"),
    ),
    (
        re.compile(r"^/api/v1/telework/requests/(?P<id>\d+)/"),
        lambda m: f"{reverse('portal:telework')}#request-{m['id']}",
    ),
    (re.compile(r"^/api/v1/telework/"), lambda m: reverse("portal:telework")),
    (
        re.compile(r"^/attendance/days/(?P<date>(?P<month>\d{4}-\d{2})-\d{2})"),
        lambda m: _month_page(m["month"], f"#day-{m['date']}"),
    ),
    (re.compile(r"^/attendance/timesheets/(?P<month>\d{4}-\d{2})"), lambda m: _month_page(m["month"])),
    (
        re.compile(r"^/attendance/anomalies/"),
        lambda m: _page("portal:manage:department", fallback="portal:attendance"),
    ),
]


def page_for(link: str) -> str:
    """The portal page of a notification's link: a known resource's page, another path of this site as it is,
    home for anything else (an empty link, the API's other resources, another site)."""
    for pattern, page in PAGES:
        if match := pattern.match(link):
            return page(match)
    if link.startswith("/") and not link.startswith(("//", "/api/")):
        return link
    return reverse("portal:home")
