"""The one transition service of the follow-up: dispositions, follow-up steps
and incidents change only here, with the rules of cms/reports/transitions.py.

Each transition, whoever calls it (GraphQL mutation, admin view, command):
1. locks the report row (`SELECT … FOR UPDATE`, through
   `cms.reports.transitions.locked`) and reads its state — and that of the
   disposition or follow-up — again from the database;
2. checks the report permission policy against *that* report: one the user
   may not see is "not_found", exactly like one that does not exist;
3. validates the data whatever view posted it;
4. writes the state, the agencies' grants (cms.followup.access), the audit
   entry (`wagtail.log_actions.log` on the report, so it shows in the
   report's history) and every outbox row (the in-transaction receivers of
   the domain event: notifications and webhooks) in that transaction.

The loser of a race waits for the lock, reads the winner's outcome and gets a
ValidationError with code "invalid_state" having written nothing.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cms.platform.api.inputs import parse_id
from cms.reports import attachments, files
from cms.reports.events import emit
from cms.reports.models import Laporan
from cms.reports.models.laporan import Status
from cms.reports.permissions import laporan_policy
from cms.reports.transitions import locked, not_found

from . import access, events
from .models import (
    NEXT_STATUS,
    Disposisi,
    Instansi,
    Kejadian,
    LampiranLangkah,
    LangkahTindakLanjut,
    Prioritas,
    StatusKejadian,
    StatusTindakLanjut,
    TautanKejadian,
    TindakLanjut,
)

ISSUE_ACTION = "sikanda.disposisi.buat"
WITHDRAW_ACTION = "sikanda.disposisi.cabut"
STEP_ACTION = "sikanda.tindak_lanjut.langkah"
LINK_ACTION = "sikanda.kejadian.tautkan"
UNLINK_ACTION = "sikanda.kejadian.lepas"
INCIDENT_STATUS_ACTION = "sikanda.kejadian.status"

TEXT_MAX_LENGTH = 4000
MAX_AGENCIES = 20
MAX_STEP_ATTACHMENTS = 5


def _error(message, code, field=None):
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


def _text(value, field, *, required=True):
    value = (value or "").strip()
    if required and not value:
        raise _error(_("Kolom ini wajib diisi."), "required", field)
    if len(value) > TEXT_MAX_LENGTH:
        raise _error(
            _("Teks terlalu panjang (paling banyak %(max)d karakter).") % {"max": TEXT_MAX_LENGTH},
            "invalid", field,
        )
    return value


def may_issue(user, laporan=None):
    """Pimpinan and Administrators forward verified reports."""
    return laporan_policy.is_administrator(user) or laporan_policy.is_pimpinan(user)


def may_see_timeline(user, laporan):
    """The issuer's side: Pimpinan and Administrators (who may see the report)."""
    return may_issue(user) and laporan_policy.user_can_view(user, laporan)


ALL_FOLLOW_UPS = "all"
OWN_FOLLOW_UPS = "own"


def follow_up_scope(user, laporan):
    """How much of a report's follow-up `user` may read: ALL_FOLLOW_UPS (the
    issuer's side: every disposition, withdrawn ones too, every agency),
    OWN_FOLLOW_UPS (an agency member: their agencies' follow-ups of
    dispositions in force) or None (verifiers, officers, guests: the
    follow-up belongs to the leadership and the agencies)."""
    if not laporan_policy.user_can_view(user, laporan):
        return None
    if may_issue(user):
        return ALL_FOLLOW_UPS
    if laporan_policy.is_instansi(user):
        return OWN_FOLLOW_UPS
    return None


def is_member(user, instansi):
    return (
        laporan_policy.is_instansi(user)
        and instansi.aktif
        and instansi.anggota.filter(pk=user.pk).exists()
    )


def may_record_step(user, tindak_lanjut):
    """A member of the addressed agency; an administrator on the agency's
    behalf (a step reported by phone or letter)."""
    return laporan_policy.is_administrator(user) or is_member(user, tindak_lanjut.instansi)


def _detail_disposisi(disposisi, agencies):
    return {
        "disposisi_id": disposisi.pk,
        "prioritas": disposisi.prioritas,
        "batas_waktu": disposisi.batas_waktu.isoformat(),
        "instansi": [{"id": a.pk, "nama": a.nama, "singkatan": a.singkatan} for a in agencies],
    }


# -- disposition -------------------------------------------------------------------

def issue(laporan_pk, user, *, instruksi, instansi_ids, batas_waktu,
          prioritas=Prioritas.BIASA, bagikan_terbatas=False):
    """Forward a verified report to one or more agencies with an instruction."""
    instruksi = _text(instruksi, "instruksi")
    if prioritas not in Prioritas.values:
        raise _error(_("Prioritas tidak dikenal."), "invalid", "prioritas")
    if batas_waktu is None:
        raise _error(_("Tentukan batas waktu."), "required", "batas_waktu")
    if timezone.is_naive(batas_waktu):
        batas_waktu = timezone.make_aware(batas_waktu)
    if batas_waktu <= timezone.now():
        raise _error(_("Batas waktu harus di masa depan."), "invalid", "batas_waktu")
    wanted = list(dict.fromkeys(str(pk) for pk in instansi_ids or ()))
    if not wanted:
        raise _error(_("Pilih sedikitnya satu instansi."), "required", "instansi")
    if len(wanted) > MAX_AGENCIES:
        raise _error(_("Terlalu banyak instansi tujuan."), "invalid", "instansi")
    agencies = list(
        Instansi.objects.filter(pk__in=[p for p in map(parse_id, wanted) if p], aktif=True)
    )
    if len(agencies) != len(wanted):
        raise _error(
            _("Sebagian instansi tidak ditemukan atau tidak aktif."), "not_found", "instansi"
        )

    with locked(laporan_pk, user) as laporan:
        if not may_issue(user, laporan):
            raise PermissionDenied(_("Hanya Pimpinan atau Administrator yang dapat memberi "
                                     "disposisi."))
        if not laporan.live or laporan.status != Status.TERVERIFIKASI:
            raise _error(
                _("Disposisi hanya untuk laporan yang sudah terverifikasi."), "invalid_state"
            )
        disposisi = Disposisi.objects.create(
            laporan=laporan, instruksi=instruksi, prioritas=prioritas, batas_waktu=batas_waktu,
            bagikan_terbatas=bool(bagikan_terbatas), dibuat_oleh=user,
        )
        TindakLanjut.objects.bulk_create(
            [TindakLanjut(disposisi=disposisi, instansi=agency) for agency in agencies]
        )
        access.sync(laporan.pk)
        detail = _detail_disposisi(disposisi, agencies)
        log(instance=laporan, action=ISSUE_ACTION, user=user,
            data={**detail, "instruksi": instruksi, "bagikan_terbatas": disposisi.bagikan_terbatas})
        emit(events.disposition_created, laporan.pk, actor=user, comment=instruksi,
             detail={**detail, "instruksi": instruksi})
        return disposisi


def _report_of_disposisi(disposisi_pk):
    """The id of the disposition's report: the report row is locked first,
    then the disposition (the order every transition takes)."""
    laporan_pk = (
        Disposisi.objects.filter(pk=disposisi_pk).values_list("laporan_id", flat=True).first()
        if parse_id(disposisi_pk) is not None else None
    )
    if laporan_pk is None:
        raise _error(_("Disposisi tidak ditemukan."), "not_found", "id")
    return laporan_pk


def withdraw(disposisi_pk, user, reason):
    """Withdraw a disposition: every addressed agency loses the report at
    once (admin, API, attachments, inbox)."""
    reason = _text(reason, "alasan")
    laporan_pk = _report_of_disposisi(disposisi_pk)
    with locked(laporan_pk, user) as laporan:
        disposisi = Disposisi.objects.select_for_update().get(pk=disposisi_pk)
        if not may_issue(user, laporan):
            raise PermissionDenied(_("Hanya Pimpinan atau Administrator yang dapat mencabut "
                                     "disposisi."))
        if not disposisi.aktif:
            raise _error(_("Disposisi ini sudah dicabut."), "invalid_state")
        disposisi.dicabut_pada = timezone.now()
        disposisi.dicabut_oleh = user
        disposisi.alasan_pencabutan = reason
        disposisi.save(update_fields=["dicabut_pada", "dicabut_oleh", "alasan_pencabutan"])
        _granted, revoked = access.sync(laporan.pk)
        agencies = [tl.instansi for tl in disposisi.tindak_lanjut.select_related("instansi")]
        detail = _detail_disposisi(disposisi, agencies)
        log(instance=laporan, action=WITHDRAW_ACTION, user=user,
            data={**detail, "alasan": reason, "dicabut_untuk": len(revoked)})
        emit(events.disposition_withdrawn, laporan.pk, actor=user, comment=reason, detail=detail)
        return disposisi


# -- follow-up steps -------------------------------------------------------------

def record_step(tindak_lanjut_pk, user, *, status, catatan, uploads=(), ke_instansi_id=None):
    """An agency's next step: diterima, ditangani (again and again), selesai,
    or dialihkan to another agency (which gets its own follow-up)."""
    catatan = _text(catatan, "catatan")
    uploads = list(uploads or ())
    if len(uploads) > MAX_STEP_ATTACHMENTS:
        raise _error(
            _("Satu langkah paling banyak memuat %(max)d lampiran.")
            % {"max": MAX_STEP_ATTACHMENTS}, "invalid", "lampiran",
        )
    if status not in StatusTindakLanjut.values or status == StatusTindakLanjut.TERKIRIM:
        raise _error(_("Status tindak lanjut tidak dikenal."), "invalid", "status")
    laporan_pk = (
        TindakLanjut.objects.filter(pk=tindak_lanjut_pk)
        .values_list("disposisi__laporan_id", flat=True).first()
        if parse_id(tindak_lanjut_pk) is not None else None
    )
    if laporan_pk is None:
        raise not_found()
    built = [attachments.build(upload) for upload in uploads]
    with files.cleanup_on_failure() as written, locked(laporan_pk, user) as laporan:
        tindak_lanjut = (
            TindakLanjut.objects.select_for_update().select_related("instansi", "disposisi")
            .get(pk=tindak_lanjut_pk)
        )
        if not may_record_step(user, tindak_lanjut):
            raise PermissionDenied(_("Hanya anggota instansi tujuan yang dapat mencatat tindak "
                                     "lanjut ini."))
        if not tindak_lanjut.disposisi.aktif:
            raise _error(_("Disposisi ini sudah dicabut."), "invalid_state")
        if status not in NEXT_STATUS[tindak_lanjut.status]:
            raise _error(
                _("Tindak lanjut berstatus %(now)s tidak dapat menjadi %(to)s.") % {
                    "now": tindak_lanjut.get_status_display(),
                    "to": StatusTindakLanjut(status).label,
                },
                "invalid_state", "status",
            )
        penerus = None
        if status == StatusTindakLanjut.DIALIHKAN:
            penerus = _hand_over(tindak_lanjut, ke_instansi_id)
        elif ke_instansi_id:
            raise _error(_("Instansi tujuan hanya untuk pengalihan."), "invalid", "ke_instansi")
        now = timezone.now()
        langkah = LangkahTindakLanjut.objects.create(
            tindak_lanjut=tindak_lanjut, status=status, catatan=catatan, oleh=user, waktu=now
        )
        for item in built:
            row = LampiranLangkah(
                langkah=langkah, berkas=item.berkas, nama_asli=item.nama_asli, jenis=item.jenis,
                mime=item.mime, ukuran=item.ukuran,
            )
            row.save()
            written.append(row.berkas.name)
        tindak_lanjut.status = status
        tindak_lanjut.diperbarui = now
        tindak_lanjut.save(update_fields=["status", "diperbarui"])
        if penerus is not None:
            access.sync(laporan.pk)
        detail = {
            "disposisi_id": tindak_lanjut.disposisi_id,
            "tindak_lanjut_id": tindak_lanjut.pk,
            "instansi": {"id": tindak_lanjut.instansi_id, "nama": tindak_lanjut.instansi.nama},
            "status": status,
            "dialihkan_ke": (
                {"id": penerus.instansi_id, "nama": penerus.instansi.nama, "tindak_lanjut_id":
                 penerus.pk} if penerus else None
            ),
        }
        log(instance=laporan, action=STEP_ACTION, user=user,
            data={**detail, "catatan": catatan, "lampiran": len(built)})
        emit(events.followup_updated, laporan.pk, actor=user, comment=catatan, detail=detail)
        return langkah


def _hand_over(tindak_lanjut, ke_instansi_id):
    target = (
        Instansi.objects.filter(pk=ke_instansi_id, aktif=True).first()
        if parse_id(ke_instansi_id) is not None else None
    )
    if target is None:
        raise _error(_("Pilih instansi tujuan pengalihan yang aktif."), "required", "ke_instansi")
    if TindakLanjut.objects.filter(disposisi=tindak_lanjut.disposisi, instansi=target).exists():
        raise _error(
            _("%(instansi)s sudah menerima disposisi ini.") % {"instansi": target},
            "invalid", "ke_instansi",
        )
    return TindakLanjut.objects.create(
        disposisi=tindak_lanjut.disposisi, instansi=target, dialihkan_dari=tindak_lanjut
    )


# -- incidents -------------------------------------------------------------------

def may_link(user, laporan):
    """Administrators link any submitted report; a verifier only those of the
    kecamatan they verify."""
    if laporan.nomor is None:
        return False
    return laporan_policy.is_administrator(user) or (
        laporan.kecamatan_id in laporan_policy.verify_kecamatan_ids(user)
    )


def _lock_reports(pks, user):
    """Row-lock the reports in id order (no deadlock between two linkers)
    and check each against the policy."""
    reports = list(Laporan.objects.select_for_update().filter(pk__in=pks).order_by("pk"))
    if len(reports) != len(set(pks)):
        raise not_found()
    for laporan in reports:
        if not laporan_policy.user_can_view(user, laporan):
            raise not_found()
        if not may_link(user, laporan):
            raise PermissionDenied(
                _("Anda tidak dapat menautkan laporan %(nomor)s.") % {"nomor": laporan.nomor or
                                                                     laporan.pk}
            )
    return reports


def link(user, laporan_pks, *, kejadian_pk=None, judul=""):
    """Link reports into an incident: a new one (with a title) or an existing
    one. A report already in another incident is refused."""
    pks = [p for p in dict.fromkeys(map(parse_id, laporan_pks or ())) if p is not None]
    if len(pks) != len(list(laporan_pks or ())) or not pks:
        raise _error(_("Pilih laporan yang akan ditautkan."), "required", "laporan")
    if kejadian_pk is None:
        judul = _text(judul, "judul")[:200]
        if len(pks) < 2:
            raise _error(_("Kejadian baru menautkan sedikitnya dua laporan."), "invalid", "laporan")
    with transaction.atomic():
        reports = _lock_reports(pks, user)
        if kejadian_pk is None:
            kejadian = Kejadian.objects.create(judul=judul, dibuat_oleh=user)
        else:
            kejadian = Kejadian.objects.select_for_update().filter(pk=kejadian_pk).first() \
                if parse_id(kejadian_pk) is not None else None
            if kejadian is None:
                raise _error(_("Kejadian tidak ditemukan."), "not_found", "kejadian")
            members = list(
                Laporan.objects.filter(tautan_kejadian__kejadian=kejadian).order_by("pk")
            )
            # An incident none of whose reports the user may see does not
            # exist for them, like a report (its id confirms nothing).
            if not laporan_policy.is_administrator(user) and not any(
                laporan_policy.user_can_view(user, laporan) for laporan in members
            ):
                raise _error(_("Kejadian tidak ditemukan."), "not_found", "kejadian")
            for laporan in members:
                if not may_link(user, laporan):
                    raise PermissionDenied(
                        _("Kejadian ini memuat laporan kecamatan lain; hanya Administrator "
                          "yang dapat menambahkannya.")
                    )
        taken = dict(
            TautanKejadian.objects.filter(laporan_id__in=pks)
            .values_list("laporan_id", "kejadian_id")
        )
        clash = [r for r in reports if taken.get(r.pk) not in (None, kejadian.pk)]
        if clash:
            raise _error(
                _("Laporan %(nomor)s sudah tertaut ke kejadian lain.") % {"nomor": clash[0].nomor},
                "invalid_state", "laporan",
            )
        now = timezone.now()
        new = [r for r in reports if r.pk not in taken]
        TautanKejadian.objects.bulk_create(
            [TautanKejadian(kejadian=kejadian, laporan=r, oleh=user, waktu=now) for r in new]
        )
        Kejadian.objects.filter(pk=kejadian.pk).update(diperbarui=now)
        for laporan in new:
            detail = {"kejadian_id": kejadian.pk, "judul": kejadian.judul,
                      "status": kejadian.status}
            log(instance=laporan, action=LINK_ACTION, user=user, data=detail)
            emit(events.incident_linked, laporan.pk, actor=user, detail=detail)
        return kejadian


def unlink(user, laporan_pk):
    with transaction.atomic():
        (laporan,) = _lock_reports([laporan_pk], user)
        tautan = TautanKejadian.objects.select_related("kejadian").filter(laporan=laporan).first()
        if tautan is None:
            raise _error(_("Laporan ini tidak tertaut ke kejadian."), "invalid_state")
        kejadian = tautan.kejadian
        tautan.delete()
        log(instance=laporan, action=UNLINK_ACTION, user=user,
            data={"kejadian_id": kejadian.pk, "judul": kejadian.judul})
        return kejadian


def _incident_members(kejadian_pk):
    return list(
        TautanKejadian.objects.filter(kejadian_id=kejadian_pk)
        .order_by("laporan_id").values_list("laporan_id", flat=True)
    )


def set_incident_status(user, kejadian_pk, status):
    """Mark an incident selesai (or aktif again): whoever may link every one
    of its reports. The reports are locked before the incident, in id order,
    as `link` does, so the two never wait on each other crosswise."""
    if status not in StatusKejadian.values:
        raise _error(_("Status kejadian tidak dikenal."), "invalid", "status")
    kejadian_pk = parse_id(kejadian_pk)
    missing = _error(_("Kejadian tidak ditemukan."), "not_found", "kejadian")
    if kejadian_pk is None:
        raise missing
    with transaction.atomic():
        pks = _incident_members(kejadian_pk)
        reports = list(Laporan.objects.select_for_update().filter(pk__in=pks).order_by("pk"))
        # Like a report: an incident none of whose reports the user may see
        # does not exist for them.
        if not laporan_policy.is_administrator(user) and not any(
            laporan_policy.user_can_view(user, laporan) for laporan in reports
        ):
            raise missing
        kejadian = Kejadian.objects.select_for_update().filter(pk=kejadian_pk).first()
        if kejadian is None:
            raise missing
        # Read again under the incident's lock: a report linked meanwhile
        # counts too (its linker held its row and then waited for ours).
        if _incident_members(kejadian_pk) != pks:
            reports = list(Laporan.objects.filter(tautan_kejadian__kejadian_id=kejadian_pk)
                           .order_by("pk"))
        for laporan in reports:
            if not may_link(user, laporan):
                raise PermissionDenied(
                    _("Kejadian ini memuat laporan yang tidak dapat Anda tautkan; hanya "
                      "Administrator yang dapat mengubah statusnya.")
                )
        if kejadian.status == status:
            raise _error(
                _("Kejadian ini sudah berstatus %(status)s.")
                % {"status": StatusKejadian(status).label}, "invalid_state", "status",
            )
        kejadian.status = status
        kejadian.diperbarui = timezone.now()
        kejadian.save(update_fields=["status", "diperbarui"])
        for laporan in reports:
            log(instance=laporan, action=INCIDENT_STATUS_ACTION, user=user,
                data={"kejadian_id": kejadian.pk, "judul": kejadian.judul, "status": status})
        return kejadian
