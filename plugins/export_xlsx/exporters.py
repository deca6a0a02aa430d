"""Recaps and report lists as XLSX (openpyxl). Workbooks are write-only:
rows stream to disk as they are produced, so a list of 100,000 reports never
sits in memory as cells."""

import tempfile

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from cms.platform.plugins import ReportExporter

BOLD = Font(bold=True)
REPORT_COLUMNS = ["Nomor", "Waktu", "Tempat", "Kecamatan", "Aspek", "Jenis ATHG", "Urgensi",
                  "Judul", "Ringkasan", "Penilaian", "Diverifikasi", "Keterangan"]


def _header(sheet, names):
    cells = []
    for name in names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = BOLD
        cells.append(cell)
    sheet.append(cells)


def _bytes(workbook):
    # A temporary file rather than memory: openpyxl streams the write-only
    # sheets through it, and the file is read back once at the end.
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        handle.seek(0)
        return handle.read()


class XlsxExporter(ReportExporter):
    identifier = "xlsx"
    verbose_name = "XLSX"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    file_extension = "xlsx"

    def export_recap(self, document, logo=None):
        doc = document
        workbook = Workbook(write_only=True)
        reports = workbook.create_sheet("Daftar laporan")
        reports.append([f"{doc['judul']} — {doc['wilayah']}"])
        reports.append([f"Nomor: {doc['nomor'] or 'draf'}", f"Periode: {doc['periode']['label']}"])
        _header(reports, REPORT_COLUMNS)
        for kind, rows in (("", doc["laporan"]), ("Susulan", doc.get("susulan", []))):
            for r in rows:
                reports.append([r["nomor"], r["waktu"], r["tempat"], r["kecamatan"], r["aspek"],
                                r["jenis_athg"], r["urgensi"], r["judul"], r["ringkasan"],
                                r["penilaian"], r["diverifikasi"], kind])

        stats = workbook.create_sheet("Statistik")
        stats.append([f"Statistik {doc['periode']['label']} — {doc['wilayah']}"])
        for title, items in (("Aspek", doc["aspek"]), ("Jenis ATHG", doc["jenis_athg"]),
                             ("Urgensi", doc["urgensi"])):
            stats.append([])
            _header(stats, [title, "Jumlah", "Periode sebelumnya", "Perubahan"])
            for item in items:
                stats.append([item["nama"], item["jumlah"], item["sebelumnya"],
                              item["perubahan"]])
        stats.append([])
        total = doc["jumlah"]
        stats.append(["Jumlah", total["jumlah"], total["sebelumnya"], total["perubahan"]])

        if doc.get("tindak_lanjut"):
            follow_up = workbook.create_sheet("Tindak lanjut")
            counts = doc["tindak_lanjut"]["jumlah"]
            _header(follow_up, ["Disposisi diterbitkan", "Terbuka", "Melewati batas waktu",
                                "Selesai"])
            follow_up.append([counts["diterbitkan"], counts["terbuka"], counts["terlambat"],
                              counts["selesai"]])
            follow_up.append([])
            _header(follow_up, ["Laporan", "Judul", "Instruksi", "Prioritas", "Diterbitkan",
                                "Batas waktu", "Instansi", "Status", "Terlambat"])
            for d in doc["tindak_lanjut"]["disposisi"]:
                for i in d["instansi"]:
                    follow_up.append([d["laporan"], d["judul"], d["instruksi"], d["prioritas"],
                                      d["diterbitkan"], d["batas_waktu"], i["nama"], i["status"],
                                      "ya" if i["terlambat"] else ""])
        return _bytes(workbook)

    def export(self, reports):
        """Every report of `reports` (a queryset the caller took from the
        permission policy), one row each, streamed in chunks."""
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Daftar laporan")
        _header(sheet, ["Nomor", "Waktu kejadian (WITA)", "Kecamatan", "Aspek", "Jenis ATHG",
                        "Urgensi", "Judul", "Status"])
        rows = reports.select_related("kecamatan", "aspek", "jenis_athg").values_list(
            "nomor", "waktu_kejadian", "kecamatan__nama", "aspek__nama", "jenis_athg__nama",
            "urgensi", "judul", "status",
        ) if hasattr(reports, "values_list") else (
            (r.nomor, r.waktu_kejadian, r.kecamatan.nama, r.aspek.nama, r.jenis_athg.nama,
             r.urgensi, r.judul, r.status) for r in reports
        )
        iterator = rows.iterator(chunk_size=2000) if hasattr(rows, "iterator") else rows
        for nomor, waktu, *rest in iterator:
            local = timezone.localtime(waktu).replace(tzinfo=None) if waktu else None
            sheet.append([nomor, local, *rest])
        return _bytes(workbook)


