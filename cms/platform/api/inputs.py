"""What every argument a client sends goes through before a resolver sees it.

Two contract rules live here, in one place, so no resolver can forget them:

- **null means the default.** Generated clients (Apollo, graphql-codegen,
  Flutter) send `null` for an optional argument they were not given. For an
  argument that declares a default in the schema, `null` is read as that
  default. Arguments without a default keep `null` and each resolver says
  what it means.
- **Text a database cannot hold is refused**: NUL characters, unpaired
  UTF-16 surrogates and strings longer than TEXT_LIMIT, anywhere in the
  arguments (input objects and lists included), with `extensions.code`
  INVALID before any work is done. Fields with a smaller limit check it
  where they are converted (e.g. a report title, 200 characters).
"""

import re

from django.utils import timezone
from django.utils.translation import gettext as _
from graphql import GraphQLError, Undefined

# The longest text any argument may carry (the body of a report is the
# largest thing a client writes).
TEXT_LIMIT = 20_000

# Database ids are positive 64-bit integers (BigAutoField, PostgreSQL bigint).
SEARCH_LIMIT = 200

_ID = re.compile(r"[1-9][0-9]{0,18}")
MAX_ID = 2**63 - 1
_SURROGATE = re.compile("[\ud800-\udfff]")


def search_term(search):
    """A list's search words, refused with BAD_USER_INPUT beyond SEARCH_LIMIT
    (a substring search over long text costs more the longer the words)."""
    if search is not None and len(search) > SEARCH_LIMIT:
        raise GraphQLError(
            _("Kata kunci pencarian terlalu panjang (batas %(limit)d karakter).")
            % {"limit": SEARCH_LIMIT},
            extensions={"code": "BAD_USER_INPUT", "argument": "search"},
        )
    return (search or "").strip()


def parse_id(value):
    """The integer primary key in an `ID` argument, or None when the text
    cannot be one (so the caller answers "not found", never a database error).
    Only ASCII digits count: `str.isdigit()` accepts "²"."""
    text = str(value) if value is not None else ""
    if not _ID.fullmatch(text):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


def as_wita(value):
    """A client's date-time with no UTC offset is read as WITA (the
    project's TIME_ZONE, Asia/Makassar): phone date libraries often send
    local times without an offset."""
    if value is None or timezone.is_aware(value):
        return value
    return timezone.make_aware(value, timezone.get_default_timezone())


def text_problem(value):
    """Why a string may not be stored, or None."""
    if "\x00" in value:
        return _("Teks tidak boleh berisi karakter NUL (\\u0000).")
    if _SURROGATE.search(value):
        return _("Teks berisi karakter Unicode yang tidak utuh (surrogate tanpa pasangan).")
    if len(value) > TEXT_LIMIT:
        return _("Teks terlalu panjang: %(length)d karakter (batas %(limit)d).") % {
            "length": len(value),
            "limit": TEXT_LIMIT,
        }
    return None


def _first_problem(value, path):
    if isinstance(value, str):
        problem = text_problem(value)
        return (path, problem) if problem else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, (list, tuple)):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = _first_problem(item, f"{path}.{_camel(key)}")
        if found:
            return found
    return None


def _camel(key):
    if not isinstance(key, str):
        return str(key)
    head, *rest = key.split("_")
    return head + "".join(part.title() for part in rest)


def _defaults(info):
    """{python argument name: default} of the resolved field's arguments that
    declare a non-null default."""
    # Introspection's own fields (__type) are not among the type's fields.
    field = info.parent_type.fields.get(info.field_name)
    if field is None:
        return {}
    return {
        argument.out_name or name: argument.default_value
        for name, argument in field.args.items()
        if argument.default_value is not Undefined and argument.default_value is not None
    }


class ArgumentMiddleware:
    """graphene middleware applying the rules of the module docstring."""

    def resolve(self, next, root, info, **args):
        if args:
            for name, default in _defaults(info).items():
                if args.get(name, default) is None:
                    args[name] = default
            found = _first_problem(args, info.field_name)
            if found:
                path, message = found
                raise GraphQLError(message, extensions={"code": "INVALID", "argument": path})
        return next(root, info, **args)
