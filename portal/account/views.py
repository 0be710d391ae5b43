"""Settings `/settings/`: password, devices and tokens, language, the calendar feed."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def settings_page(request):
    return render(request, "portal/account/settings.html", {})
