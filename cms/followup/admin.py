"""Agencies in *Data induk* (registered in the master-data group of
cms/reports/wagtail_hooks.py)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail_modeladmin.options import ModelAdmin

from .forms import InstansiForm
from .models import Instansi


class InstansiAdmin(ModelAdmin):
    model = Instansi
    menu_label = _("Instansi")
    menu_icon = "group"
    list_display = ("nama", "singkatan", "jenis", "kecamatan", "aktif")
    list_filter = ("jenis", "aktif")
    list_select_related = ("kecamatan",)
    search_fields = ("nama", "singkatan")
    edit_handler = ObjectList(
        [
            FieldPanel("nama"),
            FieldRowPanel([FieldPanel("singkatan"), FieldPanel("jenis")]),
            FieldRowPanel([FieldPanel("kecamatan"), FieldPanel("aktif")]),
            FieldPanel("anggota"),
        ],
        base_form_class=InstansiForm,
    )
