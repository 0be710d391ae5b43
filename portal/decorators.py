"""`page`: what every portal view needs first — a login (the login page otherwise), and the person's roles loaded
once, so that the role checks of the view, the services and the navigation cost no further query."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects


def page(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        prefetch_related_objects([request.user], "roles")
        return view(request, *args, **kwargs)

    return wrapper
