from django.utils.translation import gettext_lazy as _

from cms.platform.plugins import PluginConfig


class ExportPdfConfig(PluginConfig):
    name = "plugins.export_pdf"
    label = "export_pdf"
    verbose_name = _("Ekspor PDF")
    default_auto_field = "django.db.models.BigAutoField"

    class SikandaPluginMeta:
        name = "Ekspor PDF"
        version = "1.0.0"
        author = "Tim SIKANDA"
        description = (
            "Rekap sebagai surat resmi A4 (kop surat, nomor, periode, bagian per aspek, "
            "daftar laporan, blok tanda tangan) dengan WeasyPrint; fon DejaVu."
        )
        compatibility = ">=0.1,<1"

    report_exporters = ["plugins.export_pdf.exporters.PdfExporter"]
