"""Home `/`: today's state and the next clock action, the schedule, notifications, what waits for me."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def home(request):
    return render(request, "portal/home/home.html", {})
