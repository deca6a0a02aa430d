"""What a recap (and a dashboard) says about a period, computed in SQL.

`aggregates()` runs a fixed number of queries whatever the number of reports
(counts grouped in the database, one query for the report list, one for the
late reports and, for recaps, one for the follow-up of dispositions), so
the dashboard and the documents read the same numbers. The result is plain
JSON-serialisable data: it is what an approved recap freezes."""

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import timezone, translation

from cms.reports.models import Aspek, JenisATHG, Laporan, Urgensi

from .periods import WITA

SUMMARY_CHARS = 280


def verified_reports():
    """Reports that count: verified (live). A report taken down later stops
    counting in drafts; approved recaps keep what they froze."""
    return Laporan.objects.filter(live=True)


MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")


def _when(moment):
    # As formats.date_format(…, "j F Y H:i") in Indonesian, which costs about
    # a millisecond a call: a monthly recap lists thousands of reports.
    local = moment.astimezone(WITA)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year} {local:%H:%M} WITA"


def _summary(text):
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rstrip() + "…"


def _row(laporan):
    penilaian = getattr(laporan, "penilaian", None)
    # Reports linked into one incident (cms/followup) are one event.
    tautan = getattr(laporan, "tautan_kejadian", None)
    place = f"{laporan.desa.nama}, " if laporan.desa_id else ""
    return {
        "id": laporan.pk,
        "nomor": laporan.nomor or "",
        "judul": laporan.judul,
        "waktu": _when(laporan.waktu_kejadian),
        "waktu_iso": laporan.waktu_kejadian.isoformat(),
        "tempat": f"{place}Kec. {laporan.kecamatan.nama}",
        "kecamatan": laporan.kecamatan.nama,
        "aspek": laporan.aspek.nama,
        "jenis_athg": laporan.jenis_athg.nama,
        "urgensi": str(Urgensi(laporan.urgensi).label),
        "ringkasan": _summary(laporan.fakta),
        "penilaian": f"{penilaian.keandalan_sumber}{penilaian.kredibilitas_informasi}"
        if penilaian else "",
        "diverifikasi": _when(laporan.first_published_at) if laporan.first_published_at else "",
        "kejadian_id": tautan.kejadian_id if tautan else None,
        "kejadian": tautan.kejadian.judul if tautan else "",
    }


# What a row reads: a list of thousands of reports loads nothing else.
ROW_FIELDS = (
    "nomor", "judul", "waktu_kejadian", "fakta", "urgensi", "first_published_at",
    "kecamatan__nama", "desa__nama", "aspek__nama", "jenis_athg__nama",
    "penilaian__keandalan_sumber", "penilaian__kredibilitas_informasi",
    "tautan_kejadian__kejadian__judul",
)


def _rows(queryset):
    return [
        _row(laporan)
        for laporan in queryset.select_related(
            "kecamatan", "desa", "aspek", "jenis_athg", "penilaian", "tautan_kejadian__kejadian"
        ).only(*ROW_FIELDS).order_by("waktu_kejadian", "pk")
    ]


def _events(rows):
    """How many events the reports describe: reports of one incident count once."""
    return len({row["kejadian_id"] or f"laporan-{row['id']}" for row in rows})


def _change(now, before):
    return {"jumlah": now, "sebelumnya": before, "perubahan": now - before}


def aggregates(period, *, kecamatan_id=None, reports=None, recap_model=None):
    """Counts by aspect × ATHG type and by urgency, each with the change from
    the previous period; the list of verified reports of the period; and,
    when `recap_model` is given, the late reports (*susulan*): verified after
    the recap of their own period was approved, and after the previous recap
    of this tier was approved (so each appears in exactly one recap).

    `reports` narrows the base (a dashboard passes what its user may see)."""
    with translation.override("id"):
        return _aggregates(period, kecamatan_id, reports, recap_model)


def _aggregates(period, kecamatan_id, reports, recap_model):
    base = verified_reports() if reports is None else reports.filter(live=True)
    if kecamatan_id is not None:
        base = base.filter(kecamatan_id=kecamatan_id)
    previous = period.previous()

    aspects = list(Aspek.objects.order_by("urutan", "nama").values_list("pk", "nama"))
    types = list(JenisATHG.objects.order_by("urutan", "nama").values_list("pk", "nama"))

    counts = (
        base.filter(waktu_kejadian__gte=previous.start, waktu_kejadian__lt=period.end)
        .annotate(
            kini=Case(
                When(waktu_kejadian__gte=period.start, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        # The kecamatan name rides along in the same grouped query (no extra
        # query), for the per-kecamatan counts of the dashboard and summaries.
        .values("kini", "aspek_id", "jenis_athg_id", "urgensi", "kecamatan_id",
                "kecamatan__nama")
        .annotate(n=Count("pk"))
        .order_by()
    )
    now_by, before_by, kecamatan_names = {}, {}, {}
    for row in counts:
        target = now_by if row["kini"] else before_by
        key = (row["aspek_id"], row["jenis_athg_id"], row["urgensi"], row["kecamatan_id"])
        target[key] = target.get(key, 0) + row["n"]
        kecamatan_names[row["kecamatan_id"]] = row["kecamatan__nama"]

    def total(table, aspek=None, jenis=None, urgensi=None, kecamatan=None):
        return sum(
            n for (a, j, u, k), n in table.items()
            if (aspek is None or a == aspek) and (jenis is None or j == jenis)
            and (urgensi is None or u == urgensi) and (kecamatan is None or k == kecamatan)
        )

    listed = _rows(base.filter(waktu_kejadian__gte=period.start, waktu_kejadian__lt=period.end))
    by_aspect_name = {}
    for row in listed:
        by_aspect_name.setdefault(row["aspek"], []).append(row)

    result = {
        "periode": {
            "jenis": period.cadence,
            "mulai": period.start_date.isoformat(),
            "sampai": period.last_date.isoformat(),
            "label": period.label,
            "label_sebelumnya": previous.label,
        },
        "jumlah": _change(total(now_by), total(before_by)),
        "jumlah_kejadian": _events(listed),
        "jenis_athg": [
            {"id": pk, "nama": name, **_change(total(now_by, jenis=pk), total(before_by, jenis=pk))}
            for pk, name in types
        ],
        "urgensi": [
            {"kode": code, "nama": str(label),
             **_change(total(now_by, urgensi=code), total(before_by, urgensi=code))}
            for code, label in Urgensi.choices
        ],
        # Only kecamatan with a report in either period; a caller that lists
        # every kecamatan fills in the zeros.
        "kecamatan": [
            {"id": pk, "nama": name,
             **_change(total(now_by, kecamatan=pk), total(before_by, kecamatan=pk))}
            for pk, name in sorted(kecamatan_names.items(), key=lambda item: item[1])
        ],
        "aspek": [
            {
                "id": pk,
                "nama": name,
                **_change(total(now_by, aspek=pk), total(before_by, aspek=pk)),
                "per_jenis": [
                    {"nama": type_name, "jumlah": total(now_by, aspek=pk, jenis=type_pk)}
                    for type_pk, type_name in types
                ],
                "laporan": by_aspect_name.get(name, []),
            }
            for pk, name in aspects
        ],
        "laporan": listed,
        "susulan": [],
    }
    if recap_model is not None:
        result["susulan"] = _late_reports(base, period, kecamatan_id, recap_model)
        result["tindak_lanjut"] = follow_ups(base, period)
    return result


def follow_ups(base, period, now=None):
    """The *tindak lanjut* section: dispositions in force of the period's
    reports, and those issued during the period for earlier reports, with
    each addressed agency's state — counted as issued, open, overdue (open
    past the due date, at the time the document is made) and closed. One
    query; an approved recap freezes it as it stood at approval."""
    from cms.followup.models import OPEN_STATUSES, StatusTindakLanjut, TindakLanjut

    now = now or timezone.now()
    in_period = Q(disposisi__laporan__waktu_kejadian__gte=period.start,
                  disposisi__laporan__waktu_kejadian__lt=period.end)
    issued_in_period = Q(disposisi__dibuat__gte=period.start, disposisi__dibuat__lt=period.end)
    rows = (
        TindakLanjut.objects.filter(
            in_period | issued_in_period,
            disposisi__laporan__in=base.values("pk"),
            disposisi__dicabut_pada__isnull=True,
            disposisi__dibuat__lt=now,
        )
        .select_related("instansi", "disposisi__laporan")
        .order_by("disposisi__dibuat", "disposisi_id", "instansi__nama", "pk")
    )
    dispositions, counts = {}, {"diterbitkan": 0, "terbuka": 0, "terlambat": 0, "selesai": 0}
    for row in rows:
        disposisi = row.disposisi
        item = dispositions.get(disposisi.pk)
        if item is None:
            counts["diterbitkan"] += 1
            item = dispositions[disposisi.pk] = {
                "laporan": disposisi.laporan.nomor or "",
                "judul": disposisi.laporan.judul,
                "instruksi": _summary(disposisi.instruksi),
                "prioritas": str(disposisi.get_prioritas_display()),
                "diterbitkan": _when(disposisi.dibuat),
                "batas_waktu": _when(disposisi.batas_waktu),
                "instansi": [],
            }
        is_open = row.status in OPEN_STATUSES
        late = is_open and disposisi.batas_waktu < now
        counts["terbuka"] += is_open
        counts["terlambat"] += late
        counts["selesai"] += row.status == StatusTindakLanjut.SELESAI
        item["instansi"].append({
            "nama": row.instansi.singkatan or row.instansi.nama,
            "status": str(row.get_status_display()),
            "terlambat": late,
        })
    return {"jumlah": counts, "disposisi": list(dispositions.values())}


def _late_reports(base, period, kecamatan_id, recap_model):
    scope = {"kecamatan_id": kecamatan_id} if kecamatan_id is not None else {}
    previous_approval = (
        recap_model.objects.filter(
            periode=period.cadence, periode_mulai=period.previous().start_date, **scope
        )
        .exclude(disetujui_pada=None)
        .values_list("disetujui_pada", flat=True)
        .first()
    )
    if previous_approval is None:
        # The previous recap is still open: a late report still belongs there.
        return []
    own_recap = recap_model.objects.filter(
        periode=period.cadence,
        mulai__lte=OuterRef("waktu_kejadian"),
        selesai__gt=OuterRef("waktu_kejadian"),
        disetujui_pada__lt=OuterRef("first_published_at"),
        **({"kecamatan_id": OuterRef("kecamatan_id")} if kecamatan_id is not None else {}),
    )
    late = (
        base.filter(waktu_kejadian__lt=period.start, first_published_at__gt=previous_approval)
        .filter(Exists(own_recap))
        .annotate(rekap_asal=Subquery(own_recap.values("pk")[:1]))
    )
    rows = []
    for laporan in late.select_related(
        "kecamatan", "desa", "aspek", "jenis_athg", "penilaian", "tautan_kejadian__kejadian"
    ).only(*ROW_FIELDS).order_by("waktu_kejadian", "pk"):
        row = _row(laporan)
        row["rekap_asal"] = laporan.rekap_asal
        rows.append(row)
    return rows
