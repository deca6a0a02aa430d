from django.core.management.base import BaseCommand

from cms.ops import backup


class Command(BaseCommand):
    help = (
        "Pulihkan arsip backup_sikanda ke basis data yang kosong dan penyimpanan berkas yang "
        "kosong, lalu periksa jumlah baris dan berkasnya."
    )
    # The target database is empty: no system check may query it first.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("archive", help="An archive written by backup_sikanda")

    def handle(self, *args, archive, **options):
        backup.restore(archive, say=self.stdout.write)
