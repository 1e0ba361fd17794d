"""Pagination whose deep pages stay cheap."""

from django.core.paginator import Paginator


class ReversiblePaginator(Paginator):
    """Reads pages past the middle from the other end of the list, so no page needs an OFFSET
    larger than half the list (the last page of a 50,000-article topic reads 20 rows, not 50,000).

    The queryset's ordering must be total (ending in the primary key), so that reversing it gives
    exactly the same rows in the opposite order.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if self.orphans or bottom <= self.count // 2 or not hasattr(self.object_list, "reverse"):
            return super().page(number)
        rows = list(self.object_list.reverse()[self.count - top : self.count - bottom])
        rows.reverse()
        return self._get_page(rows, number, self)
