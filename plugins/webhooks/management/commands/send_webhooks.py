from django.core.management.base import BaseCommand

from cms.platform.outbox import send_due
from cms.platform.plugins import is_enabled
from plugins.webhooks.models import Delivery


class Command(BaseCommand):
    help = (
        "Kirim sekarang, di proses ini, semua pengiriman webhook yang jatuh tempo (untuk cron "
        "tanpa pekerja). Aman dijalankan bersama pekerja: setiap pengiriman diklaim dulu."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=500, help="Paling banyak sekian pengiriman per jalan."
        )

    def handle(self, *args, limit, **options):
        if not is_enabled("webhooks"):
            self.stdout.write("Plugin webhook nonaktif: tidak ada yang dikirim.")
            return
        statuses = send_due(Delivery, limit)
        sent = statuses.count(Delivery.Status.SENT)
        failed = len(statuses) - sent
        self.stdout.write(f"Webhook: {sent} terkirim, {failed} gagal (dicoba lagi nanti/berhenti).")
