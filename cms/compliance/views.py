"""The compliance board in the Wagtail admin, for administrators, Pimpinan
and verifiers (their own kecamatan's rows). Officers, guests and agency
members never reach it (they are signed out of the admin); any other admin
user without one of those roles is refused here."""

import datetime
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.recaps.periods import local_date

from . import board
from .board import Keadaan, Rentang, Tampilan

# A typed URL cannot push the board past what dates (and the navigation a
# year on) can express.
EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)


def _parse_date(value, default):
    try:
        day = datetime.date.fromisoformat(value) if value else default
    except ValueError:
        return default
    return day if EARLIEST <= day <= LATEST else default


def _shift(tampilan, rentang, anchor, step):
    if tampilan == Tampilan.BULANAN:
        return anchor.replace(year=anchor.year + step, month=1, day=1)
    if tampilan == Tampilan.HARIAN and rentang == Rentang.MINGGU:
        return anchor + datetime.timedelta(days=7 * step)
    month = anchor.month - 1 + step
    return datetime.date(anchor.year + month // 12, month % 12 + 1, 1)


def listing_url(kecamatan, first, last, listing=None):
    """The report listing filtered to one kecamatan and WITA days (the
    listing reads through the report policy, so each user sees their share)."""
    query = urlencode({
        "kecamatan": kecamatan.pk,
        "waktu_kejadian_from": first.isoformat(),
        "waktu_kejadian_to": last.isoformat(),
    })
    return f"{listing or reverse('wagtailsnippets_reports_laporan:list')}?{query}"


def _span(col, per_day):
    if per_day:
        return formats.date_format(col.first, "j F Y")
    return f"{formats.date_format(col.first, 'j F')} – {formats.date_format(col.last, 'j F Y')}"


def _detail(cell, per_day):
    """The small print under a cell's word: how many reports (and verified),
    and for a week or month how many of its days so far were covered."""
    lines = []
    if cell.laporan:
        text = ngettext("%(count)s laporan", "%(count)s laporan", cell.laporan) % {
            "count": cell.laporan}
        if cell.terverifikasi != cell.laporan:
            text += ", " + _("%(verified)s terverifikasi") % {"verified": cell.terverifikasi}
        lines.append(text)
    if not per_day:
        lines.append(_("%(covered)s/%(total)s hari") % {
            "covered": cell.hari_melapor + cell.hari_nihil, "total": cell.hari_berlalu})
    return lines


def _title(tampilan, rentang, anchor, first, last):
    if tampilan == Tampilan.BULANAN:
        return _("Tahun %(year)s") % {"year": anchor.year}
    if tampilan == Tampilan.MINGGUAN or rentang == Rentang.BULAN:
        # Week columns run past the month's edges; the month is the anchor's.
        return formats.date_format(anchor, "F Y")
    return f"{formats.date_format(first, 'j F Y')} – {formats.date_format(last, 'j F Y')}"


class BoardView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "compliance/board.html"
    page_title = gettext_lazy("Kepatuhan pelaporan")
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not board.may_view(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        today = local_date(timezone.now())
        tampilan = params.get("tampilan")
        tampilan = tampilan if tampilan in Tampilan.values else Tampilan.HARIAN
        rentang = params.get("rentang")
        rentang = rentang if rentang in Rentang.values else Rentang.MINGGU
        anchor = _parse_date(params.get("tanggal"), today)
        cols, rows = board.build(self.request.user, tampilan, rentang, anchor, today)
        first, last = cols[0].first, cols[-1].last
        # What each column says, computed once per column rather than per cell:
        # a month of days is 248 cells.
        listing = reverse("wagtailsnippets_reports_laporan:list")
        spans = {col: _span(col, tampilan == Tampilan.HARIAN) for col in cols}
        for row in rows:
            for cell in row.sel:
                cell.url = listing_url(row.kecamatan, cell.kolom.first, cell.kolom.last, listing)
                cell.title = f"{row.kecamatan.nama}, {spans[cell.kolom]}: {cell.label}"
                cell.detail = _detail(cell, tampilan == Tampilan.HARIAN)

        def link(**changes):
            values = {"tampilan": tampilan, "rentang": rentang, "tanggal": anchor.isoformat()}
            values.update(changes)
            return "?" + urlencode(values)

        context.update({
            "tampilan": tampilan, "rentang": rentang, "today": today,
            "columns": cols, "rows": rows,
            "judul_periode": _title(tampilan, rentang, anchor, first, last),
            "tampilan_pilihan": [(value, label, link(tampilan=value))
                                 for value, label in Tampilan.choices],
            "rentang_pilihan": [(value, label, link(rentang=value))
                                for value, label in Rentang.choices],
            "sebelumnya": link(tanggal=_shift(tampilan, rentang, anchor, -1).isoformat()),
            "berikutnya": link(tanggal=_shift(tampilan, rentang, anchor, 1).isoformat()),
            "hari_ini": link(tanggal=today.isoformat()),
            "legenda": [(k.value, k.label, LEGEND[k.value]) for k in Keadaan],
            "per_hari": tampilan == Tampilan.HARIAN,
        })
        return context


LEGEND = {
    Keadaan.MELAPOR: gettext_lazy("Ada laporan terkirim (menunggu, perlu perbaikan atau "
                                  "terverifikasi) dengan waktu kejadian pada hari itu."),
    Keadaan.NIHIL: gettext_lazy("Tidak ada laporan; petugas mengirim laporan nihil."),
    Keadaan.SEBAGIAN: gettext_lazy("Sebagian hari dalam kolom ini tanpa laporan dan tanpa "
                                   "laporan nihil."),
    Keadaan.TIDAK_ADA: gettext_lazy("Tidak ada laporan dan tidak ada laporan nihil."),
    Keadaan.BELUM: gettext_lazy("Hari yang belum tiba."),
}
