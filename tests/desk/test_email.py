"""E-mail: Wagtail's own workflow emails are off; the email_notify plugin
sends SIKANDA's notifications (Django's locmem backend here) to those who chose
them, in Indonesian, with links they can open, once per person."""

from html.parser import HTMLParser

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from cms.accounts import roles
from cms.notifications.models import Pengiriman
from cms.platform import outbox
from cms.platform.plugins import set_enabled
from cms.reports import services
from plugins.email_notify.models import EmailTerkirim, PreferensiEmail
from tests import factories
from tests.reports.reports_factories import make_report, verified_report

pytestmark = pytest.mark.django_db

BASE = "https://sikanda.example.go.id"


@pytest.fixture
def people(petugas, verifikator, pimpinan):
    for user, email in ((petugas, "petugas@example.go.id"),
                        (verifikator, "verifikator@example.go.id"),
                        (pimpinan, "pimpinan@example.go.id")):
        user.email = email
        user.first_name = user.username.split(".")[0].title()
        user.save()
    other = factories.make_user(
        roles.VERIFIKATOR, "verifikator.lain", kecamatan=[factories.kecamatan("paringin")],
        email="lain@example.go.id",
    )
    return {"petugas": petugas, "verifier": verifikator, "pimpinan": pimpinan, "other": other}


@pytest.fixture
def email_on(db):
    set_enabled("email_notify", True)
    mail.outbox.clear()


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run what the commit queues (the outbox's sending task) as production would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def choose(user, *events):
    PreferensiEmail.objects.update_or_create(pengguna=user, defaults={"peristiwa": list(events)})


def test_wagtail_sends_no_workflow_email(people, sent):
    """Without the plugin nobody gets email from a whole verification loop:
    Wagtail's submitted / approved / rejected notifications are disconnected."""
    mail.outbox.clear()
    with sent():
        first = make_report(people["petugas"], submit=True)
        services.act(first, people["verifier"], "reject", comment="Lengkapi.")
        services.submit(first, people["petugas"])
        services.act(first, people["verifier"], "approve", keandalan_sumber="B",
                     kredibilitas_informasi="2")
    assert mail.outbox == []


@override_settings(WAGTAILADMIN_BASE_URL=BASE)
def test_verifiers_who_chose_it_get_the_new_report(people, email_on, sent):
    choose(people["verifier"], "report.submitted")
    choose(people["other"], "report.verified")  # chose something else
    with sent():
        laporan = make_report(people["petugas"], submit=True, judul="Keributan di pasar")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["verifikator@example.go.id"]
    assert message.subject == f"[SIKANDA] Laporan menunggu verifikasi — {laporan.nomor}"
    assert "Yth. Verifikator," in message.body
    assert "Keributan di pasar" in message.body and "Kecamatan: Paringin" in message.body
    desk = BASE + reverse("sikanda_desk:detail", args=[laporan.pk])
    assert f"Buka: {desk}" in message.body
    html = message.alternatives[0][0]
    assert f'href="{desk}"' in html and '<html lang="id">' in html
    assert BASE + reverse("wagtailadmin_account") in message.body
    # Recorded once, in the outbox, as the email channel's delivery.
    delivery = Pengiriman.objects.get(kanal="email")
    assert delivery.status == Pengiriman.Status.SENT
    assert list(delivery.penerima.all()) == [people["verifier"]]


@override_settings(WAGTAILADMIN_BASE_URL=BASE)
def test_pimpinan_gets_verified_reports_in_the_admin(people, email_on, sent):
    choose(people["pimpinan"], "report.verified")
    with sent():
        laporan = verified_report(people["petugas"], people["verifier"], urgensi="rendah",
                                  klasifikasi="terbatas")
    assert [m.to for m in mail.outbox] == [["pimpinan@example.go.id"]]
    body = mail.outbox[0].body
    # Not urgent, so no push; the email is what they chose. Pimpinan do not
    # verify: the link is the report in the admin, which they may read.
    assert BASE + reverse("wagtailsnippets_reports_laporan:inspect", args=[laporan.pk]) in body
    assert "Urgensi: Rendah" in body
    assert not Pengiriman.objects.filter(kanal="sample", peristiwa="report.verified").exists()


def test_nobody_who_did_not_choose_gets_email(people, email_on, sent):
    with sent():
        make_report(people["petugas"], submit=True)
    assert mail.outbox == []
    assert not Pengiriman.objects.filter(kanal="email").exists()


def test_no_email_while_the_plugin_is_off(people, sent):
    choose(people["verifier"], "report.submitted")
    mail.outbox.clear()
    with sent():
        make_report(people["petugas"], submit=True)
    assert mail.outbox == []


def test_a_retry_never_emails_the_same_person_twice(people, email_on, monkeypatch, sent):
    choose(people["verifier"], "report.submitted")
    choose(people["other"], "report.submitted")
    from plugins.email_notify import channel

    real = channel.EmailChannel.message
    calls = []

    def failing_for_other(self, delivery, user, connection):
        calls.append(user.username)
        if user.username == "verifikator.lain" and calls.count("verifikator.lain") == 1:
            raise OSError("SMTP server tidak menjawab")
        return real(self, delivery, user, connection)

    monkeypatch.setattr(channel.EmailChannel, "message", failing_for_other)
    with sent():
        make_report(people["petugas"], submit=True)
    delivery = Pengiriman.objects.get(kanal="email")
    assert delivery.status == Pengiriman.Status.PENDING and "SMTP" in delivery.galat_terakhir
    assert [m.to for m in mail.outbox] == [["verifikator@example.go.id"]]

    Pengiriman.objects.filter(pk=delivery.pk).update(coba_lagi_pada=delivery.dibuat)
    assert outbox.attempt(Pengiriman, delivery.pk) == Pengiriman.Status.SENT
    assert sorted(m.to[0] for m in mail.outbox) == ["lain@example.go.id",
                                                     "verifikator@example.go.id"]
    assert EmailTerkirim.objects.filter(idempotency_key=delivery.idempotency_key).count() == 2


def test_someone_who_unsubscribed_before_sending_gets_nothing(people, email_on,
                                                              django_capture_on_commit_callbacks):
    choose(people["verifier"], "report.submitted")
    with django_capture_on_commit_callbacks(execute=False):
        make_report(people["petugas"], submit=True)
    choose(people["verifier"])
    delivery = Pengiriman.objects.get(kanal="email")
    assert outbox.attempt(Pengiriman, delivery.pk) == Pengiriman.Status.SENT
    assert mail.outbox == []


class FormValues(HTMLParser):
    """The values a browser would submit from a page's form as it stands."""

    def __init__(self):
        super().__init__()
        self.values, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "file"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.values.setdefault(name, []).append(attrs.get("value", "on"))
            else:
                self.values[name] = [attrs.get("value", "")]
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.values.setdefault(self._select, []).append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][0] += data


def test_email_preferences_in_the_account(client, people, email_on):
    client.force_login(people["verifier"])
    html = client.get(reverse("wagtailadmin_account")).content.decode()
    assert "Notifikasi email" in html
    assert "Laporan baru menunggu verifikasi (verifikator)" in html
    assert "Laporan terverifikasi (pimpinan)" not in html  # not for a verifier
    form = FormValues()
    form.feed(html)
    data = {**form.values, "email_sikanda-peristiwa": ["report.submitted", "report.retracted"]}
    data.pop("csrfmiddlewaretoken", None)
    data["name_email-last_name"] = ["Uji"]  # Wagtail's name form requires it
    response = client.post(reverse("wagtailadmin_account"), data)
    assert response.status_code == 302
    assert PreferensiEmail.objects.get(pengguna=people["verifier"]).peristiwa == [
        "report.submitted", "report.retracted",
    ]
    client.force_login(people["pimpinan"])
    html = client.get(reverse("wagtailadmin_account")).content.decode()
    assert "Laporan terverifikasi (pimpinan)" in html
    assert "Laporan baru menunggu verifikasi" not in html


def test_no_email_preferences_while_the_plugin_is_off(client, people):
    client.force_login(people["verifier"])
    assert "Notifikasi email" not in client.get(reverse("wagtailadmin_account")).content.decode()


def test_email_plugin_needs_a_sender_address(client, administrator):
    client.force_login(administrator)
    with override_settings(DEFAULT_FROM_EMAIL="webmaster@localhost"):
        html = client.post("/admin/plugin/email_notify/", {"enabled": "1"},
                           follow=True).content.decode()
        assert "DJANGO_DEFAULT_FROM_EMAIL" in html
    with override_settings(DEFAULT_FROM_EMAIL="sikanda@balangankab.go.id"):
        client.post("/admin/plugin/email_notify/", {"enabled": "1"})
    from cms.platform.plugins import is_enabled

    assert is_enabled("email_notify")
