"""The PDF exporter read back with pypdf; the download view's permission
check; the first page rendered to PNG (docs/screenshots/rekap-pdf.png)."""

import io
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from cms.accounts import roles
from cms.platform.plugins import set_enabled
from cms.recaps import exports
from cms.reports.models import Aspek
from tests import factories
from tests.recaps.builders import signed_regency_recap

pytestmark = pytest.mark.django_db
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "rekap-pdf.png"


@pytest.fixture
def recap_and_reports():
    set_enabled("export_pdf", True)
    return signed_regency_recap()


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pdf_contains_number_period_aspects_reports_and_signer(recap_and_reports):
    recap, reports = recap_and_reports
    exporter, data = exports.render(recap, "pdf")
    assert data.startswith(b"%PDF")
    text = " ".join(pdf_text(data).split())
    assert recap.nomor in text
    assert recap.period.label in text
    for aspek in Aspek.objects.all():
        assert aspek.nama in text, aspek.nama
    for laporan in reports:
        assert laporan.nomor in text
    assert "Drs. H. Ahmad Fauzi, M.Si" in text
    assert "NIP. 19700101 199003 1 005" in text
    assert "Plt. Kepala Badan Kesbangpol" in text
    assert "PEMERINTAH KABUPATEN BALANGAN" in text
    assert "Paringin, " in text


def test_download_is_permission_checked(client, recap_and_reports):
    recap, _reports = recap_and_reports
    url = f"/rekap/kabupaten/{recap.pk}/unduh/pdf/"
    pimpinan = factories.make_user(roles.PIMPINAN)
    client.force_login(pimpinan)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    for role, kecamatan in ((roles.VERIFIKATOR, ["paringin"]), (roles.PETUGAS, ["paringin"]),
                            (roles.PENGGUNA, [])):
        user = factories.make_user(role, kecamatan=[factories.kecamatan(k) for k in kecamatan])
        client.force_login(user)
        assert client.get(url).status_code == 404, role
    client.logout()
    assert client.get(url).status_code == 404
    assert exports.exporter_for("pdf") is not None


def test_kecamatan_recap_download_refused_to_other_kecamatan(client, recap_and_reports):
    from cms.recaps.models import RekapKecamatan

    recap = RekapKecamatan.objects.get()
    url = f"/rekap/kecamatan/{recap.pk}/unduh/pdf/"
    other = factories.make_user(roles.VERIFIKATOR, kecamatan=[factories.kecamatan("halong")])
    own = factories.make_user(roles.VERIFIKATOR, kecamatan=[factories.kecamatan("paringin")])
    client.force_login(other)
    assert client.get(url).status_code == 404
    client.force_login(own)
    assert client.get(url).status_code == 200


def test_disabled_exporter_means_no_download(client, recap_and_reports):
    recap, _reports = recap_and_reports
    set_enabled("export_pdf", False)
    client.force_login(factories.make_user(roles.PIMPINAN))
    assert client.get(f"/rekap/kabupaten/{recap.pk}/unduh/pdf/").status_code == 404


def test_first_page_renders(recap_and_reports):
    import pypdfium2

    recap, _reports = recap_and_reports
    _exporter, data = exports.render(recap, "pdf")
    pdf = pypdfium2.PdfDocument(data)
    page = pdf[0]
    width, height = page.get_size()
    assert round(width / 72 * 25.4) == 210 and round(height / 72 * 25.4) == 297  # A4
    image = page.render(scale=1.5).to_pil().convert("L")
    assert image.getextrema()[0] < 64  # there is ink on the page
    if os.environ.get("SIKANDA_SCREENSHOTS"):
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        image.save(SCREENSHOT, optimize=True)
