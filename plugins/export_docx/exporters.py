"""Recaps (and report lists) as DOCX that staff can still edit (python-docx)."""

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from cms.platform.plugins import ReportExporter


def _signed(value):
    return f"+{value}" if value > 0 else str(value)


def _table(document, header, rows):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = str(text)
    return table


def _new_document():
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    style = document.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(10)
    return document


def _centered(document, text, bold=False, size=None):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    return paragraph


def _bytes(document):
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class DocxExporter(ReportExporter):
    identifier = "docx"
    verbose_name = "DOCX"
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    file_extension = "docx"

    def export_recap(self, document, logo=None):
        doc = document
        out = _new_document()
        if logo:
            picture = out.add_paragraph()
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            picture.add_run().add_picture(logo, width=Cm(2))
        for index, line in enumerate(doc["kop"]):
            _centered(out, line, bold=index < 2, size=13 if index < 2 else 8)
        _centered(out, "_" * 70)
        _centered(out, doc["judul"], bold=True, size=12)
        _centered(out, f"Nomor: {doc['nomor'] or '(belum bernomor — draf)'}")
        total = doc["jumlah"]
        out.add_paragraph(f"Wilayah: {doc['wilayah']}")
        out.add_paragraph(f"Periode: {doc['periode']['label']}")
        out.add_paragraph(
            f"Jumlah laporan terverifikasi: {total['jumlah']} (periode sebelumnya "
            f"{total['sebelumnya']}, perubahan {_signed(total['perubahan'])})"
        )

        out.add_heading("I. Situasi Umum", level=2)
        out.add_paragraph(doc["narasi"]["situasi_umum"] or "—")

        out.add_heading("II. Perkembangan per Aspek", level=2)
        for number, aspek in enumerate(doc["aspek"], start=1):
            out.add_heading(f"{number}. {aspek['nama']}", level=3)
            per_type = "; ".join(f"{j['nama']}: {j['jumlah']}" for j in aspek["per_jenis"])
            out.add_paragraph(
                f"Jumlah: {aspek['jumlah']} (sebelumnya {aspek['sebelumnya']}, perubahan "
                f"{_signed(aspek['perubahan'])}). {per_type}."
            )
            if aspek["laporan"]:
                _table(out, ["Nomor", "Jenis ATHG", "Uraian", "Urgensi"], [
                    (r["nomor"], r["jenis_athg"],
                     f"{r['judul']} — {r['ringkasan']} ({r['tempat']}, {r['waktu']})",
                     r["urgensi"])
                    for r in aspek["laporan"]
                ])
            else:
                out.add_paragraph("Nihil.")

        out.add_heading("III. Jumlah Laporan dan Perubahan dari Periode Sebelumnya", level=2)
        for title, items in (("Jenis ATHG", doc["jenis_athg"]), ("Urgensi", doc["urgensi"])):
            _table(out, [title, doc["periode"]["label"], "Sebelumnya", "Perubahan"], [
                (i["nama"], i["jumlah"], i["sebelumnya"], _signed(i["perubahan"])) for i in items
            ])
            out.add_paragraph()

        out.add_heading("IV. Daftar Laporan Terverifikasi", level=2)
        columns = ["Nomor", "Waktu", "Tempat", "Ringkasan", "Urgensi", "Nilai"]
        if doc["laporan"]:
            _table(out, columns, [
                (r["nomor"], r["waktu"], r["tempat"], f"{r['judul']} — {r['ringkasan']}",
                 r["urgensi"], r["penilaian"] or "—")
                for r in doc["laporan"]
            ])
        else:
            out.add_paragraph("Tidak ada laporan terverifikasi pada periode ini.")
        if doc.get("susulan"):
            out.add_heading("Laporan susulan", level=3)
            _table(out, columns, [
                (r["nomor"], r["waktu"], r["tempat"], f"{r['judul']} — {r['ringkasan']}",
                 r["urgensi"], r["penilaian"] or "—")
                for r in doc["susulan"]
            ])

        numeral = iter(["V", "VI", "VII", "VIII"])
        if doc.get("tindak_lanjut"):
            follow_up = doc["tindak_lanjut"]
            counts = follow_up["jumlah"]
            out.add_heading(f"{next(numeral)}. Tindak Lanjut", level=2)
            out.add_paragraph(
                f"Disposisi diterbitkan: {counts['diterbitkan']}; tindak lanjut instansi masih "
                f"terbuka: {counts['terbuka']} (melewati batas waktu: {counts['terlambat']}); "
                f"selesai: {counts['selesai']}."
            )
            if follow_up["disposisi"]:
                _table(out, ["Laporan", "Instruksi", "Diterbitkan", "Batas waktu", "Instansi"], [
                    (d["laporan"], f"{d['judul']} — {d['instruksi']} ({d['prioritas']})",
                     d["diterbitkan"], d["batas_waktu"],
                     "; ".join(f"{i['nama']}: {i['status']}"
                               + (" (terlambat)" if i["terlambat"] else "")
                               for i in d["instansi"]))
                    for d in follow_up["disposisi"]
                ])
            else:
                out.add_paragraph("Tidak ada disposisi pada periode ini.")
        if doc.get("rekap_kecamatan"):
            out.add_heading(f"{next(numeral)}. Rekap Kecamatan", level=2)
            _table(out, ["Kecamatan", "Status", "Nomor", "Situasi umum"], [
                (k["kecamatan"], k["status"], k["nomor"] or "—", k["situasi_umum"] or "—")
                for k in doc["rekap_kecamatan"]
            ])
        out.add_heading(f"{next(numeral)}. Penilaian", level=2)
        out.add_paragraph(doc["narasi"]["penilaian"] or "—")
        out.add_heading(f"{next(numeral)}. Rekomendasi", level=2)
        out.add_paragraph(doc["narasi"]["rekomendasi"] or "—")

        signer = doc["penandatangan"]
        for text, bold in ((doc["tanggal"], False), (signer["jabatan"], False),
                           ("Kabupaten Balangan,", False), ("", False), ("", False),
                           (signer["nama"] or "(nama penandatangan)", True),
                           (f"NIP. {signer['nip'] or '—'}", False)):
            paragraph = out.add_paragraph()
            paragraph.paragraph_format.left_indent = Cm(9)
            paragraph.paragraph_format.space_after = Pt(0)
            run = paragraph.add_run(text)
            run.bold = bold
            run.underline = bold
        return _bytes(out)

    def export(self, reports):
        out = _new_document()
        out.add_heading("Daftar laporan ATHG", level=1)
        _table(out, ["Nomor", "Waktu kejadian", "Kecamatan", "Aspek", "Jenis ATHG", "Urgensi",
                     "Judul"], [
            (r.nomor or "—", f"{r.waktu_kejadian:%d-%m-%Y %H:%M}", r.kecamatan, r.aspek,
             r.jenis_athg, r.get_urgensi_display(), r.judul)
            for r in reports
        ])
        return _bytes(out)
