"""The recap as a document: the aggregates of its period and scope, the
narrative, the number, the letterhead and the signature block. This is what
every exporter renders and what approval freezes (with a SHA-256 checksum),
so an approved recap reads the same forever, whatever happens to the reports
afterwards."""

import hashlib
import json

from django.utils import formats, timezone, translation

from cms.reports.models import Kecamatan

from .aggregates import aggregates
from .models import Penandatangan, RekapKabupaten, RekapKecamatan, StatusRekap
from .periods import WITA


def canonical(content):
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def checksum(content):
    return hashlib.sha256(canonical(content).encode()).hexdigest()


def _kecamatan_recaps(recap):
    """The kecamatan tier beneath a regency recap, every kecamatan listed
    (a missing recap is visible, not silently left out)."""
    found = {
        r.kecamatan_id: r
        for r in RekapKecamatan.objects.filter(periode=recap.periode,
                                               periode_mulai=recap.periode_mulai)
    }
    rows = []
    for kecamatan in Kecamatan.objects.order_by("nama"):
        item = found.get(kecamatan.pk)
        rows.append({
            "kecamatan": kecamatan.nama,
            "status": str(item.get_status_display()) if item else "Belum ada",
            "disetujui": item is not None and item.status == StatusRekap.DISETUJUI,
            "nomor": (item.nomor or "") if item else "",
            "situasi_umum": item.situasi_umum if item else "",
        })
    return rows


def _date(moment):
    with translation.override("id"):
        return formats.date_format(moment.astimezone(WITA), "j F Y")


def build(recap, *, signer=None, at=None):
    """The live document of a recap that is not frozen yet."""
    settings_ = signer or Penandatangan.current()
    is_regency = isinstance(recap, RekapKabupaten)
    content = aggregates(
        recap.period,
        kecamatan_id=None if is_regency else recap.kecamatan_id,
        recap_model=type(recap),
    )
    with translation.override("id"):
        cadence = str(recap.get_periode_display())
    content.update({
        "jenis_dokumen": f"Rekap {cadence.lower()}",
        "tingkat": "kabupaten" if is_regency else "kecamatan",
        "wilayah": recap.wilayah,
        "judul": f"LAPORAN {cadence.upper()} KEWASPADAAN DINI",
        "nomor": recap.nomor or "",
        "narasi": {
            "situasi_umum": recap.situasi_umum,
            "penilaian": recap.penilaian,
            "rekomendasi": recap.rekomendasi,
        },
        "kop": settings_.kop_lines,
        "penandatangan": settings_.snapshot(),
        "tanggal": f"{settings_.tempat}, {_date(at or timezone.now())}",
    })
    if is_regency:
        content["rekap_kecamatan"] = _kecamatan_recaps(recap)
    return content


def document(recap):
    """What exporters render: the frozen content once approved, the live
    document before."""
    if recap.isi_beku is not None:
        return recap.isi_beku
    return build(recap)


def logo_path():
    """Filesystem path of the letterhead logo, or None."""
    logo = Penandatangan.current().logo
    if logo is None:
        return None
    try:
        return logo.file.path
    except (NotImplementedError, ValueError):
        return None
