"""Telework `/telework/`: apply with the rules checked as one picks, my requests, the calendar."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def overview(request):
    return render(request, "portal/telework/overview.html", {})
