"""Template filters of the portal: minutes as hours and minutes, a time of day in the local zone."""

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def hours(minutes) -> str:
    """425 → "7:05"; 0 or None → "0:00"."""
    minutes = int(minutes or 0)
    return f"{minutes // 60}:{minutes % 60:02d}"


@register.filter
def clock_time(moment) -> str:
    """An aware datetime as the local "HH:MM" (empty for None)."""
    return timezone.localtime(moment).strftime("%H:%M") if moment else ""
