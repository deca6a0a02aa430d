import time

from django.core.management.base import BaseCommand

from cms.platform.outbox import sweep


class Command(BaseCommand):
    help = (
        "Antrekan ulang setiap pengiriman outbox (notifikasi, webhook) yang jatuh tempo: coba "
        "ulang yang waktunya tiba, dan yang pekerjanya mati di tengah pengiriman. Jalankan dari "
        "cron, atau dengan --every."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, default=0, help="Ulangi setiap N detik sampai dihentikan."
        )

    def handle(self, *args, every=0, **options):
        while True:
            count = sweep()
            self.stdout.write(f"{count} pengiriman diantrekan.")
            if not every:
                return
            time.sleep(every)
