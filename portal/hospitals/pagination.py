"""Paginators for search results that count as little as they can.

* Page one is read first, one row more than a page: when that extra row is not
  there, the rows read are the whole result and no count query runs at all (most
  searches are that narrow).
* `CappedPaginator` also stops counting at a cap: a search page never counts every
  row of a large table only to print "page 1 of 400".
* `WindowCountPaginator` reads the total with the page rows (COUNT(*) OVER ()),
  for results ranked by relevance: the ranking already visits every match, so
  counting them on the way costs next to nothing and saves a second query.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

COUNT_CAP = 1000


class LeanPaginator(Paginator):
    """`count_queryset`, when given, is counted instead of `object_list`: the same rows
    without the ordering and ranking a count does not need."""

    cap: int | None = None

    def __init__(self, object_list, per_page, *args, count_queryset=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.count_queryset = count_queryset

    @cached_property
    def _first_rows(self) -> list:
        return list(self.object_list[: self.per_page + 1])

    @cached_property
    def count(self) -> int:
        if len(self._first_rows) <= self.per_page:
            return len(self._first_rows)
        rows = (self.object_list if self.count_queryset is None else self.count_queryset).order_by()
        return (rows if self.cap is None else rows[: self.cap + 1]).count()

    @property
    def capped(self) -> bool:
        return self.cap is not None and self.count > self.cap

    def page(self, number):
        number = self.validate_number(number)
        if number == 1:
            return self._get_page(self._first_rows[: self.per_page], number, self)
        return super().page(number)


class CappedPaginator(LeanPaginator):
    cap = COUNT_CAP


class LeanPageNumberPagination(PageNumberPagination):
    """DRF's page-number pagination (exact counts) without a count query for a result
    that fits on its first page."""

    django_paginator_class = LeanPaginator


class WindowCountPaginator(Paginator):
    """Pages read by `fetch(offset, limit)`, whose rows (dicts) each carry `result_total`,
    the number of rows in the whole result. `count()` runs only when the page asked
    for is past the end (there is no row to read the total from)."""

    cap = COUNT_CAP

    def __init__(self, fetch, per_page, *, count, **kwargs):
        super().__init__([], per_page, **kwargs)
        self._fetch, self._count = fetch, count

    @cached_property
    def count(self) -> int:
        return self._count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    def page(self, number):
        number = self.validate_number(number)
        return self._get_page(self._fetch((number - 1) * self.per_page, self.per_page), number, self)

    def get_page(self, number):
        try:
            number = max(1, int(number))
        except (TypeError, ValueError):
            number = 1
        rows = self._fetch((number - 1) * self.per_page, self.per_page)
        if rows:
            self.count = rows[0]["result_total"]
        elif number == 1:
            self.count = 0
        else:
            return super().get_page(number)
        return self._get_page(rows, number, self)
