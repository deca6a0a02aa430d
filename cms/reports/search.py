"""Searching reports by words: the public archive's `?q=` and the API's
`search` argument.

On PostgreSQL it is full-text search over title, facts and number with the
`indonesian` configuration (Snowball stems Indonesian affixes: "kebakaran"
finds "bakar", "pengungsi" finds "ungsi"), answered from a GIN index on the
very same expression (migration 0012), so a search reads the matching rows
instead of scanning the table with `UPPER(x) LIKE '%q%'`. Every word must
match, the last ones as prefixes, so a word being typed already finds.

The number is indexed with its dashes as spaces: "SKD-2026-000123" becomes
the words "skd", "2026" and "000123", so a search for the number, or for its
last digits, finds the report.

SQLite (the embedded default) has no such index: there the words are
substrings of title, facts or number (`icontains`), as before."""

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import Q, Value
from django.db.models.functions import Replace

CONFIG = "indonesian"
INDEX_NAME = "laporan_pencarian_gin"
_WORD = re.compile(r"\w+")


def search_vector():
    """The indexed expression; the index and the query must compile to the
    same SQL for PostgreSQL to use the index."""
    return SearchVector(
        "judul", "fakta", Replace("nomor", Value("-"), Value(" ")), config=CONFIG
    )


def words(term):
    return _WORD.findall((term or "").lower())


def search_query(term):
    """Every word, each also as a prefix. Words are `\\w+` only, so quoting
    them is safe in the raw tsquery syntax."""
    return SearchQuery(
        " & ".join(f"'{word}':*" for word in words(term)), search_type="raw", config=CONFIG
    )


def search(reports, term):
    term = (term or "").strip()
    if not term:
        return reports
    if connections[reports.db].vendor != "postgresql":
        return reports.filter(
            Q(judul__icontains=term) | Q(fakta__icontains=term) | Q(nomor__icontains=term)
        )
    if not words(term):
        # Punctuation only: no word to look for, nothing matches.
        return reports.none()
    return reports.alias(_pencarian=search_vector()).filter(_pencarian=search_query(term))
