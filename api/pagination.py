from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """100 rows a page by default, up to 1,000 with ?page_size=: a year of 10,000 lines is ten requests."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
