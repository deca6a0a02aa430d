import time

from django.core.management.base import BaseCommand
from wagtail import hooks

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
            # Other apps' repairs ride on the same round without the platform
            # importing them, e.g. cms/ops failing the task rows that dead
            # workers left RUNNING. Each returns a line to print, or nothing.
            for repair in hooks.get_hooks("sweep_round"):
                if note := repair():
                    self.stdout.write(note)
            if not every:
                return
            time.sleep(every)
