"""A paginator for search results that counts as little as it can.

* It stops counting at a cap: a search page never counts every row of a large
  table only to print "page 1 of 400".
* Page one is read first, one row more than a page: when that extra row is not
  there, the rows read are the whole result and no count query runs at all (most
  searches are that narrow).
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """`count_queryset`, when given, is counted instead of `object_list`: the same rows
    without the ordering and ranking a count does not need."""

    cap = COUNT_CAP

    def __init__(self, object_list, per_page, *, count_queryset=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_queryset = count_queryset

    @cached_property
    def _first_rows(self) -> list:
        return list(self.object_list[: self.per_page + 1])

    @cached_property
    def count(self) -> int:
        if len(self._first_rows) <= self.per_page:
            return len(self._first_rows)
        rows = self.object_list if self.count_queryset is None else self.count_queryset
        return rows.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    def page(self, number):
        number = self.validate_number(number)
        if number == 1:
            return self._get_page(self._first_rows[: self.per_page], number, self)
        return super().page(number)
