"""The DOCX exporter read back with python-docx."""

import io

import pytest
from docx import Document

from cms.platform.plugins import set_enabled
from cms.recaps import exports
from cms.reports.models import Aspek
from tests.recaps.builders import signed_regency_recap

pytestmark = pytest.mark.django_db


def test_docx_holds_the_recap():
    set_enabled("export_docx", True)
    recap, reports = signed_regency_recap()
    exporter, data = exports.render(recap, "docx")
    assert exporter.content_type.endswith("wordprocessingml.document")
    document = Document(io.BytesIO(data))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(cell.text for table in document.tables for row in table.rows
                      for cell in row.cells)
    assert f"Nomor: {recap.nomor}" in paragraphs
    assert recap.period.label in paragraphs
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for number, aspek in enumerate(Aspek.objects.order_by("urutan", "nama"), start=1):
        assert f"{number}. {aspek.nama}" in headings
    for laporan in reports:
        assert laporan.nomor in cells
    assert "Drs. H. Ahmad Fauzi, M.Si" in paragraphs
    assert "NIP. 19700101 199003 1 005" in paragraphs
    assert "Situasi Kabupaten Balangan secara umum aman dan terkendali." in paragraphs
    assert document.sections[0].page_width.cm == pytest.approx(21.0, abs=0.01)
