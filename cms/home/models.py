from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    intro = RichTextField(_("pengantar"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "news.NewsIndexPage", "facilities.FacilityIndexPage", "home.RingkasanBulananIndexPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("beranda")

    def get_context(self, request, *args, **kwargs):
        # Imported here: home sits above news and facilities in the tree and
        # must not import them at module load.
        from django.contrib.auth.models import AnonymousUser

        from cms.facilities.models import FacilityPage
        from cms.news.models import NewsPage
        from cms.reports.views import published_reports

        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = (
            NewsPage.objects.live().public().select_related("lead_image").order_by("-date")[:3]
        )
        context["facilities"] = (
            FacilityPage.objects.live().public().select_related("kecamatan").order_by("title")[:6]
        )
        # Public reports only, whoever is looking: the home page may be cached.
        context["published_reports"] = (
            published_reports(AnonymousUser()).order_by("-first_published_at", "-pk")[:5]
        )
        return context


class RingkasanBulananIndexPage(Page):
    """The list of the public monthly summaries, newest first."""

    intro = RichTextField(_("pengantar"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.RingkasanBulananPage"]
    max_count = 1

    class Meta:
        verbose_name = _("indeks ringkasan bulanan")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["ringkasan"] = (
            RingkasanBulananPage.objects.live().public().child_of(self)
            .order_by("-periode_mulai")
        )
        return context


class RingkasanBulananPage(Page):
    """The public summary of one month, published by the system when the
    regency's monthly recap is signed (cms/home/summaries.py). It holds counts
    of *public* verified reports only: no report, name or restricted detail."""

    periode_mulai = models.DateField(_("bulan"), unique=True, editable=False)
    ringkasan = models.JSONField(_("ringkasan"), default=dict, editable=False)
    intro = RichTextField(_("pengantar"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.RingkasanBulananIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("ringkasan bulanan")
        verbose_name_plural = _("ringkasan bulanan")

    def get_context(self, request, *args, **kwargs):
        from .summaries import chart

        context = super().get_context(request, *args, **kwargs)
        context["aspek_chart"] = chart(self.ringkasan.get("aspek", []))
        context["kecamatan_chart"] = chart(self.ringkasan.get("kecamatan", []))
        return context


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """Contact details shown in the footer of the public site, and the
    regency's identity on the admin and its sign-in page."""

    instansi = models.CharField(
        _("instansi"), max_length=200, default="Badan Kesbangpol Kabupaten Balangan"
    )
    alamat = models.TextField(_("alamat"), blank=True)
    telepon = models.CharField(_("telepon"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    nomor_darurat = models.CharField(
        _("nomor darurat"), max_length=100, blank=True, default="112"
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
        help_text=_(
            "Lambang daerah atau logo instansi, di menu admin dan halaman masuk. "
            "Kosong: logo SIKANDA."
        ),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("instansi"), FieldPanel("alamat"), FieldPanel("telepon"),
             FieldPanel("email"), FieldPanel("nomor_darurat")],
            heading=_("Kontak"),
        ),
        MultiFieldPanel([FieldPanel("logo")], heading=_("Identitas")),
    ]

    class Meta:
        verbose_name = _("pengaturan situs")
