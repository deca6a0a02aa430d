"""Recaps (and report lists) as PDF in the official letter layout, rendered
by WeasyPrint from a Django template. Fonts: DejaVu (Debian package
fonts-dejavu-core), found through fontconfig."""

import logging
from pathlib import Path

from django.template.loader import render_to_string

from cms.platform.plugins import ReportExporter

NUMERALS = ("V", "VI", "VII", "VIII", "IX")


def sections(document):
    """The numerals of the sections after IV, which depend on what the
    document holds (follow-up, the kecamatan tier)."""
    names = [name for name in ("tindak_lanjut", "rekap_kecamatan") if document.get(name)]
    return dict(zip([*names, "penilaian", "rekomendasi"], NUMERALS, strict=False))


def _pdf(html):
    # Its progress lines ("Step 5 - Creating layout"), some written while it
    # is imported, are not worth a log line each.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    # Imported here: WeasyPrint loads Pango through cffi, which only the
    # processes that export need to pay for.
    from weasyprint import HTML

    return HTML(string=html, base_url=str(Path(__file__).parent)).write_pdf()


class PdfExporter(ReportExporter):
    identifier = "pdf"
    verbose_name = "PDF"
    content_type = "application/pdf"
    file_extension = "pdf"

    def export_recap(self, document, logo=None):
        logo_uri = Path(logo).as_uri() if logo else None
        html = render_to_string("export_pdf/rekap.html", {"doc": document, "logo": logo_uri,
                                                          "bab": sections(document)})
        return _pdf(html)

    def export(self, reports):
        html = render_to_string("export_pdf/laporan.html", {"reports": reports})
        return _pdf(html)
