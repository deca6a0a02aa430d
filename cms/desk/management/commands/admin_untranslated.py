"""Which of Wagtail's and Django's own strings the common admin screens show
in English to an Indonesian user.

Renders each screen as each admin role (and the sign-in page anonymously),
recording every msgid that gettext returned untranslated in Indonesian and
that belongs to Wagtail's or Django's catalogues (SIKANDA's own strings are
Indonesian in the source). Prints them as .po entries with empty msgstr,
ready to be translated into locale/id/LC_MESSAGES/django.po. Needs the demo
data (`manage.py load_demo_data`) in the database it runs against."""

import ast
import re
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

import django
import taggit
import wagtail
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.test import Client
from django.utils import translation
from django.utils.translation import trans_real

SCREENS = {
    "anonymous": ["/admin/login/", "/admin/password_reset/"],
    "verifikator.paringin": [
        "/admin/", "/admin/meja-verifikasi/", "/admin/meja-verifikasi/{report}/",
        "/admin/snippets/reports/laporan/", "/admin/snippets/reports/laporan/inspect/{report}/",
        "/admin/snippets/reports/laporan/edit/{report}/",
        "/admin/snippets/reports/laporan/history/{report}/", "/admin/account/",
        "/admin/snippets/recaps/rekapkecamatan/",
    ],
    "pimpinan": ["/admin/", "/admin/snippets/reports/laporan/", "/admin/account/"],
    "admin": [
        "/admin/", "/admin/meja-verifikasi/", "/admin/snippets/reports/laporan/",
        "/admin/snippets/reports/laporan/inspect/{report}/",
        "/admin/pages/", "/admin/pages/{news_index}/", "/admin/pages/{news}/edit/",
        "/admin/pages/add/news/newspage/{news_index}/", "/admin/pages/{facility}/edit/",
        "/admin/pages/add/facilities/facilitypage/{facility_index}/",
        "/admin/users/", "/admin/users/new/", "/admin/images/", "/admin/documents/",
        "/admin/plugin/", "/admin/reports/site-history/", "/admin/account/",
        "/admin/settings/home/sitesettings/",
    ],
}


def po_entries(path):
    """(msgctxt, msgid, msgid_plural) of each entry of a .po file, values
    joined across continuation lines."""
    entries, current, key = [], {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$", line)
        if match:
            key = match.group(1)
            if key in ("msgctxt", "msgid") and "msgstr" in "".join(current) and (
                key == "msgctxt" or "msgctxt" not in current or "msgid" in current
            ):
                entries.append(current)
                current = {}
            current[key] = ast.literal_eval(match.group(2))
        elif not line or line.startswith("#"):
            key = None
    entries.append(current)
    return [
        (entry.get("msgctxt", ""), entry["msgid"], entry.get("msgid_plural"))
        for entry in entries if entry.get("msgid")
    ]


def catalogue_msgids():
    """Every msgid of Wagtail's, Django's and django-taggit's English catalogues."""
    found = set()
    for package in (wagtail, django, taggit):
        root = Path(package.__file__).parent
        for po in root.rglob("locale/en/LC_MESSAGES/django*.po"):
            found.update((context, msgid) for context, msgid, _plural in po_entries(po))
    return found


@contextmanager
def recording(untranslated):
    originals = trans_real.gettext, trans_real.ngettext, trans_real.pgettext, trans_real.npgettext

    def gettext(message):
        result = originals[0](message)
        if result == message and trans_real.get_language() == "id":
            untranslated[("", message)] += 1
        return result

    def ngettext(singular, plural, number):
        result = originals[1](singular, plural, number)
        if result in (singular, plural) and trans_real.get_language() == "id":
            untranslated[("", singular)] += 1
        return result

    def pgettext(context, message):
        result = originals[2](context, message)
        if result == message and trans_real.get_language() == "id":
            untranslated[(context, message)] += 1
        return result

    def npgettext(context, singular, plural, number):
        result = originals[3](context, singular, plural, number)
        if result in (singular, plural) and trans_real.get_language() == "id":
            untranslated[(context, singular)] += 1
        return result

    patched = {"gettext": gettext, "ngettext": ngettext, "pgettext": pgettext,
               "npgettext": npgettext}
    # django.utils.translation caches the functions it delegates to on _trans.
    for name, function in patched.items():
        setattr(trans_real, name, function)
        setattr(translation._trans, name, function)
    try:
        yield
    finally:
        for name, function in zip(patched, originals, strict=True):
            setattr(trans_real, name, function)
            setattr(translation._trans, name, function)


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        from cms.facilities.models import FacilityPage
        from cms.news.models import NewsPage
        from cms.reports.models import Laporan

        news, facility = NewsPage.objects.first(), FacilityPage.objects.first()
        ids = {
            "report": Laporan.objects.filter(status="menunggu", kecamatan__slug="paringin")
            .order_by("pk").first().pk,
            "news": news.pk, "news_index": news.get_parent().pk,
            "facility": facility.pk, "facility_index": facility.get_parent().pk,
        }
        known = catalogue_msgids()
        untranslated = defaultdict(int)
        where = defaultdict(set)
        with recording(untranslated):
            for username, paths in SCREENS.items():
                client = Client(headers={"accept-language": "id"}, SERVER_NAME="127.0.0.1")
                if username != "anonymous":
                    client.force_login(get_user_model().objects.get(username=username))
                for path in paths:
                    before = set(untranslated)
                    url = path.format(**ids)
                    status = client.get(url).status_code
                    self.stderr.write(f"{status} {username} {url}")
                    for key in set(untranslated) - before:
                        where[key].add(url)
        for context, msgid in sorted(k for k in untranslated if k in known):
            self.stdout.write(f"#: {' '.join(sorted(where[(context, msgid)]))[:300]}")
            if context:
                self.stdout.write(f'msgctxt "{context}"')
            self.stdout.write(f'msgid "{msgid}"\nmsgstr ""\n')
