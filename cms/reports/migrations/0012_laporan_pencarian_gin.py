"""Full-text search index for reports (cms/reports/search.py), PostgreSQL only.

A GIN index on the search expression itself rather than a stored tsvector
column: nothing to keep in step on save, and SQLite (which has neither
to_tsvector nor GIN) keeps the same table. Built from the same Django
expression the queries use, so both compile to the same SQL and the planner
matches them. Not in Meta.indexes for the same reason: the SQLite schema has
no such index."""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from cms.reports.search import INDEX_NAME, search_vector


def _index():
    return GinIndex(search_vector(), name=INDEX_NAME)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("reports", "Laporan"), _index())


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("reports", "Laporan"), _index())


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0011_desa_balangan"),
    ]

    operations = [migrations.RunPython(create, drop)]
