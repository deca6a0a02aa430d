"""The compliance board (*papan kepatuhan pelaporan*): kecamatan × day, week
or month, each cell saying whether the kecamatan reported, filed a *laporan
nihil*, or sent nothing.

A report counts for the WITA calendar day of its event time
(`waktu_kejadian`), as in the recaps (cms/recaps/periods.py), once it has been
submitted and is not withdrawn or retracted: waiting for verification, sent
back for changes, or verified. The counts are of filing, not of content, so
they are the same for everyone who may see a row.

Everything is aggregated in SQL — one grouped query for the reports (per
kecamatan and WITA day), one for the nihil rows, one for the kecamatan — so
the board costs the same number of queries for a week or a year."""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from cms.recaps.periods import WITA
from cms.reports.models import Kecamatan, Laporan
from cms.reports.models.laporan import Status
from cms.reports.permissions import laporan_policy

from .models import LaporanNihil

COUNTED = (Status.MENUNGGU, Status.PERLU_PERBAIKAN, Status.TERVERIFIKASI)


class Keadaan(models.TextChoices):
    MELAPOR = "melapor", _("Melapor")
    NIHIL = "nihil", _("Nihil")
    SEBAGIAN = "sebagian", _("Sebagian hari")
    TIDAK_ADA = "tidak_ada", _("Tidak ada laporan")
    BELUM = "belum", _("Belum tiba")


class Tampilan(models.TextChoices):
    HARIAN = "harian", _("Per hari")
    MINGGUAN = "mingguan", _("Per minggu")
    BULANAN = "bulanan", _("Per bulan")


class Rentang(models.TextChoices):
    MINGGU = "minggu", _("Satu minggu")
    BULAN = "bulan", _("Satu bulan")


# -- who may see which rows ---------------------------------------------------------

def may_view(user):
    return bool(
        laporan_policy.is_administrator(user) or laporan_policy.is_pimpinan(user)
        or laporan_policy.verify_kecamatan_ids(user)
    )


def kecamatan_for(user):
    """The rows this user sees: every kecamatan for administrators and
    Pimpinan, a verifier's own kecamatan, nothing for anyone else."""
    if laporan_policy.is_administrator(user) or laporan_policy.is_pimpinan(user):
        return Kecamatan.objects.all()
    if ids := laporan_policy.verify_kecamatan_ids(user):
        return Kecamatan.objects.filter(pk__in=ids)
    return Kecamatan.objects.none()


# -- columns ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Kolom:
    first: datetime.date
    last: datetime.date
    label: str

    def days(self):
        return (self.last - self.first).days + 1


def _month_start(day):
    return day.replace(day=1)


def _next_month(day):
    year, month = divmod(day.month, 12)
    return datetime.date(day.year + year, month + 1, 1)


def _monday(day):
    return day - datetime.timedelta(days=day.weekday())


def columns(tampilan, rentang, anchor):
    """The columns of a board around `anchor` (a WITA date), and the
    (first, last) dates they cover together."""
    one = datetime.timedelta(days=1)
    if tampilan == Tampilan.BULANAN:
        months = [datetime.date(anchor.year, m, 1) for m in range(1, 13)]
        cols = [Kolom(m, _next_month(m) - one, f"{m:%m}") for m in months]
    elif tampilan == Tampilan.MINGGUAN:
        start, end = _month_start(anchor), _next_month(anchor)
        week, cols = _monday(start), []
        while week < end:
            cols.append(Kolom(week, week + 6 * one, f"{week:%d/%m}"))
            week += 7 * one
    else:
        if rentang == Rentang.BULAN:
            start, end = _month_start(anchor), _next_month(anchor)
        else:
            start = _monday(anchor)
            end = start + 7 * one
        cols, day = [], start
        while day < end:
            cols.append(Kolom(day, day, f"{day.day}"))
            day += one
    return cols, cols[0].first, cols[-1].last


# -- cells -------------------------------------------------------------------------------

@dataclass
class Sel:
    kolom: Kolom
    keadaan: str
    laporan: int = 0
    terverifikasi: int = 0
    hari_melapor: int = 0
    hari_nihil: int = 0
    hari_berlalu: int = 0
    hari_kosong: int = 0

    @property
    def label(self):
        return Keadaan(self.keadaan).label


@dataclass
class Baris:
    kecamatan: Kecamatan
    sel: list = field(default_factory=list)


def daily_counts(kecamatan_ids, first, last):
    """{(kecamatan id, WITA date): (reports, verified)} in one grouped query."""
    start = datetime.datetime.combine(first, datetime.time(), tzinfo=WITA)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time(),
                                    tzinfo=WITA)
    rows = (
        Laporan.objects.filter(
            kecamatan_id__in=kecamatan_ids, status__in=COUNTED,
            waktu_kejadian__gte=start, waktu_kejadian__lt=end,
        )
        .annotate(hari=TruncDate("waktu_kejadian", tzinfo=WITA))
        .values("kecamatan_id", "hari")
        .annotate(jumlah=Count("pk"), verified=Count("pk", filter=Q(status=Status.TERVERIFIKASI)))
        .order_by()
    )
    return {(r["kecamatan_id"], r["hari"]): (r["jumlah"], r["verified"]) for r in rows}


def nihil_days(kecamatan_ids, first, last):
    return set(
        LaporanNihil.objects.filter(
            kecamatan_id__in=kecamatan_ids, tanggal__gte=first, tanggal__lte=last
        ).order_by().values_list("kecamatan_id", "tanggal")
    )


def _cell(kolom, kecamatan_id, counts, nihil, today):
    cell = Sel(kolom, Keadaan.BELUM)
    day = kolom.first
    while day <= kolom.last and day <= today:
        cell.hari_berlalu += 1
        reports, verified = counts.get((kecamatan_id, day), (0, 0))
        if reports:
            cell.laporan += reports
            cell.terverifikasi += verified
            cell.hari_melapor += 1
        elif (kecamatan_id, day) in nihil:
            cell.hari_nihil += 1
        day += datetime.timedelta(days=1)
    covered = cell.hari_melapor + cell.hari_nihil
    cell.hari_kosong = cell.hari_berlalu - covered
    if not cell.hari_berlalu:
        cell.keadaan = Keadaan.BELUM
    elif not covered:
        cell.keadaan = Keadaan.TIDAK_ADA
    elif cell.hari_kosong:
        cell.keadaan = Keadaan.SEBAGIAN
    elif cell.laporan:
        cell.keadaan = Keadaan.MELAPOR
    else:
        cell.keadaan = Keadaan.NIHIL
    return cell


def build(user, tampilan, rentang, anchor, today):
    """(columns, rows) of the board as this user may see it; three queries
    after the user's roles and assignments are known."""
    cols, first, last = columns(tampilan, rentang, anchor)
    kecamatan = list(kecamatan_for(user))
    ids = [k.pk for k in kecamatan]
    if not ids:
        return cols, []
    counts = daily_counts(ids, first, last)
    nihil = nihil_days(ids, first, last)
    rows = [
        Baris(k, [_cell(col, k.pk, counts, nihil, today) for col in cols]) for k in kecamatan
    ]
    return cols, rows


def missing_kecamatan(day):
    """Kecamatan with neither a counted report nor a nihil for `day`."""
    start = datetime.datetime.combine(day, datetime.time(), tzinfo=WITA)
    end = start + datetime.timedelta(days=1)
    reported = Laporan.objects.filter(
        status__in=COUNTED, waktu_kejadian__gte=start, waktu_kejadian__lt=end
    ).values("kecamatan_id")
    nihil = LaporanNihil.objects.filter(tanggal=day).values("kecamatan_id")
    return Kecamatan.objects.exclude(pk__in=reported).exclude(pk__in=nihil)
