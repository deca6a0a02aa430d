from cms.platform.plugins import NotificationChannel, ReportExporter

SENT = []


class RecordingChannel(NotificationChannel):
    identifier = "sample-recording"
    verbose_name = "Perekam (uji)"

    def send(self, delivery):
        SENT.append(delivery)


class TitlesExporter(ReportExporter):
    identifier = "sample-titles"
    verbose_name = "Daftar judul (uji)"
    content_type = "text/plain; charset=utf-8"
    file_extension = "txt"

    def export(self, reports):
        return "\n".join(laporan.judul for laporan in reports).encode()
