from django.utils.translation import gettext_lazy as _

from cms.platform.plugins import PluginConfig


class ExportXlsxConfig(PluginConfig):
    name = "plugins.export_xlsx"
    label = "export_xlsx"
    verbose_name = _("Ekspor XLSX")
    default_auto_field = "django.db.models.BigAutoField"

    class SikandaPluginMeta:
        name = "Ekspor XLSX"
        version = "1.0.0"
        author = "Tim SIKANDA"
        description = (
            "Daftar laporan dan statistik rekap, satu lembar masing-masing (openpyxl, "
            "mode tulis-saja: 100.000 baris dialirkan tanpa dimuat sekaligus)."
        )
        compatibility = ">=0.1,<1"

    report_exporters = ["plugins.export_xlsx.exporters.XlsxExporter"]
