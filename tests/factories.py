"""Builders shared by the tests: each makes only what a test asks for."""

import io
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from cms.facilities.models import FacilityIndexPage, FacilityKind, FacilityPage
from cms.home.models import HomePage
from cms.news.models import NewsCategory, NewsIndexPage, NewsPage
from cms.reports.assignments import FILE_REPORT, VERIFY_REPORT, assign
from cms.reports.models import Kecamatan

PASSWORD = "rahasia-uji-123"
_counter = itertools.count(1)


def make_user(role=None, username=None, kecamatan=(), **fields):
    from cms.accounts import roles

    username = username or f"user{next(_counter)}"
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **fields)
    if role:
        user.groups.add(Group.objects.get(name=role))
    if kecamatan:
        perm = VERIFY_REPORT if role == roles.VERIFIKATOR else FILE_REPORT
        assign(user, perm, *kecamatan)
    return user


def kecamatan(slug="paringin"):
    return Kecamatan.objects.get(slug=slug)


def home_page():
    return HomePage.objects.get()


def make_image(title="Foto"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), "#0b5d3b").save(buffer, "PNG")
    image = get_image_model()(title=title)
    image.file = ImageFile(buffer, name=f"{title.lower().replace(' ', '-')}.png")
    image.save()
    return image


def news_index():
    index = NewsIndexPage.objects.first()
    return index or home_page().add_child(instance=NewsIndexPage(title="Berita", slug="berita"))


def make_news(title="Rapat koordinasi", category=None, **fields):
    if isinstance(category, str):
        category = NewsCategory.objects.get_or_create(nama=category, slug=category.lower())[0]
    page = NewsPage(
        title=title,
        summary=fields.pop("summary", f"Ringkasan {title}"),
        body=fields.pop("body", f"<p>Isi {title}</p>"),
        category=category,
        **fields,
    )
    news_index().add_child(instance=page)
    return page


def facility_index():
    index = FacilityIndexPage.objects.first()
    return index or home_page().add_child(
        instance=FacilityIndexPage(title="Fasilitas", slug="fasilitas")
    )


def make_facility(
    title="Puskesmas Paringin", kind=FacilityKind.PUSKESMAS, kec="paringin", **fields
):
    fields.setdefault("address", "Jl. Pramuka, Paringin")
    page = FacilityPage(title=title, kind=kind, kecamatan=kecamatan(kec), **fields)
    facility_index().add_child(instance=page)
    return page
