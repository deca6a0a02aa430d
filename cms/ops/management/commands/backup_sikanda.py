from django.core.management.base import BaseCommand

from cms.ops import backup


class Command(BaseCommand):
    help = (
        "Cadangkan basis data (pg_dump pada PostgreSQL, salinan daring pada SQLite) dan "
        "berkas privat serta publik ke satu arsip .tar.gz. Lihat README, bagian Backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="The archive to write, e.g. sikanda-2026-11-29.tar.gz")

    def handle(self, *args, output, **options):
        backup.backup(output, say=self.stdout.write)
