"""The public monthly summary: when the regency's monthly recap is signed, a
page with the month's counts by aspect, ATHG type and kecamatan is published
under the summaries index (created on first use).

The counts come from the recap aggregates, over *public* verified reports
only; the page stores counts and nothing else (no report, title, place or
name), so nothing restricted can reach it. Publishing is idempotent: one
page per month (a unique column decides a race); signing again, re-sending
the event or running `publish_monthly_summaries` refreshes that page's counts
and never creates a second."""

import logging

from django.db import IntegrityError, transaction
from django.utils import formats, translation
from wagtail.models import Page

from cms.recaps.aggregates import aggregates
from cms.recaps.models import RekapKabupaten, StatusRekap
from cms.recaps.periods import Cadence
from cms.reports.models import Kecamatan, Laporan

logger = logging.getLogger("sikanda.summaries")

INDEX_SLUG = "ringkasan-bulanan"
CHART_LABEL, CHART_BAR, CHART_ROW = 170, 380, 26


def counts(period):
    """What the page shows: counts of the month's public verified reports,
    with the previous month's for comparison."""
    figures = aggregates(period, reports=Laporan.objects.public())
    counted = {item["id"]: item for item in figures["kecamatan"]}

    def plain(item):
        return {key: item[key] for key in ("nama", "jumlah", "sebelumnya", "perubahan")}

    return {
        "periode": {key: figures["periode"][key]
                    for key in ("mulai", "sampai", "label", "label_sebelumnya")},
        "jumlah": figures["jumlah"],
        "kejadian": figures["jumlah_kejadian"],
        "aspek": [plain(item) for item in figures["aspek"]],
        "jenis_athg": [plain(item) for item in figures["jenis_athg"]],
        "kecamatan": [
            plain(counted.get(pk) or {"nama": nama, "jumlah": 0, "sebelumnya": 0,
                                      "perubahan": 0}) | {"nama": nama}
            for pk, nama in Kecamatan.objects.order_by("nama").values_list("pk", "nama")
        ],
    }


def chart(items):
    """Geometry of a horizontal bar chart (label, bar, value per row)."""
    peak = max([item["jumlah"] for item in items] + [1])
    rows = []
    for index, item in enumerate(items):
        rows.append({
            **item,
            "y": index * CHART_ROW,
            "w": round(item["jumlah"] * CHART_BAR / peak, 1),
        })
    return {"rows": rows, "label_w": CHART_LABEL, "bar_w": CHART_BAR,
            "width": CHART_LABEL + CHART_BAR + 50, "height": max(len(rows), 1) * CHART_ROW,
            "row": CHART_ROW}


def _title(period):
    with translation.override("id"):
        return f"Ringkasan bulanan {formats.date_format(period.start_date, 'F Y')}"


def summary_index():
    from .models import HomePage, RingkasanBulananIndexPage

    index = RingkasanBulananIndexPage.objects.first()
    if index is not None:
        return index
    home = HomePage.objects.first()
    if home is None:
        raise LookupError("There is no home page to hold the monthly summaries.")
    # Two first publications at once: the home page's row lock lets one
    # create the index; the other finds it.
    Page.objects.select_for_update().filter(pk=home.pk).first()
    index = RingkasanBulananIndexPage.objects.first()
    if index is None:
        index = home.add_child(instance=RingkasanBulananIndexPage(
            title="Ringkasan bulanan", slug=INDEX_SLUG, live=False,
            intro="<p>Jumlah laporan ATHG terverifikasi yang terbuka untuk umum, per bulan, "
                  "diterbitkan otomatis ketika rekap bulanan kabupaten ditandatangani.</p>",
        ))
        index.save_revision().publish()
    return index


def publish(period):
    """Create or refresh the summary page of `period` (a month) and publish it."""
    from .models import RingkasanBulananPage

    if period.cadence != Cadence.BULANAN:
        raise ValueError("A public summary is monthly.")
    data = counts(period)
    with transaction.atomic():
        index = summary_index()
        # Writers of summary pages take turns on the index row.
        Page.objects.select_for_update().filter(pk=index.pk).first()
        page = RingkasanBulananPage.objects.filter(periode_mulai=period.start_date).first()
        if page is None:
            try:
                with transaction.atomic():
                    page = index.add_child(instance=RingkasanBulananPage(
                        title=_title(period), slug=period.start_date.strftime("%Y-%m"),
                        periode_mulai=period.start_date, ringkasan=data, live=False,
                    ))
            except IntegrityError:
                # Lost a race the lock could not prevent (SQLite has no row
                # locks): the winner's page is the month's page.
                return RingkasanBulananPage.objects.get(periode_mulai=period.start_date)
        elif page.ringkasan == data and page.live:
            return page
        else:
            page.ringkasan = data
            page.save(update_fields=["ringkasan"])
        page.save_revision().publish()
    return page


def publish_for(recap):
    """The page for a signed monthly regency recap; None for any other recap."""
    if not (isinstance(recap, RekapKabupaten) and recap.periode == Cadence.BULANAN
            and recap.status == StatusRekap.DITANDATANGANI):
        return None
    return publish(recap.period)


def on_recap_signed(event=None, recap=None, **payload):
    """Receiver of `recap.signed` (after the signing committed)."""
    page = publish_for(recap)
    if page is not None:
        logger.info("Monthly summary %s published for recap %s", page.pk, recap.pk)
