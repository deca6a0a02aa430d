import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from cms.reports import files
from cms.reports.storage import private_storage


class Command(BaseCommand):
    help = (
        "Cari dan hapus berkas lampiran yang tidak dimiliki laporan mana pun (sisa pengiriman "
        "yang gagal atau proses yang mati). Gunakan --dry-run untuk melihat dulu."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only list the orphans; delete nothing."
        )
        parser.add_argument(
            "--older-than", type=int, default=60, metavar="MINUTES",
            help="Leave files younger than this alone: their upload may still be committing "
                 "(default 60).",
        )

    def handle(self, *args, dry_run=False, older_than=60, **options):
        storage = private_storage()
        cutoff = timezone.now() - datetime.timedelta(minutes=older_than)
        # Read the stored names first and the referenced ones second: a file
        # written between the two is young and skipped by the cut-off.
        stored = list(files.stored_names(storage))
        referenced = files.referenced_names()
        orphans = [
            name for name in stored
            if name not in referenced
            and not files.is_derived_from(name, referenced)
            and storage.get_modified_time(name) < cutoff
        ]
        total = len(orphans)
        for number, name in enumerate(orphans, start=1):
            if dry_run:
                self.stdout.write(f"[{number}/{total}] yatim: {name}")
            else:
                files.remove([name])
                self.stdout.write(f"[{number}/{total}] dihapus: {name}")
        verb = "ditemukan" if dry_run else "dihapus"
        self.stdout.write(
            self.style.SUCCESS(
                f"{total} berkas yatim {verb} dari {len(stored)} berkas; "
                f"{len(referenced)} dipakai laporan."
            )
        )
