"""The app sends only the contract's operation documents (graphql/operations/).

They are read from the files, with `#import "./X.graphql"` fragment lines
resolved as graphql-tag tooling does, so the app never carries a query of its
own."""

import re
from functools import cache

from django.conf import settings

IMPORT = re.compile(r'^#import "\./([A-Za-z0-9_]+)\.graphql"\s*$', re.MULTILINE)
DEFINITION = re.compile(r"^(?:query|mutation|subscription)\s+([A-Za-z0-9_]+)", re.MULTILINE)


def operations_dir():
    return settings.BASE_DIR / "graphql" / "operations"


def _with_imports(name, seen):
    text = (operations_dir() / f"{name}.graphql").read_text(encoding="utf-8")
    parts = [IMPORT.sub("", text).strip()]
    for imported in IMPORT.findall(text):
        if imported not in seen:
            seen.add(imported)
            parts.append(_with_imports(imported, seen))
    return "\n".join(parts)


@cache
def documents():
    """{operation name: full document text} for every operation file."""
    docs = {}
    for path in sorted(operations_dir().glob("*.graphql")):
        text = path.read_text(encoding="utf-8")
        match = DEFINITION.search(text)
        if match:
            docs[match.group(1)] = _with_imports(path.stem, {path.stem}) + "\n"
    return docs
