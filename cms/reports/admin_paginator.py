"""A paginator for the admin report listing that stops counting.

Wagtail's listing asks for an exact COUNT(*) of the visible reports joined to
their revisions on every page: over a second at a million reports. Nobody
pages through ten thousand reports; past that the listing says "lebih dari
10.000", the pager "Halaman 1 dari lebih dari 500" with no last page (Wagtail
would show the page total of the capped count, 501, as if it were the end),
and the filters narrow it down."""

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin.paginator import WagtailPaginator

CAP = 10_000


class CappedPaginator(WagtailPaginator):
    cap = CAP

    @cached_property
    def count(self):
        object_list = self.object_list
        if not hasattr(object_list, "query"):
            return min(len(object_list), self.cap + 1)
        # A sliced queryset is counted as COUNT(*) over a LIMITed subquery: the
        # database stops after cap + 1 rows (no ordering needed to count them).
        return object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def capped(self):
        return self.count > self.cap

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        # Past the cap the count is a floor, not the end of the list: a page
        # is cut short only by the rows themselves.
        if not self.capped and top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.object_list[bottom:top], number, self)

    @cached_property
    def pages_floor(self):
        """Past the cap, the number of pages the list certainly has more than
        (the cap + 1 rows counted fill at least one page beyond it)."""
        return self.cap // self.per_page

    def get_elided_page_range(self, page_number):
        if not self.capped:
            yield from super().get_elided_page_range(page_number)
            return
        # The last page is unknown: its neighbours are shown, then an
        # ellipsis for the rest, never a page total that is only the cap.
        try:
            number = self.validate_number(page_number)
        except PageNotAnInteger:
            number = 1
        except EmptyPage:
            number = self.num_pages
        if number <= 3:
            shown = range(1, min(4, self.num_pages) + 1)
        else:
            yield 1
            yield self.ELLIPSIS
            shown = range(number - 1, min(number + 1, self.num_pages) + 1)
        yield from shown
        yield self.ELLIPSIS

    @cached_property
    def items_count_label(self):
        if self.capped:
            return _("lebih dari %(cap)s %(items)s") % {
                "cap": number_format(self.cap, force_grouping=True),
                "items": self.verbose_name_plural,
            }
        return super().items_count_label
