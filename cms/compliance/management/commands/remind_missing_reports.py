import time

from django.core.management.base import BaseCommand

from cms.compliance.reminders import sweep


class Command(BaseCommand):
    help = (
        "Ingatkan kecamatan yang hari ini (WITA) belum mengirim laporan maupun laporan nihil: "
        "petugasnya pada SIKANDA_COMPLIANCE['remind_officers_at'], lalu verifikatornya pada "
        "['remind_verifiers_at']; masing-masing sekali per kecamatan dan hari. Jalankan dari "
        "cron atau timer systemd setiap 15 menit, atau dengan --every."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, default=0, help="Ulangi setiap N detik sampai dihentikan."
        )

    def handle(self, *args, every=0, **options):
        while True:
            count = sweep(progress=self.progress)
            self.stdout.write(f"{count} pengingat kepatuhan dikirim.")
            if not every:
                return
            time.sleep(every)

    def progress(self, kecamatan, tanggal, stage, recipients):
        self.stdout.write(
            f"  Kec. {kecamatan} · {tanggal.isoformat()} · {stage}: {recipients} penerima"
        )
