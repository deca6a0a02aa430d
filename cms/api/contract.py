"""The API contract files in graphql/: the printed schema and the operation
documents mobile clients send (with `#import "./Fragment.graphql"` lines,
as graphql-tag/loader and Apollo tooling resolve them)."""

import re
from pathlib import Path

from django.conf import settings

CONTRACT_DIR = Path(settings.BASE_DIR) / "graphql"
OPERATIONS_DIR = CONTRACT_DIR / "operations"
IMPORT = re.compile(r'^#import "(?P<path>[^"]+)"\s*$', re.MULTILINE)


def printed_schema():
    """The contract: the core plus first-party plugins (what this repository
    ships), whatever else happens to be installed."""
    from .schema import build_schema

    schema, _owners = build_schema(include=lambda plugin: plugin.name.startswith("plugins."))
    return str(schema).strip() + "\n"


def load_operation(name):
    """The text of an operation document with its imports appended."""
    path = OPERATIONS_DIR / f"{name}.graphql"
    return _resolve(path, set())


def _resolve(path, seen):
    text = path.read_text()
    parts = [IMPORT.sub("", text)]
    for match in IMPORT.finditer(text):
        imported = (path.parent / match["path"]).resolve()
        if imported not in seen:
            seen.add(imported)
            parts.append(_resolve(imported, seen))
    return "\n".join(parts)


def operation_names():
    """Documents that hold an operation (fragment-only files are imported)."""
    return sorted(
        p.stem
        for p in OPERATIONS_DIR.glob("*.graphql")
        if re.search(r"^\s*(query|mutation|subscription)\b", p.read_text(), re.MULTILINE)
    )
