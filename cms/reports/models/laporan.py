import datetime
import uuid
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from ..storage import private_storage
from .regions import Desa, Kecamatan
from .taxonomy import Aspek, JenisATHG


class Periode(models.TextChoices):
    HARIAN = "harian", _("Harian")
    MINGGUAN = "mingguan", _("Mingguan")
    BULANAN = "bulanan", _("Bulanan")
    INSIDENTIL = "insidentil", _("Sewaktu-waktu (insidentil)")


class Urgensi(models.TextChoices):
    RENDAH = "rendah", _("Rendah")
    SEDANG = "sedang", _("Sedang")
    TINGGI = "tinggi", _("Tinggi")
    DARURAT = "darurat", _("Darurat")


# The verification queue's order (cms.desk.queue): lower is more urgent.
URGENCY_RANK = {
    Urgensi.DARURAT: 0,
    Urgensi.TINGGI: 1,
    Urgensi.SEDANG: 2,
    Urgensi.RENDAH: 3,
}


def urgency_rank():
    """The urgency as the queue sorts it. One expression for the queue's
    ORDER BY and its index (laporan_antrean_*): PostgreSQL uses an index on
    an expression only for that same expression."""
    return models.Case(
        *[models.When(urgensi=value, then=models.Value(rank))
          for value, rank in URGENCY_RANK.items()],
        default=models.Value(len(URGENCY_RANK)),
        output_field=models.IntegerField(),
    )


class Klasifikasi(models.TextChoices):
    PUBLIK = "publik", _("Publik")
    TERBATAS = "terbatas", _("Terbatas")


class Saluran(models.TextChoices):
    """How the report reached SIKANDA: from the officer's app, or recorded in
    the admin by Kesbangpol from a phone call, a letter or a visit."""

    APLIKASI = "aplikasi", _("Aplikasi SIKANDA")
    TELEPON = "telepon", _("Telepon")
    SURAT = "surat", _("Surat")
    LANGSUNG = "langsung", _("Disampaikan langsung")


class Status(models.TextChoices):
    """Where a report stands. Derived from Wagtail's workflow and publishing
    state and stored so lists can filter and index on it."""

    DRAF = "draf", _("Draf")
    MENUNGGU = "menunggu", _("Menunggu verifikasi")
    PERLU_PERBAIKAN = "perlu_perbaikan", _("Perlu perbaikan")
    TERVERIFIKASI = "terverifikasi", _("Terverifikasi")
    DITARIK = "ditarik", _("Ditarik")


class LaporanQuerySet(models.QuerySet):
    def public(self):
        """What anyone, signed in or not, may read."""
        return self.filter(live=True, klasifikasi=Klasifikasi.PUBLIK)

    def for_listing(self):
        return self.select_related("kecamatan", "desa", "aspek", "jenis_athg")


class Laporan(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    ClusterableModel,
):
    """A field officer's ATHG report in the uniform format.

    `live` means verified: a verifier approved it in the workflow. Verified
    *publik* reports are public; verified *terbatas* ones stay internal."""

    client_uuid = models.UUIDField(
        _("UUID klien"),
        default=uuid.uuid4,
        editable=False,
        help_text=_(
            "Dibuat oleh aplikasi; pengiriman ulang dengan UUID yang sama "
            "tidak menggandakan laporan."
        ),
    )
    pelapor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="laporan",
        verbose_name=_("pelapor"),
        editable=False,
    )
    nomor = models.CharField(
        _("nomor laporan"), max_length=40, unique=True, null=True, blank=True, editable=False
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status,
        default=Status.DRAF,
        editable=False,
        db_index=True,
    )

    judul = models.CharField(_("judul"), max_length=200)
    periode = models.CharField(
        _("periode laporan"), max_length=12, choices=Periode, default=Periode.INSIDENTIL
    )
    jenis_athg = models.ForeignKey(
        JenisATHG, on_delete=models.PROTECT, verbose_name=_("jenis ATHG")
    )
    aspek = models.ForeignKey(Aspek, on_delete=models.PROTECT, verbose_name=_("aspek"))
    urgensi = models.CharField(_("urgensi"), max_length=10, choices=Urgensi, default=Urgensi.SEDANG)
    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, related_name="laporan", verbose_name=_("kecamatan")
    )
    desa = models.ForeignKey(
        Desa,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="laporan",
        verbose_name=_("desa/kelurahan"),
    )
    latitude = models.DecimalField(
        _("lintang"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("bujur"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    akurasi_m = models.PositiveIntegerField(_("akurasi lokasi (meter)"), null=True, blank=True)
    waktu_kejadian = models.DateTimeField(_("waktu kejadian"))

    fakta = models.TextField(
        _("fakta-fakta"), help_text=_("Apa yang terjadi: siapa, apa, di mana, kapan, bagaimana.")
    )
    analisis = models.TextField(_("analisis / penilaian pelapor"), blank=True)
    rekomendasi = models.TextField(_("saran tindak"), blank=True)
    sumber_informasi = models.TextField(
        _("sumber informasi"),
        blank=True,
        help_text=_("Terbatas: tidak pernah ditampilkan kepada publik."),
    )
    klasifikasi = models.CharField(
        _("klasifikasi"), max_length=10, choices=Klasifikasi, default=Klasifikasi.TERBATAS
    )
    # Set once when the report is recorded (the admin create form offers it);
    # the edit form leaves it out.
    saluran = models.CharField(
        _("diterima melalui"), max_length=10, choices=Saluran, default=Saluran.APLIKASI
    )

    # A verified report taken down (cms.reports.transitions.retract): kept with
    # its history, answered 410 on the public site, cancelled in the CAP feed.
    ditarik_pada = models.DateTimeField(_("ditarik pada"), null=True, blank=True, editable=False)
    ditarik_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditarik oleh"),
        editable=False,
    )
    alasan_penarikan = models.TextField(_("alasan penarikan"), blank=True, editable=False)

    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)
    diperbarui = models.DateTimeField(_("diperbarui"), auto_now=True)
    # The server time lists order by ("newest first"): when the report was
    # created, then when it was first verified. It only ever moves forward,
    # so paging by it never repeats a report, and a backdated event time
    # cannot bury a new report deep in a list.
    terlihat_sejak = models.DateTimeField(
        _("terlihat sejak"),
        default=timezone.now,
        editable=False,
        help_text=_("Waktu server: dibuat, lalu saat pertama kali terverifikasi."),
    )

    # When the report last entered verification: the start of its current
    # verification task, set by the transition service at each submission and
    # resubmission. An administrator's correction while it waits leaves it,
    # so the correction does not push the report to the back of the queue.
    menunggu_sejak = models.DateTimeField(
        _("menunggu sejak"), null=True, blank=True, editable=False
    )

    objects = LaporanQuerySet.as_manager()

    search_fields = [
        index.SearchField("judul"),
        index.SearchField("fakta"),
        index.SearchField("nomor"),
        index.AutocompleteField("judul"),
        index.FilterField("kecamatan"),
        index.FilterField("aspek"),
        index.FilterField("jenis_athg"),
        index.FilterField("urgensi"),
        index.FilterField("status"),
        index.FilterField("live"),
        index.FilterField("klasifikasi"),
        index.FilterField("pelapor"),
        index.FilterField("waktu_kejadian"),
        index.FilterField("nomor"),
    ]

    # Fields that belong to the record, not to the officer's content: a
    # revision being published must never roll them back.
    RECORD_FIELDS = (
        "client_uuid", "pelapor_id", "nomor", "status", "saluran", "ditarik_pada",
        "ditarik_oleh_id", "alasan_penarikan", "terlihat_sejak", "menunggu_sejak",
    )

    class Meta:
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        ordering = ["-waktu_kejadian", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pelapor", "client_uuid"], name="unique_client_uuid_per_pelapor"
            ),
        ]
        indexes = [
            models.Index(fields=["live", "klasifikasi", "-waktu_kejadian"]),
            # The CAP feed (plugins/cap_alerts): public alerts newest first by
            # their own time, and public retractions. Partial, holding exactly
            # the rows each read wants, so the planner walks them newest first
            # and stops after a page instead of sorting every match (its row
            # estimates multiply the correlated conditions into almost nothing).
            models.Index(
                fields=["-last_published_at", "-id"],
                condition=models.Q(
                    live=True, klasifikasi=Klasifikasi.PUBLIK, nomor__isnull=False,
                    first_published_at__isnull=False,
                ),
                name="laporan_cap_feed_idx",
            ),
            models.Index(
                fields=["-ditarik_pada", "-id"],
                condition=models.Q(
                    live=False, klasifikasi=Klasifikasi.PUBLIK, nomor__isnull=False,
                    first_published_at__isnull=False, ditarik_pada__isnull=False,
                ),
                name="laporan_cap_cancel_idx",
            ),
            # One per ordering and filter the lists use (cms.reports.schema):
            # public lists, everything (administrator), a kecamatan (verifier
            # and filter), one officer's own reports, and event time.
            models.Index(
                fields=["live", "klasifikasi", "-terlihat_sejak", "-id"],
                name="laporan_publik_terlihat_idx",
            ),
            models.Index(fields=["-terlihat_sejak", "-id"], name="laporan_terlihat_idx"),
            models.Index(
                fields=["kecamatan", "-terlihat_sejak", "-id"], name="laporan_kec_terlihat_idx"
            ),
            models.Index(fields=["pelapor", "-dibuat", "-id"], name="laporan_pelapor_dibuat_idx"),
            models.Index(fields=["-waktu_kejadian", "-id"], name="laporan_kejadian_idx"),
            # The public archive filtered by kecamatan and aspek, in its order:
            # without it PostgreSQL walked the whole public list to find a
            # page of one kecamatan's aspek (issue 15, 0.5 s at 1M).
            models.Index(
                fields=["kecamatan", "aspek", "-waktu_kejadian", "-id"],
                name="laporan_kec_aspek_kejadian_idx",
            ),
            # The dashboard charts (cms/reports/charts.py): verified reports of
            # the last 30 days, counted per day and per kecamatan under each
            # role's policy. Every column those counts read is in the index, so
            # PostgreSQL answers from it alone instead of fetching a month of
            # rows from the table (a seq scan at 1M reports).
            models.Index(
                fields=["waktu_kejadian"],
                include=["kecamatan", "urgensi", "klasifikasi", "status", "pelapor", "nomor"],
                condition=models.Q(live=True),
                name="laporan_live_kejadian_idx",
            ),
            # The verification queue (cms.desk.queue) in its order, holding
            # only the waiting reports: its head is the first entries and its
            # count an index-only scan, instead of sorting every waiting
            # report per request (issue 15: 6,000 in Paringin at 1M). One per
            # kecamatan for verifiers (with the reporter, whom a verifier's
            # queue leaves out), one across them for administrators.
            models.Index(
                models.F("kecamatan"), urgency_rank(), models.F("menunggu_sejak"),
                models.F("id"),
                include=["pelapor"],
                condition=models.Q(status=Status.MENUNGGU),
                name="laporan_antrean_kec_idx",
            ),
            models.Index(
                urgency_rank(), models.F("menunggu_sejak"), models.F("id"),
                condition=models.Q(status=Status.MENUNGGU),
                name="laporan_antrean_idx",
            ),
        ]

    def __str__(self):
        return f"{self.nomor} — {self.judul}" if self.nomor else self.judul

    def clean(self):
        super().clean()
        errors = {}
        if self.waktu_kejadian and self.waktu_kejadian > timezone.now() + timezone.timedelta(
            minutes=5
        ):
            errors["waktu_kejadian"] = _("Waktu kejadian tidak boleh di masa depan.")
        elif self._state.adding and (problem := event_time_too_old(self.waktu_kejadian)):
            # Only for new reports: correcting an old report must stay possible.
            errors["waktu_kejadian"] = problem
        if problem := outside_bounding_box(self.latitude, self.longitude):
            errors["latitude"] = problem
        if self.desa_id and self.kecamatan_id and self.desa.kecamatan_id != self.kecamatan_id:
            errors["desa"] = _("Desa/kelurahan ini tidak berada di kecamatan yang dipilih.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Isi lintang dan bujur bersama-sama, atau kosongkan keduanya.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.first_published_at and self.terlihat_sejak < self.first_published_at:
            self.terlihat_sejak = self.first_published_at
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "terlihat_sejak"}
        super().save(*args, **kwargs)

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        for field in self.RECORD_FIELDS:
            setattr(obj, field, getattr(self, field))
        return obj

    def get_absolute_url(self):
        """The public page; it answers only for reports the viewer may see."""
        from django.urls import reverse

        return reverse("reports:detail", args=[self.pk])

    @property
    def is_retracted(self):
        return self.status == Status.DITARIK

    @property
    def is_public(self):
        return self.live and self.klasifikasi == Klasifikasi.PUBLIK

    @property
    def has_location(self):
        return self.latitude is not None and self.longitude is not None

    def get_preview_template(self, request, mode_name):
        return "reports/laporan_preview.html"


def event_time_too_old(waktu):
    """Why an event time is too far back to be a new report, or None
    (setting SIKANDA_EVENT_MAX_AGE_DAYS)."""
    days = settings.SIKANDA_EVENT_MAX_AGE_DAYS
    if waktu is None or not isinstance(waktu, datetime.datetime) or timezone.is_naive(waktu):
        return None
    if waktu < timezone.now() - datetime.timedelta(days=days):
        return _("Waktu kejadian lebih dari %(days)d hari yang lalu.") % {"days": days}
    return None


def outside_bounding_box(latitude, longitude):
    """Why a location is outside the area SIKANDA serves (setting
    SIKANDA_BOUNDING_BOX: Kalimantan Selatan), or None."""
    try:
        lat, lng = Decimal(str(latitude)), Decimal(str(longitude))
    except (InvalidOperation, ValueError):
        return None  # missing or malformed: the field validators say so
    if not (lat.is_finite() and lng.is_finite()):
        return None
    box = settings.SIKANDA_BOUNDING_BOX
    # Compared as decimals: the float -1.3 is a hair below the decimal -1.3.
    south, north, west, east = (Decimal(str(box[k])) for k in ("south", "north", "west", "east"))
    if south <= lat <= north and west <= lng <= east:
        return None
    return _(
        "Lokasi di luar wilayah layanan (lintang %(south)s s.d. %(north)s, "
        "bujur %(west)s s.d. %(east)s)."
    ) % box


def lampiran_path(instance, filename):
    # The stored name never carries the uploader's filename (it may hold names
    # of sources); the original is kept in `nama_asli`.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"laporan/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class Lampiran(Orderable):
    """A photo or document attached to a report. Stored outside MEDIA_ROOT;
    served only through the permission-checked view in cms.reports.views."""

    class Jenis(models.TextChoices):
        FOTO = "foto", _("Foto")
        DOKUMEN = "dokumen", _("Dokumen")

    laporan = ParentalKey(Laporan, on_delete=models.CASCADE, related_name="lampiran")
    berkas = models.FileField(_("berkas"), upload_to=lampiran_path, storage=private_storage)
    nama_asli = models.CharField(_("nama berkas asli"), max_length=255, blank=True)
    jenis = models.CharField(_("jenis"), max_length=10, choices=Jenis, editable=False)
    mime = models.CharField(_("tipe MIME"), max_length=100, editable=False)
    ukuran = models.PositiveIntegerField(_("ukuran (bita)"), editable=False, default=0)
    keterangan = models.CharField(_("keterangan"), max_length=255, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("lampiran")
        verbose_name_plural = _("lampiran")

    def __str__(self):
        return self.nama_asli or self.berkas.name


class PenilaianVerifikasi(models.Model):
    """The verifier's grading (Admiralty code), made at approval. Kept apart
    from the report's revisions: it is the verifier's judgement, not the
    officer's content."""

    class Keandalan(models.TextChoices):
        A = "A", _("A — Sepenuhnya andal")
        B = "B", _("B — Biasanya andal")
        C = "C", _("C — Cukup andal")
        D = "D", _("D — Biasanya tidak andal")
        E = "E", _("E — Tidak andal")
        F = "F", _("F — Keandalan tidak dapat dinilai")

    class Kredibilitas(models.TextChoices):
        SATU = "1", _("1 — Terkonfirmasi sumber lain")
        DUA = "2", _("2 — Kemungkinan benar")
        TIGA = "3", _("3 — Mungkin benar")
        EMPAT = "4", _("4 — Diragukan")
        LIMA = "5", _("5 — Tidak mungkin benar")
        ENAM = "6", _("6 — Kebenaran tidak dapat dinilai")

    laporan = models.OneToOneField(Laporan, on_delete=models.CASCADE, related_name="penilaian")
    keandalan_sumber = models.CharField(_("keandalan sumber"), max_length=1, choices=Keandalan)
    kredibilitas_informasi = models.CharField(
        _("kredibilitas informasi"), max_length=1, choices=Kredibilitas
    )
    verifikator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("verifikator"),
    )
    waktu = models.DateTimeField(_("waktu penilaian"), default=timezone.now)

    class Meta:
        verbose_name = _("penilaian verifikasi")
        verbose_name_plural = _("penilaian verifikasi")

    def __str__(self):
        return f"{self.keandalan_sumber}{self.kredibilitas_informasi}"
