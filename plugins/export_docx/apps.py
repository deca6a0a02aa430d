from django.utils.translation import gettext_lazy as _

from cms.platform.plugins import PluginConfig


class ExportDocxConfig(PluginConfig):
    name = "plugins.export_docx"
    label = "export_docx"
    verbose_name = _("Ekspor DOCX")
    default_auto_field = "django.db.models.BigAutoField"

    class SikandaPluginMeta:
        name = "Ekspor DOCX"
        version = "1.0.0"
        author = "Tim SIKANDA"
        description = (
            "Rekap sebagai dokumen Word yang dapat disunting staf (python-docx)."
        )
        compatibility = ">=0.1,<1"

    report_exporters = ["plugins.export_docx.exporters.DocxExporter"]
