import time

from django.core.management.base import BaseCommand

from cms.followup.deadlines import sweep, sweep_follow_ups


class Command(BaseCommand):
    help = (
        "Kirim pengingat batas waktu verifikasi: kepada verifikator kecamatan pada separuh "
        "batas waktu, dan eskalasi kepada Administrator saat batas waktu lewat; masing-masing "
        "sekali; lalu tindak lanjut yang melewati batas waktu (kepada instansi, lalu kepada "
        "pemberi disposisi). Jalankan dari cron setiap menit, atau dengan --every."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, default=0, help="Ulangi setiap N detik sampai dihentikan."
        )

    def handle(self, *args, every=0, **options):
        while True:
            count = sweep()
            self.stdout.write(f"{count} pengingat verifikasi dikirim.")
            count = sweep_follow_ups()
            self.stdout.write(f"{count} pengingat tindak lanjut dikirim.")
            if not every:
                return
            time.sleep(every)
