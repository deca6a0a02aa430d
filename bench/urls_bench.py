"""The project's URLs plus the plain JSON view the GraphQL benchmark compares
against. Used only by `python -m bench.graphql_vs_json`."""

from django.urls import path

from bench.graphql_vs_json import reports_json
from cms.urls import urlpatterns as cms_urlpatterns

# Before cms.urls: its last pattern is Wagtail's catch-all page serving.
urlpatterns = [path("bench/reports.json", reports_json, name="bench-reports-json")]
urlpatterns += cms_urlpatterns
