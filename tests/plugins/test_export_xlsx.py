"""The XLSX exporter read back with openpyxl; report lists stream."""

import io
import itertools
import tracemalloc

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from cms.platform.plugins import set_enabled
from cms.recaps import exports
from cms.reports.models import Aspek, JenisATHG, Kecamatan, Laporan
from tests.recaps.builders import signed_regency_recap

pytestmark = pytest.mark.django_db


def test_xlsx_has_report_list_statistics_and_follow_up_sheets():
    set_enabled("export_xlsx", True)
    recap, reports = signed_regency_recap()
    _exporter, data = exports.render(recap, "xlsx")
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    assert workbook.sheetnames == ["Daftar laporan", "Statistik", "Tindak lanjut"]
    rows = list(workbook["Daftar laporan"].iter_rows(values_only=True))
    assert rows[1][0] == f"Nomor: {recap.nomor}"
    assert rows[2][0] == "Nomor"
    assert sorted(row[0] for row in rows[3:]) == sorted(r.nomor for r in reports)
    stats = list(workbook["Statistik"].iter_rows(values_only=True))
    by_name = {row[0]: row for row in stats if row and row[0]}
    for aspek in Aspek.objects.all():
        assert by_name[aspek.nama][1] == 1
    assert by_name["Darurat"][1:] == (1, 0, 1)
    assert by_name["Jumlah"][1] == len(reports)


def test_report_list_from_a_queryset():
    set_enabled("export_xlsx", True)
    _recap, reports = signed_regency_recap()
    exporter = exports.exporter_for("xlsx")
    data = exporter.export(Laporan.objects.filter(live=True))
    rows = list(load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(
        values_only=True))
    assert rows[0][0] == "Nomor" and len(rows) == len(reports) + 1
    assert {row[0] for row in rows[1:]} == {r.nomor for r in reports}


def _reports(count):
    kecamatan, aspek, jenis = (Kecamatan.objects.first(), Aspek.objects.first(),
                               JenisATHG.objects.first())
    now = timezone.now()
    for n in range(count):
        yield Laporan(nomor=f"SKD-2026-{n:06d}", judul=f"Laporan {n}", kecamatan=kecamatan,
                      aspek=aspek, jenis_athg=jenis, urgensi="sedang", waktu_kejadian=now,
                      status="terverifikasi")


def _peak(count):
    from plugins.export_xlsx.exporters import XlsxExporter

    reports = _reports(count)
    first = next(reports)
    tracemalloc.start()
    XlsxExporter().export(itertools.chain([first], reports))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def test_memory_does_not_grow_with_the_number_of_rows():
    """Rows come from a generator and go straight to disk: peak memory for
    five times the rows stays about the same."""
    small, large = _peak(2_000), _peak(10_000)
    print(f"XLSX export peak memory: 2k rows {small / 1e6:.1f} MB, 10k rows {large / 1e6:.1f} MB")
    assert large < small * 1.5 + 1e6
