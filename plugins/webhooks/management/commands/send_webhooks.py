from django.core.management.base import BaseCommand

from cms.platform.plugins import is_enabled
from plugins.webhooks.delivery import due_deliveries, send_delivery


class Command(BaseCommand):
    help = "Kirim semua pengiriman webhook yang tertunda dan sudah jatuh tempo (untuk cron/worker)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=500, help="Paling banyak sekian pengiriman per jalan."
        )

    def handle(self, *args, limit, **options):
        if not is_enabled("webhooks"):
            self.stdout.write("Plugin webhook nonaktif: tidak ada yang dikirim.")
            return
        sent = failed = 0
        for delivery in due_deliveries()[:limit]:
            if send_delivery(delivery):
                sent += 1
            else:
                failed += 1
        self.stdout.write(f"Webhook: {sent} terkirim, {failed} gagal (dicoba lagi nanti/berhenti).")
