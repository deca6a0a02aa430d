"""Cursor paging for every list a client pages through.

A cursor is the position of the last item seen: the values of the list's
ordering key, which always ends with the primary key. The next page is
"items strictly after that key", so rows added while a client pages never
shift what follows its cursor (no duplicates, no gaps), and a page costs one
index range scan however deep it is (no OFFSET).

Each list states its orderings (`Ordering`), and each ordering has an index
that matches it. The cursor names its ordering: a cursor from another list
or ordering is refused with BAD_USER_INPUT, like any cursor that does not
decode.

`totalCount` is computed only when selected and counts at most
COUNT_LIMIT + 1 rows (SIKANDA_API["COUNT_LIMIT"], default 10,000): above the
limit it answers the limit with `totalCountCapped: true` ("more than
10.000"), so no request pays for an exact count of a large table.
"""

import base64
import binascii
import datetime
import json
from dataclasses import dataclass

import graphene
from django.conf import settings
from django.db.models import Q
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from graphql import GraphQLError

from .inputs import MAX_ID, text_problem

DEFAULT_PAGE_SIZE = 20


def count_limit():
    return settings.SIKANDA_API.get("COUNT_LIMIT", 10_000)


@dataclass(frozen=True)
class Key:
    """One column of an ordering key."""

    field: str
    descending: bool = True
    kind: type = datetime.datetime  # datetime.datetime, datetime.date, int or str

    def encode(self, value):
        return value.isoformat() if self.kind in (datetime.datetime, datetime.date) else value

    def decode(self, value):
        """The key value in a cursor, or ValueError/OverflowError for
        anything the database could choke on."""
        if self.kind is datetime.datetime:
            parsed = parse_datetime(value) if isinstance(value, str) else None
            if parsed is None or parsed.tzinfo is None:
                raise ValueError(value)
            return parsed.astimezone(datetime.UTC)  # OverflowError near year 1 or 9999
        if self.kind is datetime.date:
            parsed = parse_date(value) if isinstance(value, str) else None
            if parsed is None:
                raise ValueError(value)
            return parsed
        if type(value) is not self.kind:
            raise ValueError(value)
        if self.kind is int and not 0 < value <= MAX_ID:
            raise ValueError(value)
        if self.kind is str and text_problem(value):
            raise ValueError(value)
        return value


@dataclass(frozen=True)
class Ordering:
    """A keyset ordering; `name` is written into its cursors."""

    name: str
    keys: tuple

    def order_by(self):
        return [("-" if key.descending else "") + key.field for key in self.keys]

    def cursor(self, item):
        values = [key.encode(_value(item, key.field)) for key in self.keys]
        raw = json.dumps([self.name, *values], separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")

    def after(self, cursor):
        """The filter for "strictly after `cursor`". The leading `<=` on the
        first key is what lets the database start the index scan at the
        cursor instead of filtering every row before it."""
        values = self._decode(cursor)
        first, value = self.keys[0], values[0]
        bound = Q(**{f"{first.field}__{'lte' if first.descending else 'gte'}": value})
        return bound & _beyond(self.keys, values)

    def _decode(self, cursor):
        try:
            if not isinstance(cursor, str) or len(cursor) > 500:
                raise ValueError(cursor)
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            name, *values = json.loads(raw)
            if name != self.name or len(values) != len(self.keys):
                raise ValueError(cursor)
            return [key.decode(value) for key, value in zip(self.keys, values, strict=True)]
        except (ValueError, TypeError, OverflowError, binascii.Error) as exc:
            raise GraphQLError(
                _("Kursor tidak sah untuk daftar dan urutan ini; mulai lagi dari halaman pertama."),
                extensions={"code": "BAD_USER_INPUT", "argument": "after"},
            ) from exc


def _value(item, field):
    return item.pk if field == "pk" else getattr(item, field)


def _beyond(keys, values):
    key, value = keys[0], values[0]
    strictly = Q(**{f"{key.field}__{'lt' if key.descending else 'gt'}": value})
    if len(keys) == 1:
        return strictly
    return strictly | (Q(**{key.field: value}) & _beyond(keys[1:], values[1:]))


class PageInfo(graphene.ObjectType):
    has_next_page = graphene.Boolean(
        required=True, description="Whether a next page exists after this one."
    )
    end_cursor = graphene.String(
        description="Pass as `after` to get the next page; null when this page is empty."
    )

    class Meta:
        description = "Where this page ends."


class Page:
    """One page of a list; the total is counted only if a client asks."""

    def __init__(self, items, ordering, has_next_page, counted):
        self.nodes = items
        self._ordering = ordering
        self._counted = counted
        self.page_info = PageInfo(
            has_next_page=has_next_page,
            end_cursor=ordering.cursor(items[-1]) if items else None,
        )

    @property
    def edges(self):
        return [{"cursor": self._ordering.cursor(item), "node": item} for item in self.nodes]

    @cached_property
    def counted_rows(self):
        rows = self._counted.order_by().select_related(None).prefetch_related(None)
        return rows[: count_limit() + 1].count()


def connection_type(node_type, name, what):
    """`<name>Connection` (with `<name>Edge`) over `node_type`."""
    edge = type(
        f"{name}Edge",
        (graphene.ObjectType,),
        {
            "cursor": graphene.String(required=True, description="The position of this item."),
            "node": graphene.Field(node_type, required=True),
            "Meta": type("Meta", (), {"description": "An item of the list and its cursor."}),
        },
    )

    def resolve_total_count(page, info):
        return min(page.counted_rows, count_limit())

    def resolve_total_count_capped(page, info):
        return page.counted_rows > count_limit()

    return type(
        f"{name}Connection",
        (graphene.ObjectType,),
        {
            "edges": graphene.List(graphene.NonNull(edge), required=True),
            "nodes": graphene.List(
                graphene.NonNull(node_type), required=True, description="The items of `edges`."
            ),
            "page_info": graphene.Field(PageInfo, required=True),
            "total_count": graphene.Int(
                required=True,
                description=(
                    "How many items the whole list has (not only this page), counted only "
                    "when selected, exact up to SIKANDA_API.COUNT_LIMIT (10,000); above that "
                    "it is that limit and `totalCountCapped` is true."
                ),
            ),
            "total_count_capped": graphene.Boolean(
                required=True,
                description="True when the list has more items than SIKANDA_API.COUNT_LIMIT.",
            ),
            "resolve_total_count": staticmethod(resolve_total_count),
            "resolve_total_count_capped": staticmethod(resolve_total_count_capped),
            "Meta": type(
                "Meta", (), {"description": f"A page of {what} and where it ends."}
            ),
        },
    )


def page_args():
    limit = settings.SIKANDA_API["MAX_PAGE_SIZE"]
    return {
        "first": graphene.Int(
            default_value=DEFAULT_PAGE_SIZE,
            description=f"How many items, 0 to {limit} (SIKANDA_API.MAX_PAGE_SIZE); null: "
            f"{DEFAULT_PAGE_SIZE}.",
        ),
        "after": graphene.String(
            description="`pageInfo.endCursor` of the previous page; null or absent: the first page."
        ),
    }


def paginate(queryset, ordering, first, after):
    """The page of `queryset` (already filtered for the viewer) after the
    cursor `after`, in `ordering`. One query, plus one for totalCount."""
    limit = settings.SIKANDA_API["MAX_PAGE_SIZE"]
    first = DEFAULT_PAGE_SIZE if first is None else first
    if not 0 <= first <= limit:
        raise GraphQLError(
            _("first harus antara 0 dan %(limit)d.") % {"limit": limit},
            extensions={"code": "PAGE_SIZE_LIMIT", "argument": "first"},
        )
    page = queryset if after is None else queryset.filter(ordering.after(after))
    rows = list(page.order_by(*ordering.order_by())[: first + 1])
    return Page(rows[:first], ordering, len(rows) > first, counted=queryset)
