"""Idempotency-Key support for POSTs that create something (placeholder: the api-core work replaces it).

Usage on a DRF view method or @action:  `@idempotent` above `def create(self, request, ...)`.
"""

import functools


def idempotent(view_method):
    @functools.wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        return view_method(self, request, *args, **kwargs)

    return wrapper
