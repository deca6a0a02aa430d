from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cms.home.demo import DEMO_PASSWORD, USERS, DemoBuilder


class Command(BaseCommand):
    help = "Mengisi basis data kosong dengan data demo (tidak untuk produksi)."

    def handle(self, *args, **options):
        if not settings.SIKANDA_DEMO_DATA_ALLOWED:
            raise CommandError(
                "Data demo ditolak: pengaturan ini (produksi) tidak mengizinkan data demo. "
                "Demo data refused under these settings."
            )
        with transaction.atomic():
            DemoBuilder(stdout=self.stdout).build()
        self.stdout.write(self.style.SUCCESS("Data demo siap. Login demo (kata sandi semua akun: "
                                             f"{DEMO_PASSWORD}):"))
        for username, full_name, role, kecamatan in USERS:
            where = f" — {', '.join(kecamatan)}" if kecamatan else ""
            self.stdout.write(f"  {username:<22} {role:<14} {full_name}{where}")
        self.stdout.write("Admin: http://127.0.0.1:8000/admin/")
