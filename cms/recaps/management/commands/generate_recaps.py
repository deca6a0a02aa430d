import datetime

from django.core.management.base import BaseCommand, CommandError

from cms.recaps.generation import generate
from cms.recaps.periods import WITA, Cadence


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Tanggal tidak valid: {value!r} (format YYYY-MM-DD).") from exc


class Command(BaseCommand):
    help = (
        "Membuat draf setiap rekap (per kecamatan dan kabupaten) yang sudah jatuh tempo. "
        "Aman dijalankan berulang atau bersamaan: setiap rekap dibuat satu kali."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cadence", choices=[c.value for c in Cadence], action="append",
                            help="harian, mingguan atau bulanan (boleh diulang; bawaan: semua)")
        parser.add_argument("--since", type=_date,
                            help="mulai dari periode yang memuat tanggal ini (YYYY-MM-DD)")
        parser.add_argument("--until", type=_date,
                            help="sampai periode yang memuat tanggal ini (YYYY-MM-DD)")
        parser.add_argument("--now", type=datetime.datetime.fromisoformat,
                            help="anggap sekarang (ISO 8601; tanpa zona = WITA)")

    def handle(self, *args, cadence=None, since=None, until=None, now=None, **options):
        if now is not None and now.tzinfo is None:
            now = now.replace(tzinfo=WITA)
        if since and until and since > until:
            raise CommandError("--since harus sebelum --until.")

        def progress(period, made, total):
            self.stdout.write(
                f"{period.cadence:9} {period.label}: {made} dibuat, {total - made} sudah ada"
            )

        created, existing = generate(now=now, cadences=cadence, since=since, until=until,
                                     progress=progress)
        self.stdout.write(self.style.SUCCESS(
            f"Selesai: {created} rekap dibuat, {existing} sudah ada."
        ))
