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

from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
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


@dataclass(frozen=True)
class RowSource:
    """What `WindowCountPaginator` pages: `rows(offset, limit)` returns a page of dicts
    that each carry `result_total`; `count()` counts the whole result."""

    rows: Callable[[int, int], list[dict]]
    count: Callable[[], int]


class WindowCountPaginator(Paginator):
    """Pages of a `RowSource`. The total is read from the page's own rows; the count
    query runs only when the page asked for is past the end (there is no row to read
    the total from). Usable as DRF's `django_paginator_class`."""

    cap = COUNT_CAP

    def __init__(self, source: RowSource, per_page, **kwargs):
        super().__init__([], per_page, **kwargs)
        self.source = source

    @cached_property
    def count(self) -> int:
        return self.source.count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from error
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        rows = self.source.rows((number - 1) * self.per_page, self.per_page)
        if rows:
            self.count = rows[0]["result_total"]
        elif number == 1:
            self.count = 0
        else:
            raise EmptyPage(self.error_messages["no_results"])
        return self._get_page(rows, number, self)

    def get_page(self, number):
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(max(1, self.num_pages))


class WindowCountPageNumberPagination(PageNumberPagination):
    """DRF's page-number pagination over a `RowSource` (exact counts, read with the rows)."""

    django_paginator_class = WindowCountPaginator
