"""Recap files through the plugin API's `ReportExporter` extension point.

The core never imports an exporter: it asks `report_exporters()` for the
enabled ones. An exporter that can render a recap implements, besides
`export(reports)`, `export_recap(document, logo=None)` returning the file's
bytes, where `document` is the recap document (cms/recaps/documents.py:
plain JSON data — the frozen content of an approved recap) and `logo` the
filesystem path of the letterhead logo or None."""

from cms.platform.plugins import report_exporters

from . import documents


def recap_exporters():
    return {
        exporter.file_extension: exporter
        for exporter in report_exporters()
        if callable(getattr(exporter, "export_recap", None))
    }


def exporter_for(fmt):
    return recap_exporters().get(fmt)


def render(recap, fmt):
    exporter = exporter_for(fmt)
    if exporter is None:
        return None, None
    data = exporter.export_recap(documents.document(recap), logo=documents.logo_path())
    return exporter, data


def filename(recap, fmt):
    base = f"rekap-{recap.periode}-{recap.periode_mulai:%Y%m%d}"
    if hasattr(recap, "kecamatan"):
        base += f"-{recap.kecamatan.slug}"
    else:
        base += "-kabupaten"
    return f"{base}.{fmt}"
