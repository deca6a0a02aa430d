"""From report to action: partner agencies (Instansi), dispositions
(Disposisi) to them, each agency's follow-up (TindakLanjut) with its steps,
verification reminders sent, and incidents (Kejadian) that link reports of
one event.

State changes of dispositions, follow-ups and incidents go through
cms/followup/transitions.py only."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from cms.reports.models import Kecamatan, Laporan
from cms.reports.storage import private_storage


class JenisInstansi(models.TextChoices):
    KEPOLISIAN = "kepolisian", _("Kepolisian")
    TNI = "tni", _("TNI")
    KEBENCANAAN = "kebencanaan", _("Penanggulangan bencana")
    KETERTIBAN = "ketertiban", _("Ketertiban umum dan pemadam kebakaran")
    DINAS = "dinas", _("Perangkat daerah")
    KEJAKSAAN = "kejaksaan", _("Kejaksaan")
    KECAMATAN = "kecamatan", _("Camat")
    LAINNYA = "lainnya", _("Lainnya")


class Instansi(models.Model):
    """A partner agency a report can be forwarded to. Its members (accounts
    in the role group Instansi) see only the reports forwarded to it."""

    nama = models.CharField(_("nama"), max_length=200, unique=True)
    singkatan = models.CharField(_("singkatan"), max_length=50, blank=True)
    jenis = models.CharField(_("jenis"), max_length=20, choices=JenisInstansi)
    kecamatan = models.ForeignKey(
        Kecamatan,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instansi",
        verbose_name=_("kecamatan"),
        help_text=_("Untuk Camat: kecamatan wilayahnya."),
    )
    anggota = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="instansi",
        verbose_name=_("anggota"),
        help_text=_(
            "Akun yang menerima disposisi untuk instansi ini. Hanya akun dengan peran "
            "Instansi yang dapat melihat laporan yang diteruskan."
        ),
    )
    aktif = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["nama"]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")

    def __str__(self):
        return self.singkatan or self.nama


class Prioritas(models.TextChoices):
    BIASA = "biasa", _("Biasa")
    SEGERA = "segera", _("Segera")
    SANGAT_SEGERA = "sangat_segera", _("Sangat segera")


class Disposisi(models.Model):
    """An order of the leadership on a verified report: an instruction to one
    or more agencies, with a priority and a due date."""

    laporan = models.ForeignKey(
        Laporan, on_delete=models.CASCADE, related_name="disposisi", verbose_name=_("laporan")
    )
    instruksi = models.TextField(_("instruksi"))
    prioritas = models.CharField(
        _("prioritas"), max_length=20, choices=Prioritas, default=Prioritas.BIASA
    )
    batas_waktu = models.DateTimeField(_("batas waktu"))
    bagikan_terbatas = models.BooleanField(
        _("bagikan informasi terbatas"),
        default=False,
        help_text=_(
            "Bila dicentang, instansi tujuan juga melihat identitas pelapor dan sumber "
            "informasi."
        ),
    )
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("pemberi disposisi"),
    )
    dibuat = models.DateTimeField(_("dibuat"), default=timezone.now)
    dicabut_pada = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    dicabut_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("dicabut oleh"),
    )
    alasan_pencabutan = models.TextField(_("alasan pencabutan"), blank=True)

    class Meta:
        ordering = ["-dibuat", "-pk"]
        verbose_name = _("disposisi")
        verbose_name_plural = _("disposisi")

    def __str__(self):
        return f"{self.laporan.nomor} · {self.get_prioritas_display()}"

    @property
    def aktif(self):
        return self.dicabut_pada is None


class StatusTindakLanjut(models.TextChoices):
    TERKIRIM = "terkirim", _("Belum diterima")
    DITERIMA = "diterima", _("Diterima")
    DITANGANI = "ditangani", _("Sedang ditangani")
    SELESAI = "selesai", _("Selesai")
    DIALIHKAN = "dialihkan", _("Dialihkan")


# What may follow what. Closing (selesai) and handing over (dialihkan) end an
# agency's follow-up; the agency that takes over starts its own.
NEXT_STATUS = {
    StatusTindakLanjut.TERKIRIM: {
        StatusTindakLanjut.DITERIMA, StatusTindakLanjut.DIALIHKAN,
    },
    StatusTindakLanjut.DITERIMA: {
        StatusTindakLanjut.DITANGANI, StatusTindakLanjut.SELESAI, StatusTindakLanjut.DIALIHKAN,
    },
    StatusTindakLanjut.DITANGANI: {
        StatusTindakLanjut.DITANGANI, StatusTindakLanjut.SELESAI, StatusTindakLanjut.DIALIHKAN,
    },
    StatusTindakLanjut.SELESAI: set(),
    StatusTindakLanjut.DIALIHKAN: set(),
}
OPEN_STATUSES = (
    StatusTindakLanjut.TERKIRIM, StatusTindakLanjut.DITERIMA, StatusTindakLanjut.DITANGANI
)


class TindakLanjut(models.Model):
    """One addressed agency's follow-up of a disposition."""

    disposisi = models.ForeignKey(
        Disposisi, on_delete=models.CASCADE, related_name="tindak_lanjut",
        verbose_name=_("disposisi"),
    )
    instansi = models.ForeignKey(
        Instansi, on_delete=models.PROTECT, related_name="tindak_lanjut",
        verbose_name=_("instansi"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=StatusTindakLanjut,
        default=StatusTindakLanjut.TERKIRIM,
    )
    dialihkan_dari = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("dialihkan dari"),
    )
    diperbarui = models.DateTimeField(_("diperbarui"), default=timezone.now)

    class Meta:
        ordering = ["disposisi", "pk"]
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        constraints = [
            models.UniqueConstraint(
                fields=["disposisi", "instansi"], name="unique_tindak_lanjut_per_instansi"
            )
        ]
        indexes = [models.Index(fields=["instansi", "status"])]

    def __str__(self):
        return f"{self.instansi} · {self.get_status_display()}"

    @property
    def terbuka(self):
        return self.status in OPEN_STATUSES


class LangkahTindakLanjut(models.Model):
    """One step of an agency's follow-up, with its note: who, when, to which
    status."""

    tindak_lanjut = models.ForeignKey(
        TindakLanjut, on_delete=models.CASCADE, related_name="langkah",
        verbose_name=_("tindak lanjut"),
    )
    status = models.CharField(_("status"), max_length=20, choices=StatusTindakLanjut)
    catatan = models.TextField(_("catatan"))
    oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("oleh"),
    )
    waktu = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        ordering = ["waktu", "pk"]
        verbose_name = _("langkah tindak lanjut")
        verbose_name_plural = _("langkah tindak lanjut")

    def __str__(self):
        return f"{self.get_status_display()} · {self.waktu:%Y-%m-%d %H:%M}"


def lampiran_langkah_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"tindak-lanjut/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class LampiranLangkah(models.Model):
    """A photo or document of a follow-up step: checked by content like a
    report's, stored privately, served only through the checked view."""

    langkah = models.ForeignKey(
        LangkahTindakLanjut, on_delete=models.CASCADE, related_name="lampiran",
        verbose_name=_("langkah"),
    )
    berkas = models.FileField(
        _("berkas"), upload_to=lampiran_langkah_path, storage=private_storage
    )
    nama_asli = models.CharField(_("nama berkas asli"), max_length=255, blank=True)
    jenis = models.CharField(_("jenis"), max_length=10)
    mime = models.CharField(_("tipe MIME"), max_length=100)
    ukuran = models.PositiveIntegerField(_("ukuran (bita)"), default=0)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("lampiran tindak lanjut")
        verbose_name_plural = _("lampiran tindak lanjut")

    def __str__(self):
        return self.nama_asli or self.berkas.name


# Direct foreign-key object-permission tables for reports (as for Kecamatan):
# an Instansi member holds `reports.view_laporan` on each report forwarded to
# their agency, granted and revoked only by cms.followup.access.
class LaporanUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Laporan, on_delete=models.CASCADE)


class LaporanGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Laporan, on_delete=models.CASCADE)


class TahapPengingat(models.TextChoices):
    PENGINGAT = "pengingat", _("Pengingat kepada verifikator (setengah batas waktu)")
    ESKALASI = "eskalasi", _("Eskalasi kepada Administrator (batas waktu lewat)")


class PengingatVerifikasi(models.Model):
    """A verification reminder that was sent: at most one per report, round
    of verification (task state) and stage. Written in the same transaction
    as its notification rows, so two sweepers can never both send it."""

    laporan = models.ForeignKey(Laporan, on_delete=models.CASCADE, related_name="+")
    task_state = models.ForeignKey(
        "wagtailcore.TaskState", on_delete=models.CASCADE, related_name="+"
    )
    tahap = models.CharField(_("tahap"), max_length=10, choices=TahapPengingat)
    dikirim = models.DateTimeField(_("dikirim"), default=timezone.now)

    class Meta:
        verbose_name = _("pengingat verifikasi")
        verbose_name_plural = _("pengingat verifikasi")
        constraints = [
            models.UniqueConstraint(
                fields=["laporan", "task_state", "tahap"], name="unique_pengingat_verifikasi"
            )
        ]

    def __str__(self):
        return f"{self.laporan_id} · {self.tahap}"


class TahapTindakLanjut(models.TextChoices):
    INSTANSI = "instansi", _("Pengingat kepada instansi (batas waktu lewat)")
    PEMBERI = "pemberi", _("Eskalasi kepada pemberi disposisi")


class PengingatTindakLanjut(models.Model):
    """An overdue follow-up's reminder that was sent: to the agency when the
    due date passes, then to the issuer; once each, like PengingatVerifikasi."""

    tindak_lanjut = models.ForeignKey(TindakLanjut, on_delete=models.CASCADE, related_name="+")
    tahap = models.CharField(_("tahap"), max_length=10, choices=TahapTindakLanjut)
    dikirim = models.DateTimeField(_("dikirim"), default=timezone.now)

    class Meta:
        verbose_name = _("pengingat tindak lanjut")
        verbose_name_plural = _("pengingat tindak lanjut")
        constraints = [
            models.UniqueConstraint(
                fields=["tindak_lanjut", "tahap"], name="unique_pengingat_tindak_lanjut"
            )
        ]

    def __str__(self):
        return f"{self.tindak_lanjut_id} · {self.tahap}"


class StatusKejadian(models.TextChoices):
    AKTIF = "aktif", _("Aktif")
    SELESAI = "selesai", _("Selesai")


class Kejadian(models.Model):
    """One event several reports describe (two officers reporting the same
    flood): linked by a verifier, counted once in recaps."""

    judul = models.CharField(_("judul"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=StatusKejadian, default=StatusKejadian.AKTIF
    )
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    dibuat = models.DateTimeField(_("dibuat"), default=timezone.now)
    diperbarui = models.DateTimeField(_("diperbarui"), default=timezone.now)

    class Meta:
        ordering = ["-diperbarui", "-pk"]
        verbose_name = _("kejadian")
        verbose_name_plural = _("kejadian")

    def __str__(self):
        return self.judul

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("followup:kejadian", args=[self.pk])


class TautanKejadian(models.Model):
    """A report belongs to at most one incident."""

    kejadian = models.ForeignKey(
        Kejadian, on_delete=models.CASCADE, related_name="tautan", verbose_name=_("kejadian")
    )
    laporan = models.OneToOneField(
        Laporan, on_delete=models.CASCADE, related_name="tautan_kejadian",
        verbose_name=_("laporan"),
    )
    oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("ditautkan oleh"),
    )
    waktu = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        ordering = ["waktu", "pk"]
        verbose_name = _("tautan kejadian")
        verbose_name_plural = _("tautan kejadian")

    def __str__(self):
        return f"{self.kejadian} ← {self.laporan_id}"
