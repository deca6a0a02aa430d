import time

from django.core.management.base import BaseCommand

from cms.notifications.tasks import sweep


class Command(BaseCommand):
    help = (
        "Antrekan ulang pengiriman notifikasi yang jatuh tempo (coba ulang, atau pekerja yang "
        "mati di tengah pengiriman). Jalankan dari cron, atau dengan --every."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, default=0, help="Repeat every N seconds until stopped."
        )

    def handle(self, *args, every=0, **options):
        while True:
            count = sweep()
            self.stdout.write(f"{count} pengiriman diantrekan.")
            if not every:
                return
            time.sleep(every)
