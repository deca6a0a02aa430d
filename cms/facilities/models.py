from decimal import Decimal

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index


class FacilityKind(models.TextChoices):
    KANTOR_POLISI = "kantor_polisi", _("Kantor polisi")
    KORAMIL = "koramil", _("Koramil")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    RUMAH_SAKIT = "rumah_sakit", _("Rumah sakit")
    KANTOR_CAMAT = "kantor_camat", _("Kantor camat")
    POS_DAMKAR = "pos_damkar", _("Pos pemadam kebakaran")
    KANTOR_DESA = "kantor_desa", _("Kantor desa/kelurahan")
    LAINNYA = "lainnya", _("Lainnya")


latitude_validators = [MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))]
longitude_validators = [MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))]


class FacilityIndexPage(Page):
    parent_page_types = ["home.HomePage"]
    subpage_types = ["facilities.FacilityPage"]
    max_count = 1
    per_page = 12

    class Meta:
        verbose_name = _("indeks fasilitas")

    def get_context(self, request, *args, **kwargs):
        from cms.reports.models import Kecamatan

        context = super().get_context(request, *args, **kwargs)
        facilities = (
            FacilityPage.objects.live().public().child_of(self)
            .select_related("kecamatan", "photo").order_by("title")
        )
        kind = request.GET.get("jenis", "")
        if kind in FacilityKind.values:
            facilities = facilities.filter(kind=kind)
        kecamatan = request.GET.get("kecamatan", "")
        if kecamatan:
            facilities = facilities.filter(kecamatan__slug=kecamatan)
        paginator = Paginator(facilities, self.per_page)
        try:
            page = paginator.page(request.GET.get("halaman", 1))
        except PageNotAnInteger:
            page = paginator.page(1)
        except EmptyPage:
            page = paginator.page(paginator.num_pages)
        context.update(
            facilities=page,
            kinds=FacilityKind.choices,
            kecamatan_list=Kecamatan.objects.all(),
            active_kind=kind,
            active_kecamatan=kecamatan,
        )
        return context


class FacilityPage(Page):
    kind = models.CharField(_("jenis"), max_length=20, choices=FacilityKind)
    kecamatan = models.ForeignKey(
        "reports.Kecamatan", on_delete=models.PROTECT, related_name="facilities",
        verbose_name=_("kecamatan"),
    )
    address = models.TextField(_("alamat"))
    latitude = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=latitude_validators,
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=longitude_validators,
    )
    phone = models.CharField(_("telepon"), max_length=50, blank=True)
    opening_hours = models.CharField(
        _("jam layanan"), max_length=200, blank=True,
        help_text=_("Mis. Senin–Jumat 08.00–16.00, atau 24 jam."),
    )
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("foto"),
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("kecamatan")]),
        FieldPanel("address"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")])],
            heading=_("Koordinat"),
        ),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("opening_hours")]),
        FieldPanel("photo"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("address"),
        index.FilterField("kind"),
        index.FilterField("kecamatan"),
        index.RelatedFields("kecamatan", [index.SearchField("nama")]),
    ]
    parent_page_types = ["facilities.FacilityIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("fasilitas")
        verbose_name_plural = _("fasilitas")

    @property
    def has_location(self):
        return self.latitude is not None and self.longitude is not None
