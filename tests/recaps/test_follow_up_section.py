"""The *tindak lanjut* section of a recap: the dispositions of the period's
reports and each agency's state (issued, open, overdue, closed), counted in
the same aggregates in one more query, frozen with the rest on approval and
rendered by the exporters."""

import datetime
import io

import pytest
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from cms.followup import transitions as followup
from cms.followup.models import Disposisi, TindakLanjut
from cms.platform.plugins import set_enabled
from cms.recaps import documents, exports, transitions
from cms.recaps.aggregates import aggregates
from cms.recaps.generation import ensure
from cms.recaps.models import RekapKecamatan
from tests import factories
from tests.followup.conftest import agency, issue, make_member

from .conftest import report_in

pytestmark = pytest.mark.django_db


def test_dispositions_of_the_period_are_counted_frozen_and_exported(
    yesterday, petugas, verifikator, administrator, pimpinan, django_assert_num_queries
):
    polres, bpbd = agency("Polres Balangan"), agency("BPBD Balangan")
    member = make_member(polres, "anggota.polres")
    flood = report_in(yesterday, petugas, verifikator, hour=9, judul="Banjir di Paringin")
    fight = report_in(yesterday, petugas, verifikator, hour=15, judul="Keributan di pasar")
    older = report_in(yesterday.previous(), petugas, verifikator, judul="Laporan kemarin lusa")

    late = issue(flood, pimpinan, polres, bpbd, instruksi="Evakuasi warga bantaran sungai.")
    done = issue(fight, pimpinan, polres, instruksi="Amankan pasar.")
    withdrawn = issue(fight, pimpinan, bpbd, instruksi="Disposisi keliru.")
    followup.withdraw(withdrawn.pk, pimpinan, "Salah instansi.")
    # A disposition of an older report, issued after this period: not this recap's.
    issue(older, pimpinan, polres)
    step = TindakLanjut.objects.get(disposisi=done, instansi=polres)
    followup.record_step(step.pk, member, status="diterima", catatan="Diterima.")
    followup.record_step(step.pk, member, status="selesai", catatan="Pasar kondusif.")
    # The due date of the flood disposition has passed (time moved on).
    Disposisi.objects.filter(pk=late.pk).update(
        batas_waktu=timezone.now() - datetime.timedelta(hours=1)
    )

    recap = ensure(RekapKecamatan, yesterday, kecamatan=factories.kecamatan("paringin"))[0]
    with django_assert_num_queries(6):
        live = aggregates(yesterday, kecamatan_id=recap.kecamatan_id, recap_model=RekapKecamatan)
    section = live["tindak_lanjut"]
    assert section["jumlah"] == {"diterbitkan": 2, "terbuka": 2, "terlambat": 2, "selesai": 1}
    assert [d["laporan"] for d in section["disposisi"]] == [flood.nomor, fight.nomor]
    assert sorted(section["disposisi"][0]["instansi"], key=lambda i: i["nama"]) == [
        {"nama": "BPBD Balangan", "status": "Belum diterima", "terlambat": True},
        {"nama": "Polres Balangan", "status": "Belum diterima", "terlambat": True},
    ]
    assert section["disposisi"][1]["instansi"][0]["status"] == "Selesai"

    transitions.update(recap, verifikator, situasi_umum="Banjir ditangani.")
    transitions.submit(recap, verifikator)
    recap = transitions.decide(recap, administrator, "approve")
    assert recap.isi_beku["tindak_lanjut"] == section

    # Later steps change the live section, not the approved recap.
    flood_polres = TindakLanjut.objects.get(disposisi=late, instansi=polres)
    followup.record_step(flood_polres.pk, member, status="diterima", catatan="Menuju lokasi.")
    assert documents.build(recap)["tindak_lanjut"]["disposisi"][0] != section["disposisi"][0]
    recap.refresh_from_db()
    assert recap.isi_beku["tindak_lanjut"] == section

    set_enabled("export_docx", True)
    set_enabled("export_xlsx", True)
    _exporter, data = exports.render(recap, "docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    cells = "\n".join(cell.text for table in Document(io.BytesIO(data)).tables
                      for row in table.rows for cell in row.cells)
    assert "V. Tindak Lanjut" in text and "Disposisi diterbitkan: 2" in text
    assert flood.nomor in cells and "Evakuasi warga bantaran sungai." in cells
    _exporter, data = exports.render(recap, "xlsx")
    sheet = load_workbook(io.BytesIO(data))["Tindak lanjut"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[1][:4] == [2, 2, 2, 1]
    assert [row[0] for row in rows[4:]] == [flood.nomor, flood.nomor, fight.nomor]
