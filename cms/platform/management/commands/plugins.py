from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError

from cms.platform.discovery import first_party
from cms.platform.plugins import enabled_labels, installed_plugins


class Command(BaseCommand):
    help = "Daftar plugin terpasang: label, nama, versi, asal, status."

    def handle(self, *args, **options):
        local = set(first_party(settings.BASE_DIR))
        try:
            enabled = enabled_labels()
        except DatabaseError:
            enabled = None  # not migrated yet: state unknown
        for plugin in sorted(installed_plugins(), key=lambda p: p.label):
            origin = "plugins/" if plugin.name in local else "entry point"
            state = "?" if enabled is None else ("aktif" if plugin.label in enabled else "nonaktif")
            self.stdout.write(
                f"{plugin.label}\t{plugin.meta.name}\t{plugin.meta.version}\t{origin}\t{state}"
            )
