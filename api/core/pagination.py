"""Page-number pagination: ?page=N&page_size=M → {count, next, previous, results}.

`CountedPagination` reads the page and the total in ONE query (`COUNT(*) OVER ()` on the page's rows) instead
of DRF's two (a COUNT, then the page): for the busiest lists (the inbox, the document list). Only a page
past the end (no rows, or an offset beyond 64 bits) asks for the count apart, to answer its 404. Not for a DISTINCT queryset, whose window
would count the rows before DISTINCT.
"""

from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import Count, Window
from rest_framework import pagination

from api.core.limits import INT_MAX


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


class CountedPaginator(DjangoPaginator):
    """Django's paginator whose page carries the total: one query for both."""

    def page(self, number):
        try:
            index = int(number)
        except (TypeError, ValueError):
            return super().page(number)  # Django's PageNotAnInteger (a 404), before any query
        bottom = (index - 1) * self.per_page
        if index >= 1 and bottom + self.per_page <= INT_MAX:  # beyond 64 bits no database takes the offset
            rows = list(
                self.object_list.annotate(page_total=Window(Count("*")))[bottom : bottom + self.per_page]
            )
            if rows:  # a model instance, or a row of QuerySet.values
                first = rows[0]
                self.count = first["page_total"] if isinstance(first, dict) else first.page_total
            elif index == 1:
                self.count = 0
            if rows or index == 1:
                return self._get_page(rows, self.validate_number(index), self)
        return super().page(index)  # past the end: the count apart, then Django's EmptyPage (a 404)


class CountedPagination(PageNumberPagination):
    django_paginator_class = CountedPaginator
