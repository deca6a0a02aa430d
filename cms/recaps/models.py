"""Recaps in two tiers (*berjenjang*): a recap per kecamatan and period,
completed by its verifier and approved by Kesbangpol; and a recap of the
regency per period, approved and signed by the signer configured in the
site settings. Both are snippets with Wagtail's workflow, draft, revision
and lock mixins, as reports are; state changes go through
cms/recaps/transitions.py."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, Task, WorkflowMixin

from cms.platform.outbox import OutboxDelivery
from cms.reports.storage import private_storage

from .periods import Cadence, Period


class StatusRekap(models.TextChoices):
    DRAF = "draf", _("Draf")
    MENUNGGU = "menunggu", _("Menunggu persetujuan")
    PERLU_PERBAIKAN = "perlu_perbaikan", _("Perlu perbaikan")
    DISETUJUI = "disetujui", _("Disetujui")
    DITANDATANGANI = "ditandatangani", _("Ditandatangani")


FINAL = (StatusRekap.DISETUJUI, StatusRekap.DITANDATANGANI)
EDITABLE = (StatusRekap.DRAF, StatusRekap.PERLU_PERBAIKAN)


class Rekap(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model):
    periode = models.CharField(_("periode"), max_length=10, choices=Cadence)
    periode_mulai = models.DateField(_("awal periode (WITA)"))
    # The period as instants, so queries compare report times without
    # truncating dates in the database's time zone.
    mulai = models.DateTimeField(_("mulai"), editable=False)
    selesai = models.DateTimeField(_("selesai"), editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=StatusRekap, default=StatusRekap.DRAF,
        editable=False, db_index=True,
    )

    situasi_umum = models.TextField(
        _("situasi umum"), blank=True,
        help_text=_("Gambaran umum keadaan wilayah selama periode ini."),
    )
    penilaian = models.TextField(_("penilaian / analisis"), blank=True)
    rekomendasi = models.TextField(_("rekomendasi"), blank=True)

    nomor = models.CharField(
        _("nomor dokumen"), max_length=80, unique=True, null=True, blank=True, editable=False
    )
    tahun_nomor = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    urut_nomor = models.PositiveIntegerField(null=True, blank=True, editable=False)

    isi_beku = models.JSONField(
        _("isi yang dibekukan"), null=True, blank=True, editable=False,
        help_text=_("Isi dokumen saat disetujui; perubahan laporan sesudahnya tidak mengubahnya."),
    )
    checksum = models.CharField(_("checksum SHA-256"), max_length=64, blank=True, editable=False)
    disetujui_pada = models.DateTimeField(
        _("disetujui pada"), null=True, blank=True, editable=False
    )
    disetujui_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", editable=False, verbose_name=_("disetujui oleh"),
    )

    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)
    diperbarui = models.DateTimeField(_("diperbarui"), auto_now=True)

    # What belongs to the record, not to the editable narrative: publishing a
    # revision must never roll it back.
    RECORD_FIELDS = (
        "status", "nomor", "tahun_nomor", "urut_nomor", "isi_beku", "checksum",
        "disetujui_pada", "disetujui_oleh_id", "mulai", "selesai",
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.periode and self.periode_mulai:
            self.mulai, self.selesai = self.period.start, self.period.end
        super().save(*args, **kwargs)

    @property
    def period(self):
        return Period(self.periode, self.periode_mulai)

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        for field in self.RECORD_FIELDS:
            setattr(obj, field, getattr(self, field))
        return obj

    @property
    def is_final(self):
        return self.status in FINAL

    @property
    def title(self):
        return f"{_('Rekap')} {self.get_periode_display().lower()} {self.wilayah} — " \
               f"{self.period.label}"



class RekapKecamatan(Rekap):
    kecamatan = models.ForeignKey(
        "reports.Kecamatan", on_delete=models.PROTECT, related_name="rekap",
        verbose_name=_("kecamatan"),
    )

    panels = [
        FieldPanel("situasi_umum"),
        FieldPanel("penilaian"),
        FieldPanel("rekomendasi"),
    ]

    class Meta:
        verbose_name = _("rekap kecamatan")
        verbose_name_plural = _("rekap kecamatan")
        ordering = ["-periode_mulai", "periode", "kecamatan__nama"]
        constraints = [
            models.UniqueConstraint(
                fields=["kecamatan", "periode", "periode_mulai"], name="unique_rekap_kecamatan"
            ),
        ]

    @property
    def wilayah(self):
        return f"Kecamatan {self.kecamatan}"

    def scope(self):
        return {"kecamatan_id": self.kecamatan_id}


class RekapKabupaten(Rekap):
    penandatangan = models.JSONField(
        _("penandatangan"), null=True, blank=True, editable=False,
        help_text=_("Nama, NIP dan jabatan penandatangan saat menandatangani."),
    )
    ditandatangani_pada = models.DateTimeField(
        _("ditandatangani pada"), null=True, blank=True, editable=False
    )
    ditandatangani_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", editable=False, verbose_name=_("ditandatangani oleh"),
    )

    wilayah = "Kabupaten Balangan"
    RECORD_FIELDS = (
        *Rekap.RECORD_FIELDS, "penandatangan", "ditandatangani_pada", "ditandatangani_oleh_id",
    )

    panels = [
        FieldPanel("situasi_umum"),
        FieldPanel("penilaian"),
        FieldPanel("rekomendasi"),
    ]

    class Meta:
        verbose_name = _("rekap kabupaten")
        verbose_name_plural = _("rekap kabupaten")
        ordering = ["-periode_mulai", "periode"]
        constraints = [
            models.UniqueConstraint(
                fields=["periode", "periode_mulai"], name="unique_rekap_kabupaten"
            ),
        ]

    def scope(self):
        return {}


class UrutanNomor(models.Model):
    """The yearly sequence of recap document numbers, one row per year,
    advanced under a row lock so two approvals never share a number."""

    tahun = models.PositiveSmallIntegerField(_("tahun"), unique=True)
    terakhir = models.PositiveIntegerField(_("nomor urut terakhir"), default=0)

    class Meta:
        verbose_name = _("urutan nomor rekap")
        verbose_name_plural = _("urutan nomor rekap")

    def __str__(self):
        return f"{self.tahun}: {self.terakhir}"


@register_setting(icon="doc-full")
class Penandatangan(BaseSiteSetting):
    """Letterhead and signer of the recap documents."""

    pengguna = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("akun penandatangan"),
        help_text=_("Administrator yang menyetujui dan menandatangani rekap kabupaten."),
    )
    nama = models.CharField(_("nama"), max_length=150, blank=True)
    nip = models.CharField(_("NIP"), max_length=30, blank=True)
    jabatan = models.CharField(
        _("jabatan"), max_length=150, default="Plt. Kepala Badan Kesbangpol"
    )
    tempat = models.CharField(_("tempat penandatanganan"), max_length=100, default="Paringin")
    kop = models.TextField(
        _("kop surat"),
        default=(
            "PEMERINTAH KABUPATEN BALANGAN\n"
            "BADAN KESATUAN BANGSA DAN POLITIK\n"
            "Jl. A. Yani Km. 3,5 Paringin, Kabupaten Balangan, Kalimantan Selatan"
        ),
        help_text=_("Satu baris per baris kop; baris pertama dan kedua dicetak tebal."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("logo"),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("pengguna"), FieldRowPanel([FieldPanel("nama"), FieldPanel("nip")]),
             FieldPanel("jabatan"), FieldPanel("tempat")],
            heading=_("Penandatangan"),
        ),
        MultiFieldPanel([FieldPanel("kop"), FieldPanel("logo")], heading=_("Kop surat")),
    ]

    class Meta:
        verbose_name = _("penandatangan dan kop surat rekap")

    @classmethod
    def current(cls):
        from wagtail.models import Site

        site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
        return cls.for_site(site)

    @property
    def kop_lines(self):
        return [line.strip() for line in self.kop.splitlines() if line.strip()]

    def snapshot(self):
        return {"nama": self.nama, "nip": self.nip, "jabatan": self.jabatan,
                "tempat": self.tempat}


class PersetujuanRekapTask(Task):
    """Approval of a recap: by an Administrator for a kecamatan recap, by the
    configured signer for the regency recap (approval is the signature).

    Who may decide comes from the recap permission policy; every decision,
    from the admin or elsewhere, goes through cms.recaps.transitions."""

    def _policy(self, obj):
        from .permissions import policy_for

        return policy_for(obj)

    def user_can_access_editor(self, obj, user):
        return self._policy(obj).user_can_approve(user, obj)

    def locked_for_user(self, obj, user):
        return True

    def user_can_lock(self, obj, user):
        return False

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if not self._policy(obj).user_can_approve(user, obj):
            return []
        approve = _("Setujui dan tandatangani") if isinstance(obj, RekapKabupaten) else _(
            "Setujui"
        )
        return [("reject", _("Kembalikan untuk perbaikan"), True), ("approve", approve, False)]

    def get_form_for_action(self, action):
        from .forms import KembalikanForm

        return KembalikanForm if action == "reject" else super().get_form_for_action(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        from . import transitions

        recap = task_state.workflow_state.content_object
        transitions.decide(recap, user, action_name, comment=kwargs.get("comment") or "")

    def record_decision(self, task_state, user, action_name, comment=""):
        """Wagtail's own bookkeeping of the decision (task and workflow state,
        audit entries); called by the transition service under its lock."""
        return super().on_action(task_state, user, action_name, comment=comment)

    @classmethod
    def get_description(cls):
        return _("Administrator menyetujui rekap; rekap kabupaten disetujui oleh penandatangan.")

    class Meta:
        verbose_name = _("tugas persetujuan rekap")
        verbose_name_plural = _("tugas persetujuan rekap")


def berkas_path(instance, filename):
    return f"rekap/{instance.tingkat}/{instance.rekap_id}/{filename}"


class BerkasRekap(OutboxDelivery):
    """One exported file of an approved recap (PDF, DOCX, XLSX): written
    once from the frozen document and kept, with the SHA-256 of its bytes, so
    every later download is the very file that was approved.

    The row is written in the approval's transaction and the file is made
    after the commit by the outbox engine (cms/platform/outbox.py): an
    exporter that fails (WeasyPrint, a full disk, a plugin switched off) is
    retried with backoff and never rolls the approval back."""

    rekap_kecamatan = models.ForeignKey(
        RekapKecamatan, null=True, blank=True, on_delete=models.CASCADE, related_name="berkas",
    )
    rekap_kabupaten = models.ForeignKey(
        RekapKabupaten, null=True, blank=True, on_delete=models.CASCADE, related_name="berkas",
    )
    format = models.CharField(_("format"), max_length=10)
    berkas = models.FileField(
        _("berkas"), upload_to=berkas_path, storage=private_storage, blank=True, max_length=255,
    )
    checksum = models.CharField(_("checksum SHA-256"), max_length=64, blank=True)
    ukuran = models.PositiveBigIntegerField(_("ukuran (bita)"), default=0)
    content_type = models.CharField(_("tipe MIME"), max_length=100, blank=True)
    dibuat = models.DateTimeField(_("dibuat"), default=timezone.now)

    outbox_kind = "recap_files"
    outbox_result_fields = ("berkas", "checksum", "ukuran", "content_type")

    class Meta(OutboxDelivery.Meta):
        verbose_name = _("berkas rekap")
        verbose_name_plural = _("berkas rekap")
        constraints = [
            models.UniqueConstraint(
                fields=["rekap_kecamatan", "format"], name="berkas_rekap_kecamatan_sekali",
            ),
            models.UniqueConstraint(
                fields=["rekap_kabupaten", "format"], name="berkas_rekap_kabupaten_sekali",
            ),
            models.CheckConstraint(
                condition=models.Q(rekap_kecamatan__isnull=True, rekap_kabupaten__isnull=False)
                | models.Q(rekap_kecamatan__isnull=False, rekap_kabupaten__isnull=True),
                name="berkas_rekap_satu_tingkat",
            ),
        ]

    def __str__(self):
        return f"{self.rekap} · {self.format}"

    @property
    def rekap(self):
        return self.rekap_kecamatan or self.rekap_kabupaten

    @property
    def tingkat(self):
        return "kecamatan" if self.rekap_kecamatan_id else "kabupaten"

    @property
    def rekap_id(self):
        return self.rekap_kecamatan_id or self.rekap_kabupaten_id

    @property
    def ready(self):
        return bool(self.berkas) and bool(self.checksum)

    def send(self):
        from .files import store

        store(self)
