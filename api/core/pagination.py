"""Page-number pagination: ?page=N&page_size=M → {count, next, previous, results}."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500
