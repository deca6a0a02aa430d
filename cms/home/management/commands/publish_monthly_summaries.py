"""Publish (or refresh) the public summary page of every signed monthly
regency recap. Signing does this by itself; this catches up after a failure
or on an installation that signed recaps before the pages existed. Safe to
run any number of times: one page per month."""

from django.core.management.base import BaseCommand

from cms.home.summaries import publish_for
from cms.recaps.models import RekapKabupaten, StatusRekap
from cms.recaps.periods import Cadence


class Command(BaseCommand):
    help = ("Terbitkan ringkasan bulanan publik untuk setiap rekap bulanan kabupaten "
            "yang ditandatangani.")

    def handle(self, *args, **options):
        recaps = RekapKabupaten.objects.filter(
            periode=Cadence.BULANAN, status=StatusRekap.DITANDATANGANI
        ).order_by("periode_mulai")
        for recap in recaps:
            page = publish_for(recap)
            self.stdout.write(f"{recap.period.label}: {page.url_path}")
