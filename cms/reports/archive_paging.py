"""Paging of the public archive that costs the same on page 1 and page 5,000.

- The total is counted only up to count_limit() + 1 rows
  (SIKANDA_ARCHIVE_COUNT_LIMIT, default 1,000: "lebih dari 1.000 laporan";
  a search SIKANDA_ARCHIVE_SEARCH_COUNT_LIMIT, default 100):
  an exact COUNT(*) over hundreds of thousands of public reports on every
  page view bought a number nobody reads.
- "Berikutnya" and "Sebelumnya" carry the position of the last (or first)
  report shown, a keyset cursor (`setelah` / `sebelum`), so the next page is
  one index range read however deep it is, and a report published meanwhile
  never shifts a report onto two pages.
- A page number typed by hand (`halaman`, the old links) is still served by
  offset, but only within the counted range: a deeper number shows the last
  numbered page, from where the cursor links go on.
"""

from dataclasses import dataclass, field

from django.conf import settings
from graphql import GraphQLError

from cms.platform.api.pagination import Key, Ordering

PER_PAGE = 20


def count_limit(searching=False):
    if searching:
        # A frequent word matches a tenth of the archive, and counting its
        # matches means reading them from the table (the full-text index only
        # names them): 1,001 cost ~70 ms at a million reports, 101 ~17 ms.
        # Nobody pages through a hundred hits; they add a word.
        return getattr(settings, "SIKANDA_ARCHIVE_SEARCH_COUNT_LIMIT", 100)
    return getattr(settings, "SIKANDA_ARCHIVE_COUNT_LIMIT", 1_000)


def max_offset_page(searching=False):
    return max(1, count_limit(searching) // PER_PAGE)


# The archive's order (Laporan.Meta.ordering), newest event first, and the
# same walked the other way for "Sebelumnya". One cursor name for both: a
# position is a position, whichever way one walks from it.
NEWEST = Ordering("arsip", (Key("waktu_kejadian"), Key("pk", kind=int)))
OLDEST = Ordering(
    "arsip", (Key("waktu_kejadian", descending=False), Key("pk", descending=False, kind=int))
)


@dataclass
class ArchivePage:
    object_list: list
    number: int
    has_previous: bool
    has_next: bool
    count: int
    count_capped: bool
    first_cursor: str = field(default="")
    last_cursor: str = field(default="")

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def num_pages(self):
        """Known only when the count is exact."""
        return None if self.count_capped else max(1, -(-self.count // PER_PAGE))

    @property
    def previous_is_first(self):
        return self.number <= 2


def _position(ordering, cursor):
    if not cursor:
        return None
    try:
        return ordering.after(cursor)
    except GraphQLError:
        return None  # an edited or stale link: serve the page by number


def _number(value, default=1):
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


def bounded_count(reports, searching=False):
    """At most count_limit() + 1. Any that many rows would do; taken in the
    list's order they come from the index the page itself reads, where
    PostgreSQL otherwise picks a sequential scan that stops early (cheap, but
    only as long as matching rows lie near the start of the table). A search
    takes its rows from the full-text index instead: in the list's order it
    would test every row for a rare word."""
    counted = reports.select_related(None).prefetch_related(None)
    counted = counted.order_by() if searching else counted.order_by(*NEWEST.order_by())
    return counted.values("pk")[: count_limit(searching) + 1].count()


def _by_cursor(reports, params, number):
    if (after := _position(NEWEST, params.get("setelah"))) is not None:
        rows = list(reports.filter(after).order_by(*NEWEST.order_by())[: PER_PAGE + 1])
        return rows[:PER_PAGE], True, len(rows) > PER_PAGE, max(number, 2)
    if (before := _position(OLDEST, params.get("sebelum"))) is not None:
        rows = list(reports.filter(before).order_by(*OLDEST.order_by())[: PER_PAGE + 1])
        has_previous = len(rows) > PER_PAGE
        return rows[:PER_PAGE][::-1], has_previous, True, max(number, 2) if has_previous else 1
    return [], False, False, number


def archive_page(reports, params, searching=False):
    """One page of `reports` (ordered as the archive) for the GET `params`."""
    count = bounded_count(reports, searching)
    limit = count_limit(searching)
    capped = count > limit
    number = _number(params.get("halaman"))
    rows, has_previous, has_next, number = _by_cursor(reports, params, number)
    if not rows:
        # No cursor, a stale one, or one past either end: by number.
        last = max_offset_page(searching) if capped else max(1, -(-count // PER_PAGE))
        number = min(number, last)
        start = (number - 1) * PER_PAGE
        rows = list(reports.order_by(*NEWEST.order_by())[start : start + PER_PAGE + 1])
        has_previous, has_next = number > 1, len(rows) > PER_PAGE
        rows = rows[:PER_PAGE]
    return ArchivePage(
        object_list=rows,
        number=number,
        has_previous=has_previous,
        has_next=has_next,
        count=min(count, limit),
        count_capped=capped,
        first_cursor=NEWEST.cursor(rows[0]) if rows else "",
        last_cursor=NEWEST.cursor(rows[-1]) if rows else "",
    )
